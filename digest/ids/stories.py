"""Story ids that never change once published.

The grouping proposes groups of articles; each takes the id of the registered story it is the
heir of. A registered story's heir is the group that holds most of its articles (ties: the
larger group). A group that is the heir of several stories (a new article bridged them) keeps
the oldest id and the others become aliases of it (their pages redirect); a story whose articles
now sit in two groups (a split) keeps its id on the part holding most of them; the other part is
new. A group no live story claims may revive an alias whose articles it holds (a merge undone).
Everything else gets a fresh id: the slug of its earliest article's title, never one used before.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from digest.model import StoryNaming

from .registry import Registry, StoryEntry


def name_stories(registry: Registry, groups: Sequence[tuple[str, Sequence[str]]]) -> StoryNaming:
    """Ids for `groups` ((proposed slug, article ids) each, in grouping order)."""
    where = {article: gi for gi, (_, articles) in enumerate(groups) for article in articles}
    sizes = [len(articles) for _, articles in groups]

    def heir(entry: StoryEntry) -> int | None:
        counts = Counter(where[a] for a in entry.articles if a in where)
        if not counts:
            return None
        return min(counts, key=lambda g: (-counts[g], -sizes[g], g))

    machine = [s for s in registry.stories if not s.by_overrides]  # oldest first
    claims: dict[int, list[StoryEntry]] = {}
    for entry in machine:
        if entry.alias_of is None and (g := heir(entry)) is not None:
            claims.setdefault(g, []).append(entry)
    direct = {s.id: s.alias_of for s in registry.stories if s.alias_of}
    assigned: dict[int, str] = {}
    for g, claimants in claims.items():
        assigned[g] = claimants[0].id
        for other in claimants[1:]:
            direct[other.id] = claimants[0].id
    for entry in machine:  # a merge undone: the alias comes back as a story of its own
        if entry.alias_of is not None and (g := heir(entry)) is not None and g not in assigned:
            assigned[g] = entry.id
            direct.pop(entry.id, None)
    used = registry.story_ids() | set(assigned.values())
    for g, (proposed, _) in enumerate(groups):
        if g in assigned:
            continue
        sid, n = proposed, 2
        while sid in used:
            sid, n = f"{proposed}-{n}", n + 1
        used.add(sid)
        assigned[g] = sid
    current = set(assigned.values())
    aliases = {}
    for old in direct:
        if old in current:
            continue
        target = old
        seen = {old}
        while target in direct and direct[target] not in seen:
            target = direct[target]
            seen.add(target)
        aliases[old] = target
    return StoryNaming(groups=tuple((assigned[g], tuple(articles)) for g, (_, articles) in enumerate(groups)),
                       aliases=aliases)
