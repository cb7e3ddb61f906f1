"""The id registry file (ids.yml beside overrides.yml): what every published story and key-facts
row is, and the id it was published under.

Human-readable YAML, committed with the project. Stories are listed in the order they were first
published (the order that decides which id survives a merge: the older one); each carries its
articles (the grouping's, before the writers' merges and splits) and its rows, each row with what
it measures (`key`), its label and the words each article used (`sources`) - the three things a
later build recognises it by. Entries are never dropped: an id that stops being published stays
reserved, so it is never given to something else, and comes back if its story or row does.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

import yaml

from digest.model import Problem

VERSION = 1
SOURCE_WORDS = 120  # characters of each source's words kept: enough to recognise a row

HEADER = """\
# Stable ids of this digest's stories and key-facts rows, written by `digest build` when it
# publishes (never by `digest check` or `digest facts`, never by a failed build). Commit it with
# overrides.yml: the overrides' story and fact ids are the ids below, and they never change once
# published. A story keeps its id while articles join or leave it; a row keeps its id while its
# label or wording changes; an id that moved (two stories merged) stays as `alias_of` and its page
# redirects. Entries are matched by what they are (articles; kind, key and sources), not by name.
"""


@dataclass(frozen=True)
class FactEntry:
    id: str
    kind: str = ""
    key: str = ""  # what the row measures (model.Fact.key)
    label: str = ""
    sources: Mapping[str, str] = field(default_factory=dict)  # article id -> words (truncated)
    alias_of: str | None = None  # this id now leads to that row


@dataclass(frozen=True)
class StoryEntry:
    id: str
    title: str = ""
    articles: tuple[str, ...] = ()
    facts: tuple[FactEntry, ...] = ()
    alias_of: str | None = None  # merged into that story: its pages redirect there
    by_overrides: bool = False  # made by the writers (a split, or `story:`): known by its id alone


@dataclass(frozen=True)
class Registry:
    stories: tuple[StoryEntry, ...] = ()
    fingerprint: str = ""  # sha256 of the file as read ("" when there was none): for cache keys

    def story_ids(self) -> set[str]:
        return {s.id for s in self.stories}

    def story_aliases(self) -> dict[str, str]:
        """Every earlier story id -> the id it leads to now (chains followed)."""
        direct = {s.id: s.alias_of for s in self.stories if s.alias_of}
        return {old: follow(direct, old) for old in direct}


def follow(direct: Mapping[str, str], name: str) -> str:
    seen = {name}
    while name in direct and direct[name] not in seen:
        name = direct[name]
        seen.add(name)
    return name


def load(path: Path, shown: str) -> tuple[Registry, list[Problem]]:
    """The registry at `path` (empty when there is none yet) and the problems found in it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Registry(), []
    except (OSError, UnicodeDecodeError) as exc:
        return Registry(), [Problem(shown, f"cannot read the id registry: {exc}")]
    try:
        data = yaml.load(text, Loader=_Loader)  # a safe loader: plain data only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        return Registry(), [Problem(shown, f"invalid YAML in the id registry: {getattr(exc, 'problem', exc)}",
                                    line=line, col=col)]
    if data is None:
        return Registry(), []
    try:
        return replace(_registry(data), fingerprint=hashlib.sha256(text.encode("utf-8")).hexdigest()), []
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        return Registry(), [Problem(shown, f"unreadable id registry ({exc}); restore it from version control, or "
                                           "delete it to start afresh (ids are then derived from content again)")]


def _registry(data: dict) -> Registry:
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ValueError(f"expected a mapping with version: {VERSION}")
    stories = []
    for item in data.get("stories") or ():
        facts = tuple(FactEntry(id=str(f["id"]), kind=str(f.get("kind", "")), key=str(f.get("key", "")),
                                label=str(f.get("label", "")),
                                sources={str(k): str(v) for k, v in (f.get("sources") or {}).items()},
                                alias_of=f.get("alias_of"))
                      for f in item.get("facts") or ())
        stories.append(StoryEntry(id=str(item["id"]), title=str(item.get("title", "")),
                                  articles=tuple(str(a) for a in item.get("articles") or ()), facts=facts,
                                  alias_of=item.get("alias_of"), by_overrides=bool(item.get("by_overrides"))))
    return Registry(tuple(stories))


def text(registry: Registry) -> str:
    """The file's text: deterministic (a rebuild of the same inputs writes the same bytes)."""
    stories = []
    for s in registry.stories:
        item: dict = {"id": s.id}
        if s.alias_of:
            item["alias_of"] = s.alias_of
        if s.by_overrides:
            item["by_overrides"] = True
        if s.title:
            item["title"] = s.title
        item["articles"] = list(s.articles)
        facts = []
        for f in s.facts:
            fact: dict = {"id": f.id}
            if f.alias_of:
                fact["alias_of"] = f.alias_of
            fact.update(kind=f.kind, key=f.key, label=f.label)
            if f.sources:
                fact["sources"] = dict(f.sources)
            facts.append(fact)
        if facts:
            item["facts"] = facts
        stories.append(item)
    body = yaml.dump({"version": VERSION, "stories": stories}, Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=100, default_flow_style=False)
    return HEADER + body


# libyaml's C loader and emitter when PyYAML has them: a newsroom's registry runs to megabytes.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Mappings one entry a line, lists of article ids on one (wrapped) line: short and diffable."""


def _flow_list(dumper, data: list) -> yaml.Node:
    flow = all(isinstance(x, str) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _flow_list)


def save(path: Path, content: str) -> None:
    """Replace the file atomically (a reader never sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".ids-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
