"""Lookups every page writer needs, computed once per render."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache
from itertools import chain

from digest.text.dates import utc_key
from digest.model import Article, Digest, Entity, EntityRef, Fact, Story
from digest.render.escape import md, page_title, yaml_str
from digest.render.paths import SiteMap, outlet_of, rel

STATUS_TEXT = {
    "agreed": "agreed",
    "conflict": "conflict",
    "single": "one source",
    "edited": "edited",
    "hidden": "hidden",
    "disputed": "disputed",
    "pinned": "pinned",
    "added": "added",
    "latest": "latest",
}


_PARTIAL = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2}))?")


@lru_cache(maxsize=8192)  # thousands of pages show the same few hundred dates
def fmt_date(value: str | None, with_time: bool = True) -> str:
    """"2024-05-15T20:41:00" -> "15 May 2024, 20:41"; a month or a year alone ("2023-03",
    "2023") in the same words ("March 2023", "2023"), so a timeline reads in one format;
    unparseable dates are shown as written."""
    if not value:
        return ""
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        partial = _PARTIAL.fullmatch(value.strip())
        if partial and (not partial["month"] or 1 <= int(partial["month"]) <= 12):
            year = partial["year"]
            return f"{datetime(2000, int(partial['month']), 1):%B} {year}" if partial["month"] else year
        return md(value)
    text = f"{dt.day} {dt:%B %Y}"
    if with_time and "T" in value and (dt.hour or dt.minute):
        text += f", {dt:%H:%M}"
        offset = dt.utcoffset()
        if offset is not None:  # the outlet's local time, with its offset
            zone = f"{dt:%z}"
            text += f" (UTC{zone[:3]}:{zone[3:5]})" if offset else " UTC"
    return text


_RANGE = " – "


def fact_value(fact: Fact) -> str:
    """A row's value as a reader reads it, escaped: a date (or a range of dates) in the words
    every page uses ("14 October 2025", "March 2023"), not ISO; anything else as written."""
    parts = fact.value.split(_RANGE) if fact.kind == "date" and fact.value else []
    if parts and all(_ISO_DAY.fullmatch(part) for part in parts):
        return _RANGE.join(fmt_date(part, with_time=False) for part in parts)
    return md(fact.value)


_ISO_DAY = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def disagreed(fact: Fact) -> bool:
    """True when the outlets reported different values for this row: a conflict, a disputed row,
    or a conflict an editor has since settled (status "edited", but `latest` is only ever set
    on a conflict): the edit does not undo the disagreement a reader should know about."""
    return fact.status == "conflict" or fact.disputed or fact.latest is not None


def badge(status: str, text: str | None = None) -> str:
    """A status badge: a span with a fixed class (status comes from our own vocabulary)."""
    safe = status if status in STATUS_TEXT else "other"
    return f'<span class="dg-badge dg-{safe}">{md(text or STATUS_TEXT.get(status, status))}</span>'


def label_list(labels: list[str]) -> str:
    """Escaped labels joined by "; ", each once, counted when repeated ("Quote: Yury Ushakov
    (3)"): three quotes of one speaker are three rows with one label."""
    counts = Counter(labels)
    return "; ".join(md(x) + (f" ({counts[x]})" if counts[x] > 1 else "") for x in counts)


def status_badges(fact: Fact) -> str:
    """A row's status badges; an edited conflict keeps "outlets disagreed" beside "edited"."""
    out = badge(fact.status)
    if fact.disputed:
        out += " " + badge("disputed")
    if fact.status != "conflict" and fact.latest is not None:
        out += " " + badge("conflict", "outlets disagreed")
    return out


def front_matter(title: str, **extra: str) -> str:
    """YAML front matter with an escaped title; `extra` values are pre-built YAML fragments."""
    lines = ["---", f"title: {page_title(title)}"]
    lines += [f"{key}:{value}" if value.startswith("\n") else f"{key}: {value}" for key, value in extra.items()]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def meta_line(markdown: str, css_class: str = "dg-meta") -> str:
    """A paragraph of our own Markdown styled by class: an inline span, which Python-Markdown
    parses like any text (a block tag such as <p> would hide the links inside from it), and
    which needs no attr_list in the project's mkdocs.yml."""
    return f'<span class="{css_class}">{markdown}</span>'


def yaml_list(items: list[str]) -> str:
    return "\n" + "\n".join(f"  - {yaml_str(x)}" for x in items) if items else "[]"


@dataclass
class Context:
    digest: Digest
    paths: SiteMap
    site_title: str

    @cached_property
    def articles(self) -> dict[str, Article]:
        return {a.id: a for a in self.digest.articles}

    @cached_property
    def entities(self) -> dict[str, Entity]:
        return {e.id: e for e in self.digest.entities.entities}

    @cached_property
    def story_of(self) -> dict[str, Story]:
        return {aid: s for s in self.digest.stories for aid in s.articles}

    @cached_property
    def by_outlet(self) -> dict[str, list[Article]]:
        groups: dict[str, list[Article]] = defaultdict(list)
        for a in self.newest_first(self.digest.articles):
            groups[outlet_of(a)].append(a)
        return dict(groups)

    def refs(self, article_id: str) -> tuple[EntityRef, ...]:
        return tuple(self.digest.entities.by_article.get(article_id, ()))

    def ref(self, article_id: str, entity_id: str) -> EntityRef | None:
        """How an article mentions an entity (its first ref to it), or None."""
        return self._refs_by_entity.get(article_id, {}).get(entity_id)

    @cached_property
    def _refs_by_entity(self) -> dict[str, dict[str, EntityRef]]:
        out = {}
        for article_id, refs in self.digest.entities.by_article.items():
            first: dict[str, EntityRef] = {}
            for r in refs:
                first.setdefault(r.entity, r)
            out[article_id] = first
        return out

    @staticmethod
    def newest_first(articles) -> list[Article]:
        return sorted(articles, key=_newest_key, reverse=True)

    def newest_first_ids(self, article_ids) -> list[Article]:
        """newest_first of the known articles among these ids, by a rank computed once: an entity
        page sorts its articles, and there are thousands of entities."""
        rank = self._newest_rank
        return [self.articles[a] for a in sorted((a for a in article_ids if a in rank), key=rank.__getitem__)]

    @cached_property
    def _newest_rank(self) -> dict[str, int]:
        return {a.id: i for i, a in enumerate(self.newest_first(self.articles.values()))}

    def story_outlets(self, story: Story) -> list[str]:
        """Outlets of a story's articles, in the order they first reported (the table columns)."""
        return list(self._story_outlets[story.id])

    @cached_property
    def _story_outlets(self) -> dict[str, tuple[str, ...]]:
        out = {}
        for story in self.digest.stories:
            seen = dict.fromkeys(outlet_of(self.articles[a]) for a in story.articles if a in self.articles)
            out[story.id] = tuple(seen)
        return out

    def stories_of(self, article_ids) -> list[Story]:
        """Stories containing any of these articles, in digest order (most recent first)."""
        wanted = {self.story_of[a].id: self.story_of[a] for a in article_ids if a in self.story_of}
        return sorted(wanted.values(), key=lambda s: self._story_rank[s.id])

    @cached_property
    def _story_rank(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.digest.stories)}

    def visible_facts(self, story: Story) -> list[Fact]:
        """Facts shown on pages: hidden rows absent, pinned rows first, otherwise story order."""
        shown = [f for f in story.facts if f.status != "hidden"]
        return [f for f in shown if f.pinned] + [f for f in shown if not f.pinned]

    def conflicts(self, story: Story) -> int:
        return sum(1 for f in self.visible_facts(story) if disagreed(f))

    # Links -----------------------------------------------------------------------------

    def article_link(self, page: str, article_id: str) -> str:
        a = self.articles.get(article_id)
        if a is None or article_id not in self.paths.articles:
            return md(article_id)
        return f"[{md(a.title or a.id)}]({rel(page, self.paths.articles[article_id])})"

    def entity_link(self, page: str, entity_id: str | None, fallback: str | None = None) -> str:
        e = self.entities.get(entity_id or "")
        if e is None:
            return md(fallback or entity_id or "")
        return f"[{md(e.name)}]({rel(page, self.paths.entities[e.id])})"

    def outlet_link(self, page: str, outlet: str) -> str:
        path = self.paths.outlets.get(outlet)
        return f"[{md(outlet)}]({rel(page, path)})" if path else md(outlet)

    def story_link(self, page: str, story: Story) -> str:
        return f"[{md(story.title)}]({rel(page, self.paths.stories[story.id])})"

    def source_outlets(self, fact: Fact) -> list[str]:
        seen: dict[str, None] = {}
        for src in fact.sources:
            if src.article in self.articles:
                seen.setdefault(outlet_of(self.articles[src.article]), None)
        return list(seen)

    def cooccurring(self, entity: Entity, limit: int = 12) -> list[tuple[Entity, int]]:
        """The entities most often in the same articles, then by name (ties in first-seen order)."""
        ids = self._entity_ids
        counts = Counter(chain.from_iterable(ids.get(aid, ()) for aid in entity.articles))
        counts.pop(entity.id, None)
        # Two stable sorts with C-level keys (no Python call per item): by name, then by count.
        ranked = sorted(counts, key=self._name_rank.__getitem__)
        ranked.sort(key=counts.__getitem__, reverse=True)
        return [(self.entities[k], counts[k]) for k in ranked[:limit]]

    @cached_property
    def _entity_ids(self) -> dict[str, tuple[str, ...]]:
        """article id -> ids of the known entities it mentions, one per ref."""
        known = self.entities
        return {aid: tuple(r.entity for r in refs if r.entity in known) for aid, refs in self.digest.entities.by_article.items()}

    @cached_property
    def _name_rank(self) -> dict[str, int]:
        """entity id -> position of its name in sorted order (equal names share a rank)."""
        order = {name: i for i, name in enumerate(sorted({e.name for e in self.entities.values()}))}
        return {e.id: order[e.name] for e in self.entities.values()}


def _newest_key(article: Article) -> tuple[str, str]:
    return (utc_key(article.published), article.id)
