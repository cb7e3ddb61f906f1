"""Decoding input bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, cp1251, cp1252.

Scraped files come from many tools. We try, in order: a byte-order mark, strict UTF-8, then a
choice between cp1251 (Cyrillic) and cp1252 (Western) made by looking at the words each decoding
produces. Binary files (NUL bytes, many control characters) are refused with DecodeError, whose
message is shown to the user next to the file name.

Why not charset-normalizer alone: on short texts it often guesses exotic code pages (cp1250,
mac_cyrillic ...) and its answer can change between versions; the four encodings scrapers really
produce are decided here with a rule that has one test per case.
"""

from __future__ import annotations

import codecs
import re

SNIFF_BYTES = 65536  # binary sniffing looks at the start of the file only (bounded time)
MAX_CONTROL_RATIO = 0.01  # share of control characters tolerated in a text file


DAMAGED_UTF8 = "utf-8 (damaged)"  # UTF-8 with invalid bytes replaced by U+FFFD


class DecodeError(ValueError):
    """The bytes are not text in an encoding we read."""


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls (not \t \n \r \f) and C1 controls: text files, in any of our encodings, have neither.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raise DecodeError for binary or undecodable bytes."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(name)), name
            except UnicodeDecodeError as err:
                raise DecodeError(f"invalid {name} text after its byte-order mark ({err.reason})") from None
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        raise DecodeError("binary file (contains NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few broken bytes (a truncated download, one bad paste): reading it as
    # cp1252 would turn every correct "é" into "Ã©", so keep UTF-8 and mark the bad bytes.
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    if sum(ord(c) > 127 for c in lenient) - broken > broken:
        return _checked(lenient), DAMAGED_UTF8
    name = guess_single_byte(data)
    if name == "cp1252":
        # cp1252 leaves five bytes undefined; latin-1 maps them to C1 controls instead of failing.
        try:
            return _checked(data.decode("cp1252")), "cp1252"
        except UnicodeDecodeError:
            return _checked(data.decode("latin-1")), "latin-1"
    return _checked(data.decode(name, errors="strict")), name


def guess_single_byte(data: bytes) -> str:
    """cp1251 or cp1252, whichever turns the non-ASCII bytes into plausible words.

    Decoded as cp1251, Russian text gives words made only of Cyrillic letters, while Western
    text gives mixed words ("cafй"). Decoded as cp1252, Russian gives words of accented Latin
    letters only ("Ïðèâåò"), which Western languages almost never produce.
    """
    try:
        as_1251 = data.decode("cp1251")
    except UnicodeDecodeError:
        return "cp1252"
    pure = mixed = 0
    for word in _WORD.findall(as_1251):
        # Words of three letters or more: a lone byte ("£" -> "Ј") proves nothing.
        if len(word) < 3 or not _CYRILLIC.search(word):
            continue
        if _LATIN.search(word):
            mixed += 1
        else:
            pure += 1
    return "cp1251" if pure > mixed else "cp1252"


def _checked(text: str) -> str:
    """Refuse decoded text that is mostly control characters (a binary file that decoded)."""
    sample = text[:SNIFF_BYTES]
    if sample and len(_CONTROL.findall(sample)) > MAX_CONTROL_RATIO * len(sample):
        raise DecodeError("binary file (control characters), not text")
    return text.removeprefix("\ufeff")
