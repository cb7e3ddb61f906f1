"""This event, not another: candidates the analysis marked as background leave the story here.

The analysis marks a candidate's sentence (Candidate.background): a list heading, a paragraph
after a list of other events, a year before the publication year. Lists always leave. A past year
in a claim is the story's own history when the sentence's subject names the story's subject (an
entity at least half of its articles name, or a capitalised word half of them use:
"Tiangong-1 was launched in 2011", even unknown to the entity model);
otherwise it is another event (a 1996 fall at another zoo, a 1991 crash of another station).
Numbers and places of a past-year sentence always leave (unless the analysis found the number in
the main clause and the year in a subordinate one: it did not mark those).
Every candidate that leaves is written to the trace with its reason.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Sequence

from digest.model import AnalysedArticle, EntityIndex

PRONOUNS = frozenset({"it", "he", "she", "they"})
ARTICLES = frozenset({"the", "this", "that", "these", "those", "a", "an"})
MIN_SURFACE = 4  # shorter surfaces ("US", "Zoo"?) say too little about whose history it is


def subject_surfaces(story: Sequence[AnalysedArticle], index: EntityIndex) -> list[str]:
    counts = Counter(ref.entity for a in story for ref in index.by_article.get(a.article.id, ()))
    main = {e for e, n in counts.items() if 2 * n >= len(story)}
    return sorted({s for ent in index.entities if ent.id in main for s in (ent.name, *ent.aliases)
                   if len(s) >= MIN_SURFACE}, key=len, reverse=True)


def common_names(story: Sequence[AnalysedArticle]) -> set[str]:
    """Capitalised words that at least half of the story's articles use: its subject even when
    the entity model missed the name ("Tiangong-1")."""
    counts: Counter = Counter()
    for a in story:
        text = " ".join((a.article.title or "", a.article.standfirst or "", *a.article.paragraphs))
        counts.update({w.lower() for w in re.findall(r"\b[A-Z][\w-]+", text) if len(w) >= MIN_SURFACE})
    return {w for w, n in counts.items() if 2 * n >= len(story)}


def _names_subject(sentence: str, surfaces: Sequence[str], titled: set[str] = frozenset()) -> bool:
    if sentence.strip().lower() in PRONOUNS:
        return True  # "It was decommissioned in 2013": the sentence goes on about the article's subject
    if any(w.lower() in titled for w in re.findall(r"[A-Z][\w-]+", sentence) if w.lower() not in ARTICLES):
        return True
    return any(re.search(r"(?<!\w)" + re.escape(s) + r"(?!\w)", sentence) for s in surfaces)


def this_event(story: Sequence[AnalysedArticle], index: EntityIndex, trace: list[str]) -> list[AnalysedArticle]:
    """The story's articles with background candidates removed (reasons appended to `trace`)."""
    surfaces: list[str] | None = None
    titled: set[str] | None = None
    out = []
    for a in story:
        kept = []
        for c in a.candidates:
            if c.kind == "claim" and c.background.startswith("past year"):
                if surfaces is None or titled is None:
                    surfaces, titled = subject_surfaces(story, index), common_names(story)
                subject = c.background.partition("(subject: ")[2]
                if subject and _names_subject(subject, surfaces, titled):
                    kept.append(c)
                    continue
            if c.background:
                trace.append(f"dropped {a.article.id} {c.kind} {c.text[:60]!r}: {c.background}")
                continue
            kept.append(c)
        out.append(a if len(kept) == len(a.candidates) else dataclasses.replace(a, candidates=tuple(kept)))
    return out
