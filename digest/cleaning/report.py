"""What `digest check` says about the cleaned articles' metadata: pages flagged as not articles,
articles without an outlet name (none, or only a domain) and undated articles. Notes, not errors:
each names the file and what to do."""

from __future__ import annotations

from typing import Iterable

from ..model import Article, Problem
from ..readers import looks_like_domain


def metadata_notes(articles: Iterable[Article]) -> list[Problem]:
    notes: list[Problem] = []
    for a in articles:
        if a.not_article:
            notes.append(Problem(a.source_path, f"not an article: {a.not_article}", "note"))
        if not a.outlet:
            notes.append(Problem(a.source_path, "no outlet name: set `outlet:` for this article in overrides.yml",
                                 "note"))
        elif looks_like_domain(a.outlet):
            notes.append(Problem(a.source_path, f"outlet {a.outlet!r} is only a domain: name it under `outlets:` "
                                 "in overrides.yml", "note"))
        if not a.published:
            notes.append(Problem(a.source_path, "undated: no publication date on the page or in its metadata "
                                 "(set `published:` in overrides.yml)", "note"))
    return notes


def summary(articles: Iterable[Article]) -> str:
    items = list(articles)
    flagged = sum(1 for a in items if a.not_article)
    unnamed = sum(1 for a in items if not a.outlet or looks_like_domain(a.outlet))
    undated = sum(1 for a in items if not a.published)
    return f"{flagged} not articles, {unnamed} articles without an outlet name, {undated} undated"
