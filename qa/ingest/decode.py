"""Bytes to text: UTF-8 (with or without BOM), UTF-16, then cp1252/Latin-1, then a detector.

News files come mostly as UTF-8, older ones as cp1252; guessing those two first is both faster
and more reliable on short texts than any statistical detector, which we keep for the rest.
"""

from __future__ import annotations

import codecs

from qa.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than tab/newline/CR, and C1 controls: never in real text.
_CONTROL = {chr(c) for c in range(32) if c not in (9, 10, 12, 13)} | {
    chr(c) for c in range(0x80, 0xA0)
}


def decode_text(data: bytes, origin: str) -> str:
    """Decode a text file, or raise InputError saying why it is not readable text."""
    if not data.strip():
        raise InputError(origin, "the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, origin)
    if b"\x00" in data[:4096]:
        return _utf16_without_bom(data, origin)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        if not _looks_binary(text):
            return text
    except UnicodeDecodeError:
        pass
    return _detected(data, origin)


def _strict(data: bytes, encoding: str, origin: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            origin, f"undecodable bytes for its {encoding} BOM at {exc.start}"
        ) from None


def _utf16_without_bom(data: bytes, origin: str) -> str:
    # Every other byte zero is UTF-16 text; zeros anywhere else mean a binary file.
    even_zeros = data[0:4096:2].count(0)
    odd_zeros = data[1:4096:2].count(0)
    half = min(len(data), 4096) // 2
    if odd_zeros > 0.3 * half and even_zeros < 0.05 * half:
        encoding = "utf-16-le"
    elif even_zeros > 0.3 * half and odd_zeros < 0.05 * half:
        encoding = "utf-16-be"
    else:
        raise InputError(origin, "this is a binary file, not text or HTML")
    text = _strict(data, encoding, origin)
    if _looks_binary(text):
        raise InputError(origin, "this is a binary file, not text or HTML")
    return text


def _detected(data: bytes, origin: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    text = None if best is None else str(best)
    if text is None or _looks_binary(text):
        raise InputError(origin, "cannot tell the text encoding (save it as UTF-8)")
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ch in _CONTROL)
    return controls > max(2, len(sample) // 200)
