"""The cross-source key-facts table of one story: rows, status, republished copies, summary,
timeline and what each outlet reports alone.

`build_facts(story_articles, index)` is called by the aggregate stage for each story. Alignment
only ever happens inside one story, never across the corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from digest.model import AnalysedArticle, EntityIndex, Fact, FactSource, SummarySentence, TimelineEntry
from digest.aggregate.facts.claims import claim_id, claim_rows
from digest.aggregate.facts.junk import keep_rows
from digest.aggregate.facts.republish import find_republished, order_key
from digest.aggregate.facts.rows import (FOREIGN, Names, Row, date_rows, entity_rows, independent, main_entities, number_rows, quote_rows,
                   slug)
from digest.aggregate.facts.scope import this_event
from digest.aggregate.facts.values import always_comparable, split_number_row, value_groups
from digest.text.dates import utc_key

KIND_ORDER = {"date": 0, "place": 1, "person": 2, "number": 3, "quote": 4, "claim": 5}
SUMMARY_SENTENCES = 3


@dataclass(frozen=True)
class StoryFacts:
    facts: tuple[Fact, ...]
    summary: tuple[SummarySentence, ...]
    timeline: tuple[TimelineEntry, ...]
    republished: Mapping[str, str] = field(default_factory=dict)
    exclusive: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    trace: tuple[str, ...] = ()  # every candidate dropped (with its reason) and every merge: check --explain


def _id(row: Row) -> str:
    if row.kind == "claim":
        return claim_id(row)
    if row.kind == "date":  # the date itself: the event word may change as articles are added
        return "date-" + row.key.split()[-1]
    return f"{row.kind}-{slug(row.key if row.kind == 'quote' else row.label if row.kind == 'number' else row.key)}"


def _status_and_value(row: Row, republished: Mapping[str, str], published: Mapping[str, str | None]
                      ) -> tuple[str, str]:
    """agreed | conflict | single, and the row's value. A conflict's value is the latest report's:
    figures get updated (50 killed early, 59 later), so a majority would favour the early copies."""
    if row.value is not None and row.kind != "claim":
        return ("agreed" if independent(list(row.cells), republished) > 1 else "single"), row.value
    if row.kind == "claim":
        return "agreed", row.value or ""
    groups = value_groups(row) if row.kind == "number" else []
    if len(groups) > 1:
        return "conflict", row.cells[latest_report(row, published)].value
    values = Counter(c.value for c in row.cells.values())
    value = max(values, key=lambda v: (values[v], len(v)))
    return ("agreed" if independent(list(row.cells), republished) > 1 else "single"), value


def latest_report(row: Row, published: Mapping[str, str | None]) -> str:
    """The article of a row that was published last (undated articles count as earliest)."""
    return max(row.cells, key=lambda art: (utc_key(published.get(art)), art))


def _to_fact(row: Row, fid: str, republished: Mapping[str, str], published: Mapping[str, str | None]) -> Fact:
    status, value = _status_and_value(row, republished, published)
    sources = tuple(
        FactSource(article=art, text=c.text if row.kind != "claim" else c.value, value=c.value,
                   paragraph=c.paragraph, republished_from=republished.get(art), published=published.get(art))
        for art, c in sorted(row.cells.items(), key=lambda kv: (utc_key(published.get(kv[0])) or "9999", kv[0])))
    if row.kind == "number":
        approx = {c.approx for c in row.cells.values() if c.approx}
        if status != "conflict" and len(approx) == 1:
            value = f"{approx.pop()} {value}"
    return Fact(id=fid, kind=row.kind, label=row.label, value=value, status=status, sources=sources,
                speaker=row.speaker, key=row.key,
                latest=latest_report(row, published) if status == "conflict" else None)


def _unique_ids(rows: Sequence[Row]) -> list[str]:
    seen: Counter = Counter()
    out = []
    for row in rows:
        base = _id(row)
        seen[base] += 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def build_facts(story: Sequence[AnalysedArticle], index: EntityIndex, names: Names | None = None) -> StoryFacts:
    """The story's key facts. Pass `names` (built once per index) when building many stories:
    building it per story would cost stories x entities."""
    articles = [a.article for a in story]
    published = {a.id: a.published for a in articles}
    republished = find_republished(articles)
    names = names or Names(index)
    trace: list[str] = []
    story = this_event(story, index, trace)
    rows: list[Row] = []
    rows += date_rows(story)
    rows += entity_rows(story, names, "place")
    rows += entity_rows(story, names, "person")
    for row in number_rows(story, names, main_entities(story, index)):
        for part in split_number_row(row, republished, published):
            specific = " " in part.key and FOREIGN not in part.key
            if specific or always_comparable(part.key) or independent(list(part.cells), republished) > 1:
                rows.append(part)  # a lone count of a bare noun ("15 games"), or of someone else, is no key fact
    rows += quote_rows(story, names)
    rows = keep_rows(rows, story, index)
    rows += claim_rows(story, republished)
    rows.sort(key=lambda r: (KIND_ORDER[r.kind], -independent(list(r.cells), republished), r.key))
    facts = tuple(_to_fact(r, fid, republished, published) for r, fid in zip(rows, _unique_ids(rows)))
    return StoryFacts(facts=facts, summary=_summary(story, facts), timeline=_timeline(rows),
                      republished=republished, exclusive=_exclusive(story, facts),
                      trace=tuple(trace + _merges(rows, republished)))


def _merges(rows: Sequence[Row], republished: Mapping[str, str]) -> list[str]:
    out = [f"copy: {copy} republishes {original}" for copy, original in sorted(republished.items())]
    for row in rows:
        if len(row.cells) > 1:
            cells = "; ".join(f"{art}: {c.text[:60]!r}" for art, c in sorted(row.cells.items()))
            out.append(f"merged {row.kind} {row.label!r} ({row.key}): {cells}")
    return out


def _summary(story: Sequence[AnalysedArticle], facts: Sequence[Fact]) -> tuple[SummarySentence, ...]:
    """The most corroborated claims (each citing its outlets); the lead sentence when there are none."""
    claims = sorted((f for f in facts if f.kind == "claim"),
                    key=lambda f: (-len({s.republished_from or s.article for s in f.sources}),
                                   min(s.paragraph for s in f.sources), f.id))
    out = [SummarySentence(text=f.value, articles=tuple(s.article for s in f.sources))
           for f in claims[:SUMMARY_SENTENCES]]
    if len(out) < 2 and story:
        lead = min(story, key=lambda a: order_key(a.article))
        for para, sentence in lead.sentences:
            if len(out) >= 2:
                break
            if len(sentence.split()) >= 6 and all(sentence != s.text for s in out):
                out.append(SummarySentence(text=sentence, articles=(lead.article.id,)))
    return tuple(out)


def _timeline(rows: Sequence[Row]) -> tuple[TimelineEntry, ...]:
    """Dated rows with a year, each told by its shortest reporting sentence."""
    entries = []
    for row in rows:
        if row.kind != "date":
            continue
        start = row.key.split()[-1]
        if not re.match(r"^\d{4}", start):
            continue
        sentence = min((c.sentence for c in row.cells.values()), key=lambda t: (len(t), t))
        entries.append(TimelineEntry(date=start, text=sentence,
                                     articles=tuple(sorted(row.cells, key=lambda a: (len(row.cells[a].sentence), a)))))
    return tuple(sorted(entries, key=lambda e: (e.date, e.text)))


def _exclusive(story: Sequence[AnalysedArticle], facts: Sequence[Fact]) -> dict[str, tuple[str, ...]]:
    """Per outlet (or article id when the outlet is unknown), the fact ids only it reports."""
    outlet = {a.article.id: a.article.outlet or a.article.id for a in story}
    if len(set(outlet.values())) < 2:
        return {}
    out: dict[str, list[str]] = {}
    for f in facts:
        outlets = {outlet[s.article] for s in f.sources}
        if len(outlets) == 1:
            out.setdefault(outlets.pop(), []).append(f.id)
    return {k: tuple(v) for k, v in sorted(out.items())}
