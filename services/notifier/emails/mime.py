"""RFC 5322 / MIME bytes of a multipart (text + HTML) email, built directly.

The standard library's `email` package takes 1-2 ms to build and flatten one such message;
for tens of thousands of digests a Monday that is the sender's largest cost, while the
format we need (two UTF-8 parts, 7bit or quoted-printable, a few headers) is small and fixed.
"""

import base64
import binascii
import re

CRLF = "\r\n"
# An encoded word is at most 75 characters: `=?utf-8?b?` + base64 of 45 bytes + `?=`.
_WORD_BYTES = 45
# RFC 5322 allows 998 characters a line; stay well below when folding long values.
_FOLD_AT = 900
_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')


def one_line(value: str) -> str:
    """`value` without line breaks: nothing from an event may start a header of its own."""
    return " ".join(value.split()) if ("\r" in value or "\n" in value) else value


def encode_words(value: str) -> str:
    """A header text as it may travel: as is when ASCII, else RFC 2047 encoded words."""
    value = one_line(value)
    if value.isascii():
        return value
    data, words, start = value.encode(), [], 0
    while start < len(data):
        end = min(start + _WORD_BYTES, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # not inside a character
            end -= 1
        words.append(data[start:end])
        start = end
    encoded = ["=?utf-8?b?" + base64.b64encode(w).decode() + "?=" for w in words]
    return (CRLF + " ").join(encoded)


def format_address(name: str, address: str) -> str:
    """`Name <address>`, the name quoted or encoded as needed."""
    name, address = one_line(name).strip(), one_line(address).strip()
    if not name:
        return f"<{address}>"
    if not name.isascii():
        return f"{encode_words(name)} <{address}>"
    if _SPECIALS.search(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{address}>"


def fold_url_header(url: str) -> str:
    """`<url>`, folded inside the brackets when too long (RFC 2369: whitespace there is ignored)."""
    url = one_line(url)
    pieces = [url[i:i + _FOLD_AT] for i in range(0, len(url), _FOLD_AT)] or [""]
    return "<" + (CRLF + " ").join(pieces) + ">"


def _part(subtype: str, body: str, boundary: str) -> str:
    body = body.replace("\r\n", "\n")
    lines = body.split("\n")
    if body.isascii() and max(map(len, lines)) <= _FOLD_AT and boundary not in body:
        # Plain ASCII with short lines needs no encoding pass (English names, say).
        encoding, encoded = "7bit", CRLF.join(lines)
    else:
        # b2a_qp keeps lines short with soft breaks, so long links survive SMTP's line limit.
        encoding = "quoted-printable"
        encoded = binascii.b2a_qp(body.encode(), istext=True).decode("ascii").replace("\n", CRLF)
    return (f"Content-Type: text/{subtype}; charset=\"utf-8\"{CRLF}"
            f"Content-Transfer-Encoding: {encoding}{CRLF}{CRLF}{encoded}")


def build_message(headers: list[tuple[str, str]], *, text: str, html: str,
                  boundary: str) -> bytes:
    """The message bytes: `headers` (values already encoded) over text and HTML alternatives.

    `boundary` must not occur in the parts: a part that holds it is sent quoted-printable,
    where a boundary starting with "=_" cannot occur ("=" is always followed by two hex
    digits or a line break).
    """
    lines = [f"{name}: {value}" for name, value in headers]
    lines += ["MIME-Version: 1.0",
              f'Content-Type: multipart/alternative; boundary="{boundary}"', ""]
    body = (f"--{boundary}{CRLF}{_part('plain', text, boundary)}{CRLF}"
            f"--{boundary}{CRLF}{_part('html', html, boundary)}{CRLF}--{boundary}--{CRLF}")
    return (CRLF.join(lines) + CRLF + body).encode("ascii")
