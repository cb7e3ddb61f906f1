"""Overrides follow the ids: a story or fact id that moved (the registry records it as an alias of
another) applies to the id it leads to now. Each such key is reported as a note with its fix, so
`digest check --fix` can rewrite it in the writers' file; the override works meanwhile."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from digest.model import Overrides, Pos, Problem


def _note(pos: Pos, what: str, old: str, new: str) -> Problem:
    message = f"{what} '{old}' is now '{new}' (the override applies to it; `digest check --fix` rewrites the key)"
    return Problem(pos.path, message, "note", pos.line, pos.col, fix=(old, new))


def follow_ids(ov: Overrides, story_aliases: Mapping[str, str],
               fact_aliases: Mapping[str, Mapping[str, str]]) -> tuple[Overrides, tuple[Problem, ...]]:
    """`ov` with every story and fact id that moved replaced by its current id, and a note each."""
    if not story_aliases and not fact_aliases:
        return ov, ()
    notes: list[Problem] = []
    positions = dict(ov.positions)
    articles = []
    for a in ov.articles:
        if a.story and a.story in story_aliases:
            new = story_aliases[a.story]
            notes.append(_note(ov.positions.get(("articles", a.article, "story"), a.pos), "story id", a.story, new))
            a = replace(a, story=new)
        articles.append(a)
    stories = []
    taken = {s.story for s in ov.stories}
    for s in ov.stories:
        sid = s.story
        if sid in story_aliases:
            sid = story_aliases[sid]
            if sid in taken:  # both keys written: they apply together, but only a writer can merge them
                notes.append(Problem(s.pos.path, f"story id '{s.story}' is now '{sid}', which the overrides also "
                                     f"name: the two apply together; move these lines under '{sid}'", "note",
                                     s.pos.line, s.pos.col))
            else:
                notes.append(_note(s.pos, "story id", s.story, sid))
            for key, pos in ov.positions.items():
                if key[:2] == ("stories", s.story):
                    positions[("stories", sid, *key[2:])] = pos
        merge = []
        for other in s.merge:
            if other in story_aliases:
                pos = ov.positions.get(("stories", s.story, "merge", other), s.pos)
                notes.append(_note(pos, "story id", other, story_aliases[other]))
                other = story_aliases[other]
            merge.append(other)
        moved = fact_aliases.get(sid, {})
        facts = []
        written = {f.fact for f in s.facts}
        for f in s.facts:
            if f.fact in moved and moved[f.fact] not in written:
                notes.append(_note(f.pos, "fact id", f.fact, moved[f.fact]))
                for key, pos in ov.positions.items():
                    if key[:4] == ("stories", s.story, "facts", f.fact):
                        positions[("stories", sid, "facts", moved[f.fact], *key[4:])] = pos
                f = replace(f, fact=moved[f.fact])
            facts.append(f)
        stories.append(replace(s, story=sid, merge=tuple(dict.fromkeys(merge)), facts=tuple(facts)))
    return replace(ov, articles=tuple(articles), stories=tuple(stories), positions=positions), tuple(notes)
