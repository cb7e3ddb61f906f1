"""digest.json: the contract of DESIGN.md (version 1), plus extra fields (never renamed)."""

from __future__ import annotations

import json
from dataclasses import asdict

from digest.model import Article, Digest, Fact, FactSource, RowChange, Story
from digest.render.context import Context
from digest.render.paths import outlet_of

VERSION = 1


def _article(ctx: Context, a: Article) -> dict:
    story = ctx.story_of.get(a.id)
    return {
        "id": a.id,
        "source_path": a.source_path,
        "title": a.title,
        "title_derived": a.title_derived,
        "published": a.published,
        "outlet": a.outlet,
        "url": a.url,
        "author": a.author,
        "standfirst": a.standfirst,
        "paragraphs": list(a.paragraphs),
        "dropped": [{"text": d.text, "reason": d.reason} for d in a.dropped],
        "page": ctx.paths.articles[a.id],
        "story": story.id if story else None,
        "entities": [
            {"entity": r.entity, "mentions": r.mentions, "surface": list(r.surface), "sentences": list(r.sentences)}
            for r in ctx.refs(a.id)
        ],
        # extra fields
        "format": a.format,
        "not_article": a.not_article,
        "outlet_page": ctx.paths.outlets[outlet_of(a)],
        "content_hash": a.content_hash,
    }


def _fact(f: Fact) -> dict:
    return {
        "id": f.id,
        "kind": f.kind,
        "label": f.label,
        "value": f.value,
        "status": f.status,
        "sources": {s.article: s.text for s in f.sources},
        "speaker": f.speaker,
        "note": f.note,
        # extra fields
        "citation": f.citation,
        "extracted_value": f.extracted_value,
        "pinned": f.pinned,
        "disputed": f.disputed,
        "added": f.added,
        "key": f.key,
        "source_details": [_source(s) for s in f.sources],
        "latest": f.latest,
    }


def _source(s: FactSource) -> dict:
    # Every field, as dataclasses.asdict would give them (which is 10x slower).
    return {"article": s.article, "text": s.text, "value": s.value, "paragraph": s.paragraph, "republished_from": s.republished_from,
            "published": s.published, "wire": s.wire}


def _story(ctx: Context, s: Story) -> dict:
    return {
        "id": s.id,
        "title": s.title,
        "articles": list(s.articles),
        "page": ctx.paths.stories[s.id],
        "facts": [_fact(f) for f in s.facts],
        # extra fields
        "csv": ctx.paths.story_csv[s.id],
        "updated": s.updated,
        "summary": [{"text": x.text, "articles": list(x.articles)} for x in s.summary],
        "timeline": [{"date": t.date, "text": t.text, "articles": list(t.articles)} for t in s.timeline],
        "republished": dict(s.republished),
        "wire": dict(s.wire),
        "exclusive": {k: list(v) for k, v in s.exclusive.items()},
        "outlets": ctx.story_outlets(s),
    }


def _row_change(c: RowChange) -> dict:
    return {"story": c.story, "fact": c.fact, "label": c.label, "value": c.value,
            "outlets": [{"outlet": v.outlet, "old": v.old, "new": v.new} for v in c.changes]}


def _changes(digest: Digest) -> dict | None:
    c = digest.changes
    if c is None:
        return None
    return {
        "first_build": c.since is None,
        "new_stories": [{"id": i, "title": t} for i, t in c.new_stories],
        "removed_stories": [{"id": i, "title": t} for i, t in c.removed_stories],
        "moved_stories": [{"from": i, "to": t} for i, t in c.moved_stories],
        "rows_added": [_row_change(x) for x in c.rows_added],
        "rows_removed": [_row_change(x) for x in c.rows_removed],
        "rows_changed": [_row_change(x) for x in c.rows_changed],
        "new_conflicts": [_row_change(x) for x in c.new_conflicts],
        "stale_overrides": list(c.stale_overrides),
    }


def render_json(ctx: Context, digest: Digest) -> str:
    data = {
        "version": VERSION,
        "title": ctx.site_title,
        "articles": [_article(ctx, a) for a in digest.articles],
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "label": e.label,
                "aliases": list(e.aliases),
                "articles": list(e.articles),
                "page": ctx.paths.entities[e.id],
                "roles": [{"role": r.role, "outlet": r.outlet, "article": r.article} for r in e.roles],
            }
            for e in digest.entities.entities
        ],
        "stories": [_story(ctx, s) for s in digest.stories],
        "outlets": [{"name": name, "page": path, "articles": [a.id for a in ctx.by_outlet.get(name, [])]} for name, path in ctx.paths.outlets.items()],
        "problems": [asdict(p) for p in digest.problems],
        # extra fields: story ids that moved -> where their pages lead now, and what changed
        # since the last published build (see changes.md)
        "redirects": [{"from": old, "to": new, "page": ctx.paths.stories.get(new)}
                      for old, new in digest.redirects.items()],
        "changes": _changes(digest),
    }
    return _dump(data)


# What json.dumps(value, ensure_ascii=False) uses, made once rather than for every record.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _dump(data: dict) -> str:
    """JSON with one record per line: diffable and readable, yet written by the C encoder
    (json.dumps with indent= falls back to the pure-Python one, 10x slower on big digests)."""
    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(map(_ENCODER.encode, value))
            parts.append(f"  {json.dumps(key)}: [\n    {items}\n  ]")
        else:
            parts.append(f"  {json.dumps(key)}: {_ENCODER.encode(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"
