"""Markdown reader: YAML front matter -> Metadata; the body rendered to plain text, one block per line.

Front matter keys: title, date / published, outlet (or source, site), url, author (or authors),
standfirst (or description, subtitle), story. Other keys are reported as notes and ignored.
Without a title key, a leading "# Heading" is the title. The body goes through Python-Markdown
and back to text so that emphasis, links and images do not leave syntax behind; raw HTML in it
is reduced to its text (script and style dropped), never kept as markup.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
import markdown
import yaml

from digest.text.dates import normalise_iso
from ..model import Metadata, Problem, RawArticle
from .common import InputError, ReadResult, Source, load_text, sha256

_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_KEYS = {
    "title": "title", "date": "published", "published": "published", "outlet": "outlet",
    "source": "outlet", "site": "outlet", "url": "url", "author": "author", "authors": "author",
    "standfirst": "standfirst", "description": "standfirst", "subtitle": "standfirst", "story": "story",
}
# Accepted without a note, not used: the flag that marks our example and fixture articles fictional.
_IGNORED_KEYS = {"fictional"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "dt", "dd"}
_DROP = ("script", "style", "iframe", "object", "noscript", "template")


def read(source: Source) -> ReadResult:
    text, data, problems = load_text(source)
    front, body, body_line = split_front_matter(text, source.rel)
    fields: dict[str, str | None] = {}
    for key, value in front.items():
        target = _KEYS.get(str(key).lower())
        if target is None and str(key).lower() in _IGNORED_KEYS:
            continue
        if target is None:
            problems.append(Problem(source.rel, f"unknown front matter key {key!r} ignored", "note"))
            continue
        if target == "published":
            fields[target] = normalise_iso(value)
            if value is not None and fields[target] is None:
                problems.append(Problem(source.rel, f"front matter {key}: {value!r} is not a date", "warning"))
        elif isinstance(value, list):
            fields[target] = ", ".join(str(v) for v in value if v is not None) or None
        else:
            fields[target] = str(value).strip() or None if value is not None else None
    blocks = markdown_blocks(body)
    if not fields.get("title") and blocks and blocks[0][0] == "h1":
        fields["title"] = blocks.pop(0)[1]
    body_text = "\n".join(t for _, t in blocks)
    if not body_text.strip():
        raise InputError(f"no article text after the front matter (line {body_line})")
    raw = RawArticle(id=source.stem, source_path=source.rel, format="md", text=body_text,
                     meta=Metadata(**fields), content_hash=sha256(data))
    return [raw], problems


def split_front_matter(text: str, rel: str) -> tuple[dict[str, Any], str, int]:
    """(front matter mapping, body, 1-based line where the body starts)."""
    if not text.startswith("---"):
        return {}, text, 1
    first = _FENCE.match(text)
    if not first:
        return {}, text, 1
    closing = _FENCE.search(text, first.end())
    if not closing:
        raise InputError("front matter opened with '---' on line 1 is never closed")
    block = text[first.end():closing.start()]  # starts with the newline of line 1: YAML line n = file line n+1
    try:
        value = yaml.safe_load(block)
    except yaml.reader.ReaderError as err:  # a control character: no mark, but a position
        line = block.count("\n", 0, err.position) + 1
        col = err.position - block.rfind("\n", 0, err.position)
        raise InputError(f"invalid YAML front matter: unacceptable character #x{err.character:04x}"
                         if isinstance(err.character, int) else
                         "invalid YAML front matter: unacceptable character", line, col) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        if mark is not None:
            raise InputError(f"invalid YAML front matter: {reason}", mark.line + 1, mark.column + 1) from None
        raise InputError(f"invalid YAML front matter: {reason}") from None
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise InputError("front matter must be a mapping of keys to values")
    body_line = text.count("\n", 0, closing.end()) + 2
    return value, text[closing.end():].lstrip("\n"), body_line


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def markdown_blocks(body: str) -> list[tuple[str, str]]:
    """[(tag, text)] for every innermost block of the rendered Markdown."""
    # Control characters cannot stand in an XML tree (lxml refuses them when the tree is edited):
    # they print as nothing, so they go before parsing.
    html = _CONTROLS.sub("", markdown.markdown(body))
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for bad in root.xpath("|".join(f".//{t}" for t in _DROP)):
        bad.drop_tree()
    out: list[tuple[str, str]] = []
    for el in root.iter():
        if el.tag not in _BLOCKS or any(d.tag in _BLOCKS for d in el.iterdescendants()):
            continue
        text = " ".join(el.text_content().split())
        if text:
            out.append((el.tag, text))
    return out
