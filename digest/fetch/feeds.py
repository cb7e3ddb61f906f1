"""RSS 2.0 and Atom feeds read with feedparser: the item links to fetch, with the item's
date and title, which the page itself may lack."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Mapping

import feedparser

from .options import FetchError
from .page import feed_links

# bozo exceptions that say nothing about the feed's structure: a missing or generic
# Content-Type, or an encoding declared one way and served another.
_HARMLESS = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)


@dataclass(frozen=True)
class FeedItem:
    """A page a feed or a sitemap lists."""

    link: str  # absolute, as the feed gives it
    title: str | None = None
    published: str | None = None  # ISO 8601 UTC ("2024-05-15T17:41:00Z")
    lastmod: str | None = None  # sitemaps: when the page last changed, ISO 8601 UTC

    @property
    def date(self) -> str | None:
        """The date retention (`max_age_days`) goes by: published, else last modified."""
        return self.published or self.lastmod


class NotAFeed(FetchError):
    """The document is not RSS or Atom; `advertised` are the feeds it links to, if it is a page
    that names them (`<link rel="alternate">`), for feed discovery."""

    def __init__(self, message: str, advertised: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.advertised = advertised


@dataclass(frozen=True)
class Feed:
    url: str
    title: str | None
    items: tuple[FeedItem, ...]
    warning: str | None = None  # the feed was not well-formed but items could be read


def _iso(parsed) -> str | None:
    if not parsed:
        return None
    stamp = datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _describe(exc: BaseException) -> str:
    # No line number: feedparser may prepend an XML declaration before parsing, which
    # shifts the parser's line numbers, and a wrong line is worse than none.
    message = getattr(exc, "getMessage", lambda: str(exc))()
    return " ".join(str(message).split()) or type(exc).__name__


def parse_feed(body: bytes, url: str, headers: Mapping[str, str] | None = None) -> Feed:
    """Items of an RSS/Atom document. FetchError when it is not a feed or is too broken to
    yield a single item; a warning on the Feed when it is broken but items were recovered."""
    response_headers = {"content-location": url}  # base for relative links
    if headers and headers.get("content-type"):
        response_headers["content-type"] = headers["content-type"]
    parsed = feedparser.parse(body, response_headers=response_headers)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and isinstance(problem, _HARMLESS):
        problem = None
    if not parsed.get("version"):
        advertised = feed_links(body, url)
        if advertised:
            raise NotAFeed(f"not an RSS or Atom feed; the page links to: {', '.join(advertised[:3])}", advertised)
        detail = f": {_describe(problem)}" if problem is not None else ""
        raise NotAFeed(f"not an RSS or Atom feed{detail}")
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or _permalink_guid(entry)
        if not link:
            continue
        items.append(FeedItem(link=link.strip(), title=entry.get("title"),
                              published=_iso(entry.get("published_parsed") or entry.get("updated_parsed"))))
    if problem is not None:
        if not items:
            raise FetchError(f"malformed feed: {_describe(problem)}")
        warning = f"feed is not well-formed ({_describe(problem)}); read {len(items)} item(s) anyway"
    else:
        warning = None
    return Feed(url=url, title=parsed.feed.get("title"), items=tuple(items), warning=warning)


def _permalink_guid(entry) -> str | None:
    """RSS items may carry their address only as <guid> (isPermaLink defaults to true)."""
    guid = entry.get("id") or ""
    return guid if guid.startswith(("http://", "https://")) and entry.get("guidislink", True) else None
