"""Fact ids that never change once published.

A row is recognised by what it is, not by its label: first its kind and what it measures
(`Fact.key`: the alignment key of a number, the entity of a place or person, the day of a date,
the speaker and words of a quote), then the words each article used (the same words in the same
articles are the same row, whatever the extractor now calls it), then the id the extractor derives
from its content. A registered row of the story, or of a story merged into it, found again keeps
its id; a registered row whose thing or words now sit in a row with another id becomes an alias
of it; a new row gets the extractor's id, made unique against every id the story ever used.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Mapping, Sequence

from digest.model import Fact, Story

from .registry import SOURCE_WORDS, FactEntry, Registry

_SPACES = re.compile(r"\s+")


def identity(kind: str, key: str) -> str:
    """What a row measures. A date's event word may change as articles join: the day is the row."""
    if kind == "date" and key:
        return key.split()[-1]
    return key


def words(text: str) -> str:
    """A source's words as the registry keeps them (compared without case)."""
    return _SPACES.sub(" ", text).strip()[:SOURCE_WORDS]


def _pairs(sources: Mapping[str, str]) -> set[tuple[str, str]]:
    return {(article, words(text).casefold()) for article, text in sources.items()}


def entry_of(fact: Fact) -> FactEntry:
    return FactEntry(id=fact.id, kind=fact.kind, key=fact.key, label=fact.label,
                     sources={s.article: words(s.text) for s in fact.sources})


def stable_facts(registry: Registry, stories: Sequence[Story], aliases: Mapping[str, str]
                 ) -> tuple[tuple[Story, ...], dict[str, dict[str, str]]]:
    """The stories with registered fact ids, and per story the fact ids that lead elsewhere."""
    by_story: dict[str, list[FactEntry]] = {}
    for entry in registry.stories:  # the story's own rows first, then those of stories merged into it
        own = entry.id if entry.alias_of is None else aliases.get(entry.id, entry.alias_of)
        by_story.setdefault(own, [])
        if entry.alias_of is None:
            by_story[own][:0] = list(entry.facts)
        else:
            by_story[own].extend(entry.facts)
    out, fact_aliases = [], {}
    for story in stories:
        known = by_story.get(story.id, [])
        facts, moved = _match(story.facts, known)
        if moved:
            fact_aliases[story.id] = moved
        if any(f.id != g.id for f, g in zip(facts, story.facts)):
            rename = {g.id: f.id for f, g in zip(facts, story.facts)}
            exclusive = {k: tuple(rename.get(x, x) for x in v) for k, v in story.exclusive.items()}
            story = replace(story, facts=tuple(facts), exclusive=exclusive)
        out.append(story)
    return tuple(out), fact_aliases


def _match(facts: Sequence[Fact], known: Sequence[FactEntry]) -> tuple[list[Fact], dict[str, str]]:
    live = [e for e in known if e.alias_of is None]
    taken: dict[int, int] = {}  # fact index -> live entry index
    used_entries: set[int] = set()

    given: set[str] = set()  # a story merged into this one may have used the same id

    def take(pairs: list[tuple[tuple, int, int]]) -> None:
        for _, fi, ei in sorted(pairs):
            if fi not in taken and ei not in used_entries and live[ei].id not in given:
                taken[fi] = ei
                used_entries.add(ei)
                given.add(live[ei].id)

    # 1. The same thing measured.
    take([((ei,), fi, ei) for fi, f in enumerate(facts) for ei, e in enumerate(live)
          if not f.added and e.kind == f.kind and identity(e.kind, e.key) == identity(f.kind, f.key) and e.key])
    # 2. The same words in the same articles.
    mine = [_pairs({s.article: s.text for s in f.sources}) for f in facts]
    theirs = [_pairs(e.sources) for e in live]
    scored = []
    for fi, f in enumerate(facts):
        if fi in taken or f.added:
            continue
        for ei, e in enumerate(live):
            if ei in used_entries or e.kind != f.kind:
                continue
            shared = len(mine[fi] & theirs[ei])
            if shared:
                scored.append(((-shared, ei), fi, ei))
    take(scored)
    # 3. The id the extractor derives.
    take([((ei,), fi, ei) for fi, f in enumerate(facts) for ei, e in enumerate(live)
          if not f.added and e.kind == f.kind and e.id == f.id])
    used = {e.id for e in known} | {live[ei].id for ei in taken.values()}
    out: list[Fact] = []
    for fi, f in enumerate(facts):
        if f.added:
            out.append(f)
            continue
        if fi in taken:
            fid = live[taken[fi]].id
        else:
            fid, n = f.id, 2
            while fid in used:
                fid, n = f"{f.id}-{n}", n + 1
            used.add(fid)
        out.append(f if fid == f.id else replace(f, id=fid))
    current = {f.id for f in out}
    moved = {e.id: e.alias_of for e in known if e.alias_of and e.id not in current}
    # Registered rows not found again whose thing or words are in a row under another id.
    for ei, e in enumerate(live):
        if ei in used_entries or e.id in current:
            continue
        for fi, f in enumerate(facts):
            if f.added or f.kind != e.kind:
                continue
            if (e.key and identity(e.kind, e.key) == identity(f.kind, f.key)) or mine[fi] & theirs[ei]:
                moved[e.id] = out[fi].id
                break
    resolved = {}
    for old in moved:
        target, seen = old, {old}
        while target in moved and moved[target] not in seen:
            target = moved[target]
            seen.add(target)
        if target in current:
            resolved[old] = target
    return out, resolved
