"""Text types for request bodies, query, path and header parameters: storable text only.

asyncpg cannot send NUL or an unpaired surrogate to PostgreSQL, and other control characters
(C0, DEL, C1) have no business in a name or a search: each is refused with a 422 naming the
field, before any route code runs. Multi-line fields (a reminder's comment, a provider's
reason) also take tab, line feed and carriage return.

Percent-encoded query strings need nothing more: Starlette decodes `%00` to NUL (refused
here) and invalid UTF-8 such as `%ED%A0%80` to U+FFFD, which is ordinary text. JSON escapes
("\\u0000", "\\ud800") reach the models as those characters and are refused here.
"""

import re
from typing import Annotated

from pydantic import BeforeValidator

_SINGLE_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_MULTI_LINE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _refuse(pattern: re.Pattern[str], what: str):
    def check(value: object) -> object:
        # The message never repeats the input: a lone surrogate cannot be encoded as UTF-8.
        if isinstance(value, str) and pattern.search(value):
            raise ValueError(f"must not contain {what}")
        return value

    return check


single_line = _refuse(_SINGLE_LINE_FORBIDDEN,
                      "control characters (including NUL, tab or newline) or lone surrogates")
multi_line = _refuse(_MULTI_LINE_FORBIDDEN,
                     "control characters other than tab and newline (including NUL) "
                     "or lone surrogates")

# Markers that check the raw text before str validation, stripping or any constraint. Put
# one last in a flat Annotated (nesting would turn native constraints into slow Python ones):
#   Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), SINGLE_LINE]
SINGLE_LINE = BeforeValidator(single_line)
MULTI_LINE = BeforeValidator(multi_line)

SingleLineText = Annotated[str, SINGLE_LINE]
MultiLineText = Annotated[str, MULTI_LINE]
