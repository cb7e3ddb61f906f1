"""What changed since the last published build, for the editor: compared with the digest.json
that build published (docs/digest.json), story by story and row by row under the stable ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping, Sequence

from digest.model import Changes, Digest, Fact, Problem, RowChange, ValueChange

UNKNOWN_OUTLET = "Unknown outlet"
_STALE = ("stale override", "unknown story id", "unknown article id")


def previous_build(docs: Path) -> dict | None:
    """The digest.json of the last published build, or None (first build, or unreadable)."""
    try:
        data = json.loads((docs / "digest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("stories"), list) else None


def _shown(status: str) -> bool:
    return status != "hidden"


def _per_outlet(sources: Sequence[tuple[str, str]], outlet: Mapping[str, str | None]) -> dict[str, str]:
    """outlet -> the values its articles gave (joined when it has several articles)."""
    values: dict[str, list[str]] = {}
    for article, value in sources:
        name = outlet.get(article) or UNKNOWN_OUTLET
        if value not in values.setdefault(name, []):
            values[name].append(value)
    return {name: " / ".join(v) for name, v in values.items()}


def _new_values(fact: Fact, outlet: Mapping[str, str | None]) -> dict[str, str]:
    return _per_outlet([(s.article, s.value or s.text) for s in fact.sources], outlet)


def _old_values(fact: dict, outlet: Mapping[str, str | None]) -> dict[str, str]:
    details = fact.get("source_details")
    if isinstance(details, list):
        pairs = [(str(d.get("article")), str(d.get("value") or d.get("text") or "")) for d in details]
    else:
        pairs = [(str(k), str(v)) for k, v in (fact.get("sources") or {}).items()]
    return _per_outlet(pairs, outlet)


def compare(previous: dict | None, digest: Digest, problems: Sequence[Problem] = ()) -> Changes:
    stale = tuple(str(p) for p in problems
                  if p.severity in ("warning", "error") and p.message.startswith(_STALE))
    if previous is None:
        return Changes(since=None, new_stories=tuple((s.id, s.title) for s in digest.stories), stale_overrides=stale)
    old_outlet = {str(a.get("id")): a.get("outlet") for a in previous.get("articles") or () if isinstance(a, dict)}
    new_outlet = {a.id: a.outlet for a in digest.articles}
    old_stories = {str(s.get("id")): s for s in previous["stories"] if isinstance(s, dict)}
    now = {s.id: s for s in digest.stories}
    redirects = dict(digest.redirects)
    new_stories, removed, moved = [], [], []
    added, gone, changed, conflicts = [], [], [], []
    successor: dict[str, list[str]] = {}
    for old_id, old in old_stories.items():
        target = old_id if old_id in now else redirects.get(old_id)
        if target is None or target not in now:
            removed.append((old_id, str(old.get("title") or old_id)))
        else:
            if target != old_id:
                moved.append((old_id, target))
            successor.setdefault(target, []).append(old_id)
    for story in digest.stories:
        if story.id not in successor:
            new_stories.append((story.id, story.title))
            continue
        before: dict[str, dict] = {}
        for old_id in sorted(successor[story.id], key=lambda i: i != story.id):  # its own rows win
            for fact in old_stories[old_id].get("facts") or ():
                if isinstance(fact, dict) and _shown(str(fact.get("status"))):
                    before.setdefault(str(fact.get("id")), fact)
        after = {f.id: f for f in story.facts if _shown(f.status)}
        for fid, fact in after.items():
            old = before.get(fid)
            if old is None:
                added.append(RowChange(story.id, fid, fact.label, fact.value))
                if fact.status == "conflict" or fact.disputed:
                    conflicts.append(RowChange(story.id, fid, fact.label, fact.value))
                continue
            was, is_ = _old_values(old, old_outlet), _new_values(fact, new_outlet)
            diffs = tuple(ValueChange(o, was.get(o), is_.get(o)) for o in dict.fromkeys([*was, *is_])
                          if was.get(o) != is_.get(o))
            if diffs or str(old.get("value")) != fact.value:
                changed.append(RowChange(story.id, fid, fact.label, fact.value, diffs))
            in_conflict = fact.status == "conflict" or fact.disputed
            if in_conflict and not (old.get("status") == "conflict" or old.get("disputed")):
                conflicts.append(RowChange(story.id, fid, fact.label, fact.value))
        for fid, old in before.items():
            if fid not in after:
                gone.append(RowChange(story.id, fid, str(old.get("label") or fid), str(old.get("value") or "")))
    return Changes(since=str(previous.get("title") or "the last build"), new_stories=tuple(new_stories),
                   removed_stories=tuple(removed), moved_stories=tuple(moved), rows_added=tuple(added),
                   rows_removed=tuple(gone), rows_changed=tuple(changed), new_conflicts=tuple(conflicts),
                   stale_overrides=stale)


def summary_lines(changes: Changes, limit: int = 12) -> list[str]:
    """The report in a few lines for the build summary."""
    if changes.since is None:
        lines = [f"changes: first published build ({len(changes.new_stories)} stories)"]
    elif changes.empty:
        return ["changes: none since the last published build"]
    else:
        counts = [(len(changes.new_stories), "new stories"), (len(changes.removed_stories), "removed stories"),
                  (len(changes.moved_stories), "moved stories"), (len(changes.rows_added), "rows added"),
                  (len(changes.rows_removed), "rows removed"), (len(changes.rows_changed), "rows changed"),
                  (len(changes.new_conflicts), "new conflicts"),
                  (len(changes.stale_overrides), "overrides matching nothing")]
        lines = ["changes since the last published build: " + ", ".join(f"{n} {what}" for n, what in counts if n)]
    items: list[str] = []
    items += [f"  new story {sid}: {title}" for sid, title in changes.new_stories if changes.since is not None]
    items += [f"  removed story {sid}: {title}" for sid, title in changes.removed_stories]
    items += [f"  story {old} now redirects to {new}" for old, new in changes.moved_stories]
    items += [f"  new conflict {c.story}/{c.fact}: {c.label}" for c in changes.new_conflicts]
    items += [f"  row added {c.story}/{c.fact}: {c.label} = {c.value}" for c in changes.rows_added]
    items += [f"  row removed {c.story}/{c.fact}: {c.label}" for c in changes.rows_removed]
    for c in changes.rows_changed:
        what = "; ".join(f"{v.outlet}: {v.old or '—'} → {v.new or '—'}" for v in c.changes) or f"now {c.value}"
        items.append(f"  row changed {c.story}/{c.fact}: {c.label} ({what})")
    items += [f"  override matching nothing: {p}" for p in changes.stale_overrides]
    lines += items[:limit]
    if len(items) > limit:
        lines.append(f"  ... and {len(items) - limit} more (see changes.md)")
    return lines
