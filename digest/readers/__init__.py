"""Readers: every input file in the articles folder -> RawArticle, with one Problem per bad file.

A registry keyed by file suffix (like Pelican's readers) picks the reader; readers may look at
the content too (a .txt that is an HTML page, a .json that is JSON Lines). One bad file never
stops the others: its problem names the file (and the line for JSON Lines and YAML).

Walking rules:
- files are visited in sorted order (stable ids and messages), sub-folders included;
- hidden files and folders (".git", ".DS_Store") are skipped silently;
- README.* files are the folder's documentation, not articles: skipped with a note;
- `*.fetch.json` files are sidecars of `<id>.html` written by `digest fetch`, read by the HTML reader;
- unknown suffixes are skipped with a note;
- symbolic links are followed only when their target stays inside the articles folder;
- two inputs with the same id (file stem) are an error naming both files; the first is kept.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from ..model import Problem, RawArticle
from . import html, json, md, txt
from .outlets import looks_like_domain  # noqa: F401 - also for `digest check`'s report (cleaning/report.py)
from .common import (HTML_MAX_BYTES, JSON_MAX_BYTES, JSONL_MAX_BYTES, TEXT_MAX_BYTES, InputError, Reader, Source,
                     human_size)

REGISTRY: dict[str, Reader] = {}


def register(reader: Reader, *suffixes: str) -> None:
    for suffix in suffixes:
        REGISTRY[suffix.lower()] = reader


register(Reader("txt", txt.read, TEXT_MAX_BYTES), ".txt", ".text")
register(Reader("html", html.read, HTML_MAX_BYTES), ".html", ".htm", ".xhtml")
register(Reader("json", json.read, JSON_MAX_BYTES), ".json")
register(Reader("json", json.read_jsonl, JSONL_MAX_BYTES), ".jsonl", ".ndjson")
register(Reader("md", md.read, TEXT_MAX_BYTES), ".md", ".markdown")


MAX_TEXT_CHARS = 200_000  # characters of article text after decoding and extraction


def read_folder(articles_dir: Path, root: Path) -> tuple[tuple[RawArticle, ...], tuple[Problem, ...]]:
    """Read every article under `articles_dir`; paths in results are relative to `root` when possible."""
    articles: list[RawArticle] = []
    problems: list[Problem] = []
    owner: dict[str, str] = {}  # article id -> source path that claimed it first
    base = articles_dir.resolve()
    for path in _walk(articles_dir, base, root, problems):
        rel = _relative(path, root)
        reader = _reader_for(path, rel, problems)
        if reader is None:
            continue
        try:
            size = path.stat().st_size
            if size > reader.max_bytes:
                raise InputError(f"file is {human_size(size)}, over the {human_size(reader.max_bytes)} "
                                 f"limit for {reader.format} input; not read")
            found, file_problems = reader.read(Source(path=path, rel=rel, stem=article_id(path)))
        except InputError as err:
            problems.append(Problem(rel, err.message, "error", err.line, err.col))
            continue
        except OSError as err:
            problems.append(Problem(rel, f"cannot read file: {err.strerror or err}"))
            continue
        problems.extend(file_problems)
        for raw in found:
            if len(raw.text) > MAX_TEXT_CHARS:
                # spaCy refuses texts over its max_length, and far below that one article would
                # cost gigabytes; no news article is this long, so it is reported, not analysed.
                problems.append(Problem(rel, f"article text is {len(raw.text):,} characters, over the "
                                        f"{MAX_TEXT_CHARS:,} limit; not read"))
                continue
            key = unicodedata.normalize("NFC", raw.id)
            if key in owner:
                problems.append(Problem(rel, f"duplicate article id {raw.id!r}: already read from "
                                        f"{owner[key]}; this one is skipped (rename one of the two files)"))
                continue
            owner[key] = raw.source_path
            articles.append(raw)
    return tuple(articles), tuple(problems)


def article_id(path: Path) -> str:
    """The file stem, NFC-normalised (macOS writes names decomposed)."""
    name = path.name
    for suffix in sorted(REGISTRY, key=len, reverse=True):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return unicodedata.normalize("NFC", name)


def _reader_for(path: Path, rel: str, problems: list[Problem]) -> Reader | None:
    name = path.name
    if name.lower().endswith(html.SIDECAR_SUFFIX):
        page = [path.with_name(name[: -len(html.SIDECAR_SUFFIX)] + s) for s in (".html", ".htm")]
        if not any(p.exists() for p in page):
            problems.append(Problem(rel, "fetch sidecar without its .html page; ignored", "note"))
        return None
    if name.split(".")[0].upper() == "README":
        problems.append(Problem(rel, "README files document the folder and are not articles; skipped", "note"))
        return None
    reader = REGISTRY.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(REGISTRY))
        problems.append(Problem(rel, f"unknown file type {path.suffix or '(no suffix)'!r}; skipped "
                                f"(articles are {known})", "note"))
    return reader


def _walk(folder: Path, base: Path, root: Path, problems: list[Problem]):
    """Yield files in sorted order, not leaving `base` through symbolic links.

    A link to a file or folder that is in the folder anyway is not read a second time (the file
    is read under its own name, whatever the order of names).
    """
    seen: set[Path] = set()  # real paths of the plain (not linked) files the walk will read
    for directory, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        seen.update(Path(directory, f).resolve() for f in files
                    if not f.startswith(".") and not os.path.islink(os.path.join(directory, f)))

    def visit(directory: Path):
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as err:
            problems.append(Problem(_relative(directory, root), f"cannot list folder: {err.strerror or err}"))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(base):
                    problems.append(Problem(_relative(path, root), "symbolic link leads outside the "
                                            "articles folder; not followed", "warning"))
                    continue
                if not target.exists():
                    problems.append(Problem(_relative(path, root), "broken symbolic link; skipped", "warning"))
                    continue
                if target.is_dir() or target in seen:
                    continue  # inside the folder: read once, under the file's own name
                seen.add(target)
            if path.is_dir():
                yield from visit(path)
            elif path.is_file():
                yield path

    yield from visit(folder)


def _relative(path: Path, root: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path(os.path.abspath(root))).as_posix()
    except ValueError:
        return absolute.as_posix()
