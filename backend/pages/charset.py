"""Decode a page's bytes to text the way browsers do.

The encoding is chosen as the WHATWG Encoding Standard and browsers choose it:
byte-order mark, then the declared charset (the Content-Type header's), then a
``<meta>`` tag in the first 4 KB, then statistical detection, else UTF-8. Labels
are looked up in the standard's table (webencodings), so only the encodings
browsers support are ever used: a label outside it, such as punycode, utf-7 or
unicode_escape (some of which decode in quadratic time), is ignored as browsers
ignore it, and the next source decides. The encodings the standard maps to
"replacement" (ISO-2022-KR, HZ-GB-2312, ...) are refused with a clear error.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import webencodings

from backend.errors import UnsupportedCharset

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def decode_html(body: bytes, declared: str | None = None) -> str:
    """Decode a page's bytes as :func:`fetch` does, given any declared charset."""
    return decode(body, declared)[1]


def decode(body: bytes, declared: str | None) -> tuple[str | None, str]:
    """The codec chosen (None: UTF-8 by default) and the text."""
    encoding = _charset(body, declared)
    if encoding is None:
        return None, body.decode("utf-8", errors="replace")
    if isinstance(encoding, str):  # a byte-order mark's codec
        return encoding, body.decode(encoding, errors="replace")
    if encoding.name == "replacement":
        # WHATWG decodes these (ISO-2022-KR, HZ-GB-2312, ...) as one U+FFFD:
        # nothing could be scored, so say why instead.
        raise UnsupportedCharset(
            "The page declares a charset that browsers refuse to decode (the "
            "WHATWG Encoding Standard maps it to 'replacement'), such as ISO-2022-KR."
        )
    return encoding.codec_info.name, encoding.codec_info.decode(body, "replace")[0]


def _charset(body: bytes, declared: str | None) -> str | webencodings.Encoding | None:
    """Pick the page's encoding: BOM, header, <meta>, detection, else None."""
    # A byte-order mark outranks any declaration, as in browsers.
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # The Content-Type header's charset parameter.
    if encoding := _encoding(declared):
        return encoding
    # <meta charset> or http-equiv in the first 4 KB; a meta tag cannot honestly
    # declare UTF-16, and x-user-defined there means windows-1252 (WHATWG).
    if match := _META_CHARSET.search(body[:4096]):
        if encoding := _encoding(match.group(1).decode("ascii")):
            if encoding.name.startswith("utf-16"):
                return webencodings.UTF8
            if encoding.name == "x-user-defined":
                return webencodings.lookup("windows-1252")
            return encoding
    # Statistical detection (charset_normalizer); it names
    # Python codecs, so the codec's own name is tried as a label too.
    if body:
        guess = charset_normalizer.detect(body[:65536]).get("encoding")
        if encoding := _encoding(guess) or _encoding(_python_name(guess)):
            return encoding
    return None


def _encoding(label: str | None) -> webencodings.Encoding | None:
    """The WHATWG encoding a charset label names, or None for any other label."""
    return webencodings.lookup(label) if label else None


def _python_name(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None
