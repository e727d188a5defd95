"""The text types refuse what PostgreSQL cannot store or a name should not hold."""

from typing import Annotated

import pytest
from pydantic import StringConstraints, TypeAdapter, ValidationError

from shared.http.text import MULTI_LINE, SINGLE_LINE, MultiLineText, SingleLineText

CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x85",
            "\x9f", "\ud800", "\udfff"]


@pytest.mark.parametrize("char", CONTROLS + ["\t", "\n", "\r"])
def test_single_line_refuses_controls_tabs_newlines_and_lone_surrogates(char):
    with pytest.raises(ValidationError) as info:
        TypeAdapter(SingleLineText).validate_python(f"a{char}b")
    # The message never echoes the input (a lone surrogate cannot be encoded in a response).
    assert char not in info.value.errors()[0]["msg"]


@pytest.mark.parametrize("char", CONTROLS)
def test_multi_line_refuses_controls_and_lone_surrogates(char):
    with pytest.raises(ValidationError):
        TypeAdapter(MultiLineText).validate_python(f"a{char}b")


@pytest.mark.parametrize("text", ["Ærø & Søn", "😀", "日本語", "a\u00a0b", ""])
def test_ordinary_text_passes_both(text):
    assert TypeAdapter(SingleLineText).validate_python(text) == text
    assert TypeAdapter(MultiLineText).validate_python(text) == text


def test_multi_line_keeps_tab_and_newlines():
    text = "one\r\n\ttwo\nthree"
    assert TypeAdapter(MultiLineText).validate_python(text) == text


def test_markers_run_before_native_constraints_which_keep_stripping():
    name = TypeAdapter(Annotated[str, StringConstraints(strip_whitespace=True, max_length=3),
                                 SINGLE_LINE])
    assert name.validate_python("  abc  ") == "abc"
    with pytest.raises(ValidationError):
        name.validate_python(" abc\x85")  # stripped away it would be, refused it is
    comment = TypeAdapter(Annotated[str | None, StringConstraints(max_length=5), MULTI_LINE])
    assert comment.validate_python(None) is None
    with pytest.raises(ValidationError):
        comment.validate_python("abcdef")
