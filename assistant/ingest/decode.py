"""Bytes to text: reject empty and binary files, try UTF-8 (with or without BOM, or with a few
stray bytes), then cp1252."""

from __future__ import annotations

import codecs

from assistant.errors import BinaryFile, EmptyTranscript, UndecodableText

# Control characters that never appear in text files (tab, LF, FF, CR are fine).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_SNIFF = 8192
_MAX_CONTROL_RATIO = 0.05


def check_not_empty(data: bytes) -> None:
    """Raise EmptyTranscript for a file with no bytes, or only whitespace."""
    if not data.strip(b" \t\r\n\x0b\x0c") or data in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                                          codecs.BOM_UTF16_BE):  # fmt: skip
        raise EmptyTranscript("the file is empty")


def _utf16(data: bytes) -> str | None:
    # Some Windows tools save captions as UTF-16; its NUL bytes would otherwise look binary.
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _is_binary(data: bytes) -> bool:
    sample = data[:_SNIFF]
    if b"\x00" in sample:
        return True
    controls = sum(sample.count(bytes([c])) for c in _CONTROL)
    return controls / max(len(sample), 1) > _MAX_CONTROL_RATIO


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few stray bytes (a bad copy-paste, a truncated edit): reading all of it
    as cp1252 would garble every accented letter, so the stray bytes alone become U+FFFD."""
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return text if good > bad else None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_bytes(data: bytes) -> str:
    """Return the text of `data` with newlines normalised to `\\n` and any BOM removed.

    Raises EmptyTranscript, BinaryFile or UndecodableText (with the line of the first bad byte).
    """
    check_not_empty(data)
    text = _utf16(data)
    if text is None:
        if _is_binary(data):
            raise BinaryFile("this is a binary file, not a transcript")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as utf8_error:
            text = _mostly_utf8(data)
            if text is None:
                try:
                    text = data.decode("cp1252")
                except UnicodeDecodeError:
                    bad = data[utf8_error.start]
                    raise UndecodableText(
                        f"not UTF-8 or cp1252 text (byte 0x{bad:02x} cannot be decoded)",
                        line=_line_of(data, utf8_error.start),
                    ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise EmptyTranscript("the file is empty")
    return text
