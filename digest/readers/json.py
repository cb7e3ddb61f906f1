"""news-please JSON records: one object per .json file (or a list of them), or one per line (.jsonl).

Mapping: title (or title_page / title_rss), text (or maintext), url, source_domain -> outlet (a
known name or the registrable domain, see outlets.py),
date_publish -> published, authors -> author, description -> standfirst candidate (cleaning
drops it when the body already starts with it). A bad JSONL line is reported with its line
number and the other lines are kept; JSONL is streamed, so memory stays bounded.
"""

from __future__ import annotations

import json
from typing import Any

from digest.text.dates import normalise_iso
from digest.readers.encoding import DecodeError, decode
from ..model import Metadata, Problem, RawArticle
from .outlets import outlet_name
from .common import (TEXT_MAX_BYTES, InputError, ReadResult, Source, human_size, load_text, normalise_newlines,
                     sha256)


def read(source: Source) -> ReadResult:
    text, data, problems = load_text(source)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data" and text.lstrip().startswith("{"):
            return read_jsonl(source)  # several objects one per line: JSONL with a .json suffix
        return [], [Problem(source.rel, f"invalid JSON: {err.msg}", "error", err.lineno, err.colno)]
    if isinstance(value, dict):
        raws, found = _one(source, value, source.stem, sha256(data), None)
        return raws, problems + found
    if isinstance(value, list):
        raws = []
        for index, item in enumerate(value, start=1):
            r, p = _one(source, item, f"{source.stem}-{index}", sha256(data + str(index).encode()), None,
                        where=f"record {index}")
            raws += r
            problems += p
        if not value:
            problems.append(Problem(source.rel, "empty JSON list: no records"))
        return raws, problems
    return [], [Problem(source.rel, "expected a JSON object (a news-please record) or a list of them")]


def read_jsonl(source: Source) -> ReadResult:
    raws: list[RawArticle] = []
    problems: list[Problem] = []
    seen_record = False
    with source.path.open("rb") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            seen_record = True
            if len(line) > TEXT_MAX_BYTES:
                problems.append(Problem(source.rel, f"record is {human_size(len(line))}, over the "
                                        f"{human_size(TEXT_MAX_BYTES)} limit; skipped", "error", lineno))
                continue
            try:
                value = json.loads(normalise_newlines(decode(line)[0]))
            except DecodeError as err:
                problems.append(Problem(source.rel, str(err), "error", lineno))
                continue
            except json.JSONDecodeError as err:
                problems.append(Problem(source.rel, f"invalid JSON: {err.msg}", "error", lineno, err.colno))
                continue
            r, p = _one(source, value, f"{source.stem}-{lineno}", sha256(line + str(lineno).encode()), lineno)
            raws += r
            problems += p
    if not seen_record:
        raise InputError("empty file")
    return raws, problems


def _one(source: Source, value: Any, ident: str, digest: str, line: int | None,
         where: str = "record") -> ReadResult:
    if not isinstance(value, dict):
        return [], [Problem(source.rel, f"{where}: expected a JSON object", "error", line)]
    text = _string(value.get("text")) or _string(value.get("maintext"))
    if not text:
        return [], [Problem(source.rel, f"{where} has no text", "error", line)]
    if len(text) > TEXT_MAX_BYTES:
        return [], [Problem(source.rel, f"{where} text is {human_size(len(text))}, over the "
                            f"{human_size(TEXT_MAX_BYTES)} limit; skipped", "error", line)]
    meta = Metadata(
        title=_string(value.get("title")) or _string(value.get("title_page")) or _string(value.get("title_rss")),
        published=normalise_iso(value.get("date_publish")),
        outlet=outlet_name(None, _string(value.get("source_domain")), _string(value.get("url"))),
        url=_string(value.get("url")),
        author=_authors(value.get("authors")),
        standfirst=_string(value.get("description")),
    )
    raw = RawArticle(id=ident, source_path=source.rel, format="json", text=normalise_newlines(text),
                     meta=meta, content_hash=digest)
    return [raw], []


def _string(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _authors(value: Any) -> str | None:
    if isinstance(value, list):
        names = [v.strip() for v in value if isinstance(v, str) and v.strip()]
        return ", ".join(dict.fromkeys(names)) or None
    return _string(value)
