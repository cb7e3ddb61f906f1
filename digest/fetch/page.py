"""What we need to know about a fetched page before saving it: is it HTML, and does it
name its canonical address (`<link rel="canonical">`)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def looks_like_html(body: bytes) -> bool:
    """For servers that send no Content-Type: an HTML document starts with a doctype or <html>
    (after an optional byte-order mark and blanks)."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                        "application/xml", "text/xml"})


def type_problem(content_type: str) -> str | None:
    """Why a response is refused by its media type alone (None: HTML, or no type given)."""
    if not content_type or content_type in HTML_TYPES:
        return None
    hint = "; if it is a feed, give it with --feed" if content_type in FEED_TYPES else ""
    return f"not HTML (Content-Type: {content_type}){hint}"


def html_problem(content_type: str, body: bytes) -> str | None:
    """Why this response is not a page we can save, or None when it is HTML."""
    if content_type:
        return type_problem(content_type)
    return None if looks_like_html(body) else "not HTML (Content-Type: none)"


def rel_canonical(body: bytes, page_url: str) -> str | None:
    """The absolute http(s) URL of the page's rel=canonical link, if any and if believable.

    A canonical that points at the site's home page from a deeper page is a common template
    bug; trusting it would make every article a duplicate of the home page, so it is ignored.
    """
    try:
        doc = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return None
    base = page_url
    for base_href in doc.xpath("//head/base/@href")[:1]:
        base = urljoin(page_url, base_href.strip())
    for link in doc.xpath("//link[@rel][@href]"):
        if "canonical" not in link.get("rel", "").lower().split():
            continue
        href = urljoin(base, link.get("href", "").strip())
        parts = urlsplit(href)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        if parts.path in ("", "/") and urlsplit(page_url).path not in ("", "/"):
            return None
        return href
    return None


FEED_LINK_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})


def feed_links(body: bytes, page_url: str) -> tuple[str, ...]:
    """Feeds a web page advertises (`<link rel="alternate" type="application/rss+xml">`), to
    suggest when someone gives a page where a feed was expected."""
    try:
        doc = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return ()
    found = []
    for link in doc.xpath("//link[@rel][@href][@type]"):
        if "alternate" in link.get("rel", "").lower().split() and link.get("type", "").lower() in FEED_LINK_TYPES:
            found.append(urljoin(page_url, link.get("href", "").strip()))
    return tuple(dict.fromkeys(found))
