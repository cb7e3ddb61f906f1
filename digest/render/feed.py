"""Atom feed of the stories (RFC 4287). Built with ElementTree, which escapes all text; control
characters, invalid in XML 1.0, are stripped. Dates without a zone are taken as UTC; a time
with a UTC offset keeps it (2017-10-02T21:30:00-05:00, never turned into 21:30Z). No clock is
read, so the same digest always gives the same feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from digest.text.dates import utc_key

from digest.render.context import Context
from digest.render.escape import one_line
from digest.render.paths import url_of

ATOM = "http://www.w3.org/2005/Atom"
EPOCH = "1970-01-01T00:00:00Z"


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


def render_feed(ctx: Context, site_url: str | None, use_directory_urls: bool) -> str:
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

    stories = ctx.digest.stories
    sub(feed, "title", ctx.site_title)
    sub(feed, "id", base or f"urn:digest:{one_line(ctx.site_title)}")
    newest = max((s.updated for s in stories if s.updated), key=utc_key, default=None)
    sub(feed, "updated", rfc3339(newest))
    sub(feed, "link", href=link("index.md"))
    sub(feed, "link", rel="self", href=link("feed.xml"))
    sub(sub(feed, "author"), "name", ctx.site_title)
    sub(feed, "generator", "digest")
    for story in stories:
        entry = sub(feed, "entry")
        sub(entry, "title", story.title)
        path = ctx.paths.stories[story.id]
        sub(entry, "id", link(path) if base else f"urn:digest:story:{story.id}")
        sub(entry, "link", href=link(path))
        sub(entry, "updated", rfc3339(story.updated))
        outlets = ", ".join(ctx.story_outlets(story))
        summary = " ".join(s.text for s in story.summary) or story.title
        sub(entry, "summary", f"{summary} ({len(story.articles)} articles: {outlets})", type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
