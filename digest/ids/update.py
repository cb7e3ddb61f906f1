"""The registry after a build: what it published, added to what was known."""

from __future__ import annotations

from typing import Mapping, Sequence

from digest.model import Story, StoryNaming

from .facts import entry_of
from .registry import FactEntry, Registry, StoryEntry


def updated(registry: Registry, naming: StoryNaming, stories: Sequence[Story],
            fact_aliases: Mapping[str, Mapping[str, str]]) -> Registry:
    """Every story and row this build publishes, under its id; earlier entries kept (their ids
    stay reserved), aliases recorded. Entries keep their first-published order."""
    final = {s.id: s for s in stories}
    groups = dict(naming.groups)
    entries = {e.id: e for e in registry.stories}
    order = [e.id for e in registry.stories]
    for sid in [*groups, *final]:
        if sid not in entries:
            order.append(sid)
    out = []
    for sid in dict.fromkeys(order):
        old = entries.get(sid)
        story = final.get(sid)
        if sid in naming.aliases:
            out.append(StoryEntry(id=sid, title=old.title if old else "", articles=old.articles if old else (),
                                  facts=old.facts if old else (), alias_of=naming.aliases[sid]))
            continue
        if sid in groups:
            articles, by_overrides = groups[sid], False
        elif story is not None:
            articles, by_overrides = story.articles, True
        else:  # not published now (its articles are gone): kept as it was, its id reserved
            out.append(old)  # type: ignore[arg-type]
            continue
        facts = _facts(old.facts if old else (), story, fact_aliases.get(sid, {}))
        title = story.title if story is not None else (old.title if old else "")
        out.append(StoryEntry(id=sid, title=title, articles=tuple(sorted(articles)), facts=facts,
                              by_overrides=by_overrides))
    return Registry(tuple(out))


def _facts(old: Sequence[FactEntry], story: Story | None, moved: Mapping[str, str]) -> tuple[FactEntry, ...]:
    if story is None:  # merged into another story by the writers: its rows are that story's
        return tuple(old)
    now = {f.id: entry_of(f) for f in story.facts if not f.added}
    out: list[FactEntry] = []
    seen: set[str] = set()
    for entry in old:
        if entry.id in seen:
            continue
        seen.add(entry.id)
        if entry.id in now:
            out.append(now[entry.id])
        elif entry.id in moved:
            out.append(FactEntry(id=entry.id, kind=entry.kind, key=entry.key, label=entry.label,
                                 alias_of=moved[entry.id]))
        else:
            out.append(entry)  # not reported now; its id stays reserved and returns with the row
    for fid, entry in now.items():
        if fid not in seen:
            out.append(entry)
    for fid, target in moved.items():  # from stories merged into this one
        if fid not in seen and fid not in now:
            out.append(FactEntry(id=fid, alias_of=target))
            seen.add(fid)
    return tuple(out)
