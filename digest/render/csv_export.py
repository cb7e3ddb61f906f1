"""The key facts as CSV: one shape for the site's per-story download and `digest facts --format
csv`, written here only. A row per report (fact × article), so any number of outlets fits one
header: the row's id, label, value, status and the editors' marks, then the article, its outlet,
when it was published, the words it used and its value, and whether it is the latest report of a
conflict. Booleans are `true`/`false`; an empty cell is an absent value."""

from __future__ import annotations

import csv
import io
from typing import Iterable, Mapping, Sequence

from digest.model import Article, Fact, Story
from digest.render.context import Context
from digest.render.escape import csv_cell
from digest.render.paths import outlet_of

HEADER = ("story", "fact", "kind", "label", "value", "status", "pinned", "disputed", "note", "citation",
          "article", "outlet", "published", "reported", "reported_value", "latest", "republished_from")


def csv_text(rows: Iterable[Sequence[object]], lineterminator: str = "\r\n") -> str:
    """Rows as CSV (RFC 4180 line ends), every cell one a spreadsheet will not run as a formula;
    None is empty, a bool is true/false."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([csv_cell(_text(v)) for v in row])
    return buf.getvalue()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def facts_csv(stories: Iterable[tuple[str, Sequence[Fact]]], articles: Mapping[str, Article]) -> str:
    """The CSV of these (story id, rows to show) pairs; `articles` by id give outlets and times."""
    rows: list[Sequence[object]] = [HEADER]
    for story_id, facts in stories:
        for fact in facts:
            head = (story_id, fact.id, fact.kind, fact.label, fact.value, fact.status, fact.pinned, fact.disputed,
                    fact.note, fact.citation)
            for src in fact.sources:
                art = articles.get(src.article)
                rows.append((*head, src.article, outlet_of(art) if art else None,
                             src.published or (art.published if art else None), src.text, src.value,
                             src.article == fact.latest, src.republished_from))
            if not fact.sources:  # a row the editors added
                rows.append((*head, None, None, None, None, None, False, None))
    return csv_text(rows)


def render_csv(ctx: Context, story: Story) -> str:
    """A story's download: the rows its page shows, in the page's order."""
    return facts_csv([(story.id, ctx.visible_facts(story))], ctx.articles)
