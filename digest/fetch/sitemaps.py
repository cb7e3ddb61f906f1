"""Sitemaps (sitemaps.org protocol 0.9) and Google news sitemaps: the pages a site lists.

- `<urlset>`: each `<url>`'s `<loc>` and `<lastmod>`, and from a news sitemap its
  `<news:publication_date>` and `<news:title>`;
- `<sitemapindex>`: the child sitemaps (`<sitemap><loc>`, `<lastmod>`), which the run reads
  itself, one level deep as the protocol allows;
- a text sitemap: one URL per line;
- gzip (`sitemap.xml.gz` served as a file rather than with Content-Encoding): decompressed,
  the size cap applying to the decompressed bytes.

A sitemap is untrusted input from a third party: lxml parses it incrementally (a 50,000-URL
sitemap is never held as a tree) with entity expansion, DTD loading and network access off.
Element names are matched by local name, since many sites get the namespace wrong.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone

from lxml import etree

from .feeds import FeedItem
from .options import FetchError

_GZIP_MAGIC = b"\x1f\x8b"
_YEAR_MONTH = re.compile(r"^\d{4}(-\d{2})?$")  # W3C datetime's short forms


class NotASitemap(FetchError):
    """Well-formed XML with another root; `root` is its local name ("rss", "feed", ...)."""

    def __init__(self, message: str, root: str) -> None:
        super().__init__(message)
        self.root = root


@dataclass(frozen=True)
class Sitemap:
    url: str
    items: tuple[FeedItem, ...] = ()  # the pages of a <urlset> or a text sitemap
    children: tuple[FeedItem, ...] = ()  # the sitemaps of a <sitemapindex> (link, lastmod)
    index: bool = False


def w3c_datetime(text: str | None) -> str | None:
    """A W3C datetime (`2024-05`, `2024-05-15`, `2024-05-15T17:41+02:00`, ...) as ISO 8601 UTC,
    or None when it is missing or not a date (the item is then treated as undated)."""
    text = (text or "").strip()
    if not text:
        return None
    if _YEAR_MONTH.match(text):
        text = (text + "-01-01")[:10]
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def gunzip(body: bytes, limit: int) -> bytes:
    """The body itself, or decompressed when it is gzip; FetchError past `limit` bytes."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise FetchError(f"damaged gzip data: {exc}") from None
    if len(data) > limit:
        raise FetchError(f"larger than the size cap once decompressed (over {limit} bytes)")
    return data


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _fields(element: etree._Element) -> dict[str, str]:
    """`loc` and `lastmod` of a <url> or <sitemap>, and `title` and `publication_date` of its
    <news:news> (not of <image:image> or <video:video>, which have titles too)."""
    found: dict[str, str] = {}
    for child in element:
        name = _local(child.tag)
        if name in ("loc", "lastmod") and child.text and child.text.strip():
            found.setdefault(name, child.text.strip())
        elif name == "news":
            for part in child:
                part_name = _local(part.tag)
                if part_name in ("title", "publication_date") and part.text and part.text.strip():
                    found.setdefault(part_name, " ".join(part.text.split()))
    return found


def _text_sitemap(body: bytes, url: str) -> Sitemap:
    lines = [line.strip() for line in body.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()]
    links = [line for line in lines if line]
    if not links or not all(link.startswith(("http://", "https://")) for link in links):
        raise NotASitemap("not a sitemap (neither XML nor a list of URLs)", "")
    return Sitemap(url, items=tuple(FeedItem(link) for link in links))


def parse_sitemap(body: bytes, url: str) -> Sitemap:
    """The pages, or the child sitemaps, a sitemap lists. FetchError (with the line and
    column) when it is malformed; NotASitemap when it is XML of another kind."""
    if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _text_sitemap(body, url)
    items: list[FeedItem] = []
    children: list[FeedItem] = []
    root = ""
    events = etree.iterparse(io.BytesIO(body), events=("start", "end"), resolve_entities=False,
                             no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        for event, element in events:
            name = _local(element.tag)
            if event == "start":
                if not root:
                    root = name
                    if root not in ("urlset", "sitemapindex"):
                        raise NotASitemap(f"not a sitemap (the root element is <{root}>)", root)
                continue
            if name not in ("url", "sitemap") or element.getparent() is None:
                continue
            fields = _fields(element)
            if fields.get("loc"):
                entry = FeedItem(fields["loc"], title=fields.get("title"),
                                 published=w3c_datetime(fields.get("publication_date")),
                                 lastmod=w3c_datetime(fields.get("lastmod")))
                (children if name == "sitemap" else items).append(entry)
            element.clear()  # keep memory flat: drop what was read
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        where = f"line {line}, column {column}: " if line else ""
        message = " ".join(str(exc.msg or exc).split())
        message = re.sub(r", line \d+, column \d+$", "", message)  # lxml repeats the position
        raise FetchError(f"malformed sitemap: {where}{message}") from None
    return Sitemap(url, items=tuple(items), children=tuple(children), index=root == "sitemapindex")
