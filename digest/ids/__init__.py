"""Ids stage: stable story and fact ids across builds, kept in the project's id registry
(ids.yml), and the report of what changed since the last published build.

Entry points (called by pipeline.py, in this order):

- `load(path, shown)`: the registry and its problems (read at the start of every build).
- `story_namer(registry)`: the function the aggregate stage calls to name its story groups
  (stories.py: heirs, merges keep the older id, splits keep it on the larger part).
- `stable_facts(registry, stories, aliases)`: the stories with registered row ids (facts.py).
- `updated(registry, naming, stories, fact_aliases)` and `text(registry)`: the registry to
  write; the publish stage writes it together with docs/, and only when the build publishes.
- `redirects(registry, stories)`: earlier story ids -> the story their pages now lead to.
- `previous_build(docs)`, `compare(previous, digest, problems)`, `summary_lines(changes)`:
  the changes report (changes.py).
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Callable, Sequence

from digest.model import Story, StoryNaming

from .changes import compare, previous_build, summary_lines
from .facts import stable_facts
from .registry import Registry, follow, load, save, text
from .stories import name_stories
from .update import updated

StoryNamer = Callable[[Sequence[tuple[str, Sequence[str]]]], StoryNaming]

__all__ = ["Registry", "StoryNamer", "compare", "load", "name_stories", "previous_build", "redirects", "save",
           "stable_facts", "story_namer", "summary_lines", "text", "updated"]


def story_namer(registry: Registry) -> StoryNamer:
    return partial(name_stories, registry)


def redirects(registry: Registry, stories: Sequence[Story]) -> dict[str, str]:
    """Every registered story id not published now whose story lives on: an alias leads to its
    survivor; a story the writers merged (or whose articles all moved) to the story now holding
    most of its articles."""
    current = {s.id for s in stories}
    story_of = {a: s.id for s in stories for a in s.articles}
    direct = {e.id: e.alias_of for e in registry.stories if e.alias_of}
    out = {}
    for entry in registry.stories:
        if entry.id in current:
            continue
        target = follow(direct, entry.id)
        if target not in current:
            counts = Counter(story_of[a] for a in entry.articles if a in story_of)
            if not counts:
                continue
            target = min(counts, key=lambda s: (-counts[s], s))
        out[entry.id] = target
    return dict(sorted(out.items()))
