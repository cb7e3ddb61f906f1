"""Each story's key-facts table as CSV: the rows the page shows, a column per outlet."""

from __future__ import annotations

import csv
import io

from digest.model import Story
from digest.render.context import Context
from digest.render.escape import csv_cell
from digest.render.paths import outlet_of


def render_csv(ctx: Context, story: Story) -> str:
    outlets = ctx.story_outlets(story)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["fact", "kind", "label", "value", "status", "pinned", "disputed", "note", "citation", *outlets])
    for fact in ctx.visible_facts(story):
        per_outlet = []
        for outlet in outlets:
            words = [s.text or s.value for s in fact.sources if s.article in ctx.articles and outlet_of(ctx.articles[s.article]) == outlet]
            per_outlet.append(" | ".join(dict.fromkeys(words)))
        row = [fact.id, fact.kind, fact.label, fact.value, fact.status, fact.pinned, fact.disputed, fact.note, fact.citation, *per_outlet]
        writer.writerow([csv_cell("" if v is None else str(v)) for v in row])
    return buf.getvalue()
