"""Which rows an editor wants: the filters that keep the table short (no junk rows).

A row survives when it is corroborated (reported by two or more articles) or, reported by one
article only, when it is still a key fact:
- quote: the speaker is known and named in at least two articles of the story; at most
  MAX_SINGLE_QUOTES such quotes per speaker (the earliest in their articles);
- person: the role carries an office or title ("Premier", "Nevada state senator"), not "brother";
- place: the story has fewer than three articles (else a place only one reports is a side remark);
- date: within DATE_WINDOW_DAYS of the story's publication dates (older dates are background);
- number: not a small count (<= 3) of a plain noun ("2 small planes"); role counts, ages,
  durations and ordinals always stay, but an age only of someone half of the articles name;
In a story of MANY_ARTICLES or more, every row needs two articles: one outlet's detail is noise
there (it stays visible on the article's page). A year alone ("in 2009") is background, never a row.
Claims already need two independent origins (claims.py).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

from digest.model import AnalysedArticle, EntityIndex
from digest.aggregate.facts.rows import Row
from digest.aggregate.facts.values import _number, always_comparable
from digest.text.dates import day_of
from digest.text.names import ROLE_WORDS

MAX_SINGLE_QUOTES = 3
MANY_ARTICLES = 8
DATE_WINDOW_DAYS = 62


def keep_rows(rows: Iterable[Row], story: Sequence[AnalysedArticle], index: EntityIndex) -> list[Row]:
    rows = list(rows)
    articles_of: dict[str, set[str]] = defaultdict(set)  # entity id -> story articles naming it
    for a in story:
        for ref in index.by_article.get(a.article.id, ()):
            articles_of[ref.entity].add(a.article.id)
    days = [d for d in (day_of(a.article.published, month_start=True) for a in story if a.article.published) if d]
    quotes_kept: dict[str, int] = defaultdict(int)
    subjects = {e.name for e in index.entities if 2 * len(articles_of.get(e.id, ())) >= len(story)}
    out = []
    for row in rows:
        if row.kind == "date" and len(row.key.split()[-1]) == 4:
            continue
        if len(row.cells) >= 2:
            out.append(row)
            continue
        if len(story) >= MANY_ARTICLES:
            continue
        cand = next(iter(row.cells.values()))
        if row.kind == "quote":
            if not row.speaker or len(articles_of.get(row.speaker, ())) < 2 \
                    or quotes_kept[row.speaker] >= MAX_SINGLE_QUOTES:
                continue
            quotes_kept[row.speaker] += 1
        elif row.kind == "person":
            if not any(w.strip(".,").lower() in ROLE_WORDS for w in (row.value or "").split()):
                continue
        elif row.kind == "place" and len(story) >= 3:
            continue
        elif row.kind == "date":
            when = day_of(cand.value.removeprefix("--"), month_start=True)
            if days and when and min(abs((when - d).days) for d in days) > DATE_WINDOW_DAYS:
                continue
        elif row.kind == "number" and row.key.startswith("age of ") and row.key[7:] not in subjects:
            continue  # one outlet's age of a passer-by ("the 26-year-old male Little One")
        elif row.kind == "number" and not always_comparable(row.key):
            n = _number(cand.value)
            if n is not None and n <= 3:
                continue
        out.append(row)
    return out
