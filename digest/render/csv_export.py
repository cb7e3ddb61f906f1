"""Each story's key-facts table as CSV: the rows the page shows, a column per outlet."""

from __future__ import annotations

import csv
import io
from typing import Iterable, Sequence

from digest.model import Story
from digest.render.context import Context
from digest.render.escape import csv_cell
from digest.render.paths import outlet_of


def csv_text(rows: Iterable[Sequence[object]], lineterminator: str = "\n") -> str:
    """Rows as CSV, every cell one a spreadsheet will not run as a formula; None is empty."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([csv_cell("" if v is None else str(v)) for v in row])
    return buf.getvalue()


def render_csv(ctx: Context, story: Story) -> str:
    outlets = ctx.story_outlets(story)
    rows: list[list[object]] = [["fact", "kind", "label", "value", "status", "pinned", "disputed", "note", "citation",
                                 *outlets]]
    for fact in ctx.visible_facts(story):
        per_outlet = []
        for outlet in outlets:
            words = [s.text or s.value for s in fact.sources if s.article in ctx.articles and outlet_of(ctx.articles[s.article]) == outlet]
            per_outlet.append(" | ".join(dict.fromkeys(words)))
        rows.append([fact.id, fact.kind, fact.label, fact.value, fact.status, fact.pinned, fact.disputed, fact.note,
                     fact.citation, *per_outlet])
    return csv_text(rows)
