"""What every reader shares: the registry entry type, size caps and byte loading with problems."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from digest.readers.encoding import DAMAGED_UTF8, DecodeError, decode
from ..model import Problem, RawArticle

MB = 1024 * 1024
# Size caps keep time and memory bounded (a news article is rarely over 1 MB of text; a saved
# page with inline scripts rarely over 5 MB). Bigger files are refused with a size message.
TEXT_MAX_BYTES = 5 * MB  # .txt, .md, and the text of one JSON record
HTML_MAX_BYTES = 15 * MB
JSON_MAX_BYTES = 50 * MB  # a .json file may hold a list of records
JSONL_MAX_BYTES = 500 * MB  # streamed line by line; each record is capped like a text file


@dataclass(frozen=True)
class Source:
    """One input file handed to a reader."""

    path: Path
    rel: str  # path shown in messages and stored as source_path
    stem: str  # article id (JSONL appends -LINENO)


ReadResult = tuple[list[RawArticle], list[Problem]]


@dataclass(frozen=True)
class Reader:
    format: str
    read: Callable[[Source], ReadResult]
    max_bytes: int


class InputError(Exception):
    """A file-level problem: the reader gives up on this file with one message."""

    def __init__(self, message: str, line: int | None = None, col: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_text(source: Source) -> tuple[str, bytes, list[Problem]]:
    """Read and decode a whole file; InputError for empty, binary or undecodable files.

    A UTF-8 file with a few broken bytes is read with U+FFFD in their place and a warning."""
    data = source.path.read_bytes()
    if not data.strip():
        raise InputError("empty file")
    try:
        text, encoding = decode(data)
    except DecodeError as err:
        raise InputError(str(err)) from None
    if not text.strip():
        raise InputError("empty file")
    problems = []
    if encoding == DAMAGED_UTF8:
        problems.append(Problem(source.rel, f"{text.count(chr(0xFFFD))} invalid UTF-8 byte sequence(s) "
                                "replaced by \ufffd", "warning"))
    return normalise_newlines(text), data, problems


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def human_size(n: int) -> str:
    return f"{n / MB:.1f} MB"
