"""Atom feeds (RFC 4287): the site's (its stories), one per story (its articles) and one per
outlet (its articles). Built with ElementTree, which escapes all text; control characters,
invalid in XML 1.0, are stripped. Dates without a zone are taken as UTC; a time with a UTC offset
keeps it (2017-10-02T21:30:00-05:00, never turned into 21:30Z). No clock is read, so the same
digest always gives the same feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from digest.model import Article
from digest.text.dates import utc_key

from digest.render.context import Context
from digest.render.escape import description, one_line
from digest.render.paths import outlet_of, url_of

ATOM = "http://www.w3.org/2005/Atom"
EPOCH = "1970-01-01T00:00:00Z"
FEED = "feed.xml"
MAX_ENTRIES = 50  # a per-story or per-outlet feed lists the newest articles only


def rfc3339(value: str | None) -> str:
    if not value:
        return EPOCH
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return EPOCH
    if dt.tzinfo is None:
        return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return dt.isoformat(timespec="seconds").replace("+00:00", "Z")  # the offset as published


@dataclass(frozen=True)
class Entry:
    title: str
    key: str  # urn tail when the site has no address
    path: str  # docs-relative page
    updated: str | None
    summary: str


def _atom(ctx: Context, site_url: str | None, use_directory_urls: bool, title: str, key: str, page: str,
          self_path: str, entries: Iterable[Entry]) -> str:
    base = (site_url.rstrip("/") + "/") if site_url else ""

    def link(path: str) -> str:
        return base + url_of(path, use_directory_urls)

    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = one_line(text)
        return el

    entries = list(entries)
    sub(feed, "title", title)
    sub(feed, "id", (link(page) if page != "index.md" else base) if base else f"urn:digest:{key}")
    newest = max((e.updated for e in entries if e.updated), key=utc_key, default=None)
    sub(feed, "updated", rfc3339(newest))
    sub(feed, "link", href=link(page))
    sub(feed, "link", rel="self", href=link(self_path))
    sub(sub(feed, "author"), "name", ctx.site_title)
    sub(feed, "generator", "digest")
    for e in entries:
        entry = sub(feed, "entry")
        sub(entry, "title", e.title)
        sub(entry, "id", link(e.path) if base else f"urn:digest:{e.key}")
        sub(entry, "link", href=link(e.path))
        sub(entry, "updated", rfc3339(e.updated))
        sub(entry, "summary", e.summary, type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def render_feed(ctx: Context, site_url: str | None, use_directory_urls: bool) -> str:
    """The site's feed: its stories."""
    entries = []
    for story in ctx.digest.stories:
        outlets = ", ".join(ctx.story_outlets(story))
        summary = " ".join(s.text for s in story.summary) or story.title
        entries.append(Entry(story.title, f"story:{story.id}", ctx.paths.stories[story.id], story.updated,
                             f"{summary} ({len(story.articles)} articles: {outlets})"))
    return _atom(ctx, site_url, use_directory_urls, ctx.site_title, one_line(ctx.site_title), "index.md", FEED, entries)


def article_summary(article: Article) -> str:
    """What a card or a feed says of an article: its standfirst, else its opening paragraph."""
    return description(article.standfirst or next((p for p in article.paragraphs if p.strip()), "") or article.title)


def _article_entries(ctx: Context, articles: Iterable[Article]) -> list[Entry]:
    return [Entry(a.title or a.id, f"article:{a.id}", ctx.paths.articles[a.id], a.published,
                  f"{outlet_of(a)}: {article_summary(a)}")
            for a in list(articles)[:MAX_ENTRIES] if a.id in ctx.paths.articles]


def render_story_feed(ctx: Context, story_id: str, site_url: str | None, use_directory_urls: bool) -> str:
    """A story's feed: its articles, newest first, for a reader following one story."""
    story = next(s for s in ctx.digest.stories if s.id == story_id)
    articles = ctx.newest_first_ids(story.articles)
    return _atom(ctx, site_url, use_directory_urls, f"{story.title} ({ctx.site_title})", f"story:{story.id}",
                 ctx.paths.stories[story.id], ctx.paths.story_feeds[story.id], _article_entries(ctx, articles))


def render_outlet_feed(ctx: Context, outlet: str, site_url: str | None, use_directory_urls: bool) -> str:
    """An outlet's feed: its articles, newest first."""
    return _atom(ctx, site_url, use_directory_urls, f"{outlet} ({ctx.site_title})", f"outlet:{outlet}",
                 ctx.paths.outlets[outlet], ctx.paths.outlet_feeds[outlet],
                 _article_entries(ctx, ctx.by_outlet.get(outlet, [])))
