"""The lists of pages a run fetches: RSS/Atom feeds (discovered on a site's home page when one
is given instead), sitemaps (indexes, news sitemaps, text sitemaps, gzip) and OPML files of
feeds; and which of their items this run fetches.

Everything goes through the run's PoliteClient (robots.txt, per-host delay, retries, size cap)
and every problem is one line naming the source; the run goes on with the other sources.

What is fetched from a source, in order:
1. items already fetched are skipped (counted, one line per source, not one per item);
2. with `max_age_days`, items dated earlier are left out (feeds: published, else updated;
   sitemaps: news:publication_date, else lastmod); undated items are kept;
3. at most `max_per_source` new items per source and run, the newest first; the rest wait for
   the next run, so a 50,000-URL sitemap is taken in polite portions instead of all at once.

Conditional GETs (ETag, Last-Modified) make an unchanged feed or sitemap cost one 304. Their
validators are kept only when every item was handled, so nothing failed or deferred is hidden
by a 304 next time. A sitemap index is always read again (its children change without it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence, TypeVar

from digest.model import Problem

from .feeds import FeedItem, NotAFeed, parse_feed
from .http import FEED_ACCEPT, Fetched
from .opml import OpmlError, parse_opml
from .options import FetchError, Skipped
from .sitemaps import NotASitemap, gunzip, parse_sitemap
from .urls import BadURL, canonical_url, check_url, clean_url

if TYPE_CHECKING:
    from .http import PoliteClient
    from .options import FetchOptions
    from .store import FetchIndex

SITEMAP_ACCEPT = "application/xml,text/xml;q=0.9,application/gzip;q=0.8,text/plain;q=0.5,*/*;q=0.1"
OPML_ACCEPT = "text/x-opml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
MAX_CHILD_SITEMAPS = 20  # child sitemaps of an index read per run, the newest first


@dataclass(frozen=True)
class Job:
    """A page to fetch, and the source that listed it (None: given on the command line)."""

    url: str
    source: str | None = None  # canonical key of the feed or sitemap that listed it
    source_url: str | None = None  # that source's address, for the sidecar
    kind: str | None = None  # "feed" | "sitemap"
    item: FeedItem | None = None


def _is_url(value: str) -> bool:
    return value.strip().lower().startswith(("http://", "https://"))


def _when(iso: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(iso) if iso else None
    except ValueError:
        return None


T = TypeVar("T", FeedItem, "Job")


def newest_first(entries: Sequence[T]) -> list[T]:
    """Dated entries (items, or jobs by their item) newest first, then the undated ones in the
    order the source gave them."""
    def when(entry: T) -> datetime | None:
        item = entry.item if isinstance(entry, Job) else entry
        return _when(item.date) if item is not None else None

    dated = sorted((e for e in entries if when(e) is not None), key=when, reverse=True)  # type: ignore[arg-type]
    return dated + [e for e in entries if when(e) is None]


class SourceReading:
    """Mixed into the run (digest.fetch.run._Run), which provides the state below."""

    client: PoliteClient
    index: FetchIndex
    refresh: bool
    options: FetchOptions
    log: Callable[[str | Problem], None]
    skipped: list[Skipped]
    too_old: int
    deferred: int
    _validators: dict[str, dict[str, str]]
    _failed_feeds: set[str]
    _handled: set[str]

    def _error(self, url: str, message: str, feed: str | None = None, key: str | None = None) -> None:
        raise NotImplementedError  # the run's: one error line, and the source's validators not kept

    def _problem(self, problem: Problem) -> None:
        raise NotImplementedError  # the run's: an error with its own line and column

    def _warn(self, problem: Problem) -> None:
        raise NotImplementedError

    # -- fetching a source ----------------------------------------------------------------

    def _get_source(self, url: str, key: str, accept: str) -> Fetched | None:
        """The source's response (None when it has not changed since the last run); remembers
        its validators for the end of the run. Raises FetchError."""
        headers = {}
        known = self.index.feeds.get(key, {}) if not self.refresh else {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        fetched = self.client.get(url, accept=accept, headers=headers, max_bytes=self.options.max_source_bytes)
        if fetched.status == 304:
            return None
        self._validators[key] = {k: fetched.headers[h] for k, h in (("etag", "etag"), ("last_modified", "last-modified"))
                                 if fetched.headers.get(h)}
        return fetched

    def _source_key(self, url: str) -> tuple[str, str] | None:
        try:
            url = check_url(url)
            return url, canonical_url(url)
        except BadURL as exc:
            self._error(url, str(exc))
            return None

    # -- feeds ----------------------------------------------------------------------------

    def read_feed(self, feed_url: str) -> list[Job]:
        """A feed's new items; given a web page instead, the first feed it advertises."""
        checked = self._source_key(feed_url)
        if checked is None:
            return []
        url, key = checked
        try:
            fetched = self._get_source(url, key, FEED_ACCEPT)
            if fetched is None:
                self.log(f"{feed_url}: feed not modified since the last run")
                return []
            try:
                feed = parse_feed(fetched.body, fetched.final_url, fetched.headers)
            except NotAFeed as exc:
                if not exc.advertised:
                    raise
                self._validators.pop(key, None)  # the page is not the feed: keep no validators for it
                return self._discovered_feed(feed_url, exc.advertised)
        except FetchError as exc:
            self._error(feed_url, str(exc), key)
            return []
        if feed.warning:
            self._warn(Problem(feed_url, feed.warning, severity="warning"))
        self.log(f"{feed_url}: {len(feed.items)} item(s)")
        return self._select(feed_url, _jobs(feed.items, key, clean_url(url), "feed"))

    def _discovered_feed(self, page_url: str, advertised: tuple[str, ...]) -> list[Job]:
        """Feed discovery: a site's page names its feeds with <link rel="alternate">; the first
        is the site's main feed by convention (comment feeds come after it)."""
        found = advertised[0]
        others = f" (it also names {', '.join(advertised[1:3])})" if len(advertised) > 1 else ""
        self.log(f"{page_url}: not a feed; reading the feed it names: {found}{others}")
        try:
            url, key = check_url(found), canonical_url(found)
        except BadURL as exc:
            self._error(page_url, f"the feed the page names is not usable: {exc}")
            return []
        try:
            fetched = self._get_source(url, key, FEED_ACCEPT)
            if fetched is None:
                self.log(f"{found}: feed not modified since the last run")
                return []
            feed = parse_feed(fetched.body, fetched.final_url, fetched.headers)
        except FetchError as exc:
            self._error(page_url, f"the feed it names, {found}: {exc}", key)
            return []
        if feed.warning:
            self._warn(Problem(found, feed.warning, severity="warning"))
        self.log(f"{found}: {len(feed.items)} item(s)")
        return self._select(page_url, _jobs(feed.items, key, clean_url(url), "feed"))

    # -- OPML -----------------------------------------------------------------------------

    def read_opml(self, source: str) -> list[str]:
        """The feed URLs of an OPML file (a path) or document (a URL)."""
        try:
            if _is_url(source):
                url = check_url(source)
                data = self.client.get(url, accept=OPML_ACCEPT, max_bytes=self.options.max_source_bytes).body
                opml = parse_opml(data, source, base=url)
            else:
                path = Path(source)
                if path.stat().st_size > self.options.max_source_bytes:
                    raise OpmlError(f"larger than the size cap ({self.options.max_source_bytes} bytes)")
                opml = parse_opml(path.read_bytes(), source)
        except OpmlError as exc:
            self._problem(Problem(source, str(exc), line=exc.line, col=exc.col))
            return []
        except OSError as exc:
            self._error(source, f"cannot read: {exc.strerror or exc}")
            return []
        except (FetchError, BadURL) as exc:
            self._error(source, str(exc))
            return []
        for problem in opml.problems:
            self._warn(problem)
        self.log(f"{source}: {len(opml.feeds)} feed(s)")
        return list(opml.feeds)

    # -- sitemaps -------------------------------------------------------------------------

    def _read_one_sitemap(self, url: str, key: str):
        """Parse one sitemap document: a Sitemap, a feed's items (search engines take RSS and
        Atom as sitemaps, and sites list them so), or None when not modified. Raises FetchError."""
        fetched = self._get_source(url, key, SITEMAP_ACCEPT)
        if fetched is None:
            return None
        body = gunzip(fetched.body, self.options.max_source_bytes)
        try:
            return parse_sitemap(body, fetched.final_url)
        except NotASitemap as exc:
            if exc.root not in ("rss", "feed", "rdf"):
                raise
            return parse_feed(body, fetched.final_url, fetched.headers)

    def read_sitemap(self, sitemap_url: str) -> list[Job]:
        """A sitemap's new pages; for a sitemap index, those of its newest child sitemaps."""
        checked = self._source_key(sitemap_url)
        if checked is None:
            return []
        url, key = checked
        try:
            document = self._read_one_sitemap(url, key)
        except FetchError as exc:
            self._error(sitemap_url, str(exc), key)
            return []
        if document is None:
            self.log(f"{sitemap_url}: sitemap not modified since the last run")
            return []
        if not getattr(document, "index", False):
            self.log(f"{sitemap_url}: {len(document.items)} URL(s)")
            return self._select(sitemap_url, _jobs(document.items, key, clean_url(url), "sitemap"))
        # No validators are kept for an index: its children change while it stays the same.
        self._validators.pop(key, None)
        self.index.feeds.pop(key, None)
        return self._read_index(sitemap_url, document.children)

    def _read_index(self, index_url: str, children: Sequence[FeedItem]) -> list[Job]:
        self.log(f"{index_url}: sitemap index of {len(children)} sitemap(s)")
        candidates = [child for child in newest_first(children) if not self._too_old(child)]
        self._report_old(index_url, len(children) - len(candidates), "sitemap(s)")
        if len(candidates) > MAX_CHILD_SITEMAPS:
            self._warn(Problem(index_url, f"lists {len(candidates)} sitemaps; reading the {MAX_CHILD_SITEMAPS} "
                                          "newest (by lastmod)", severity="warning"))
            candidates = candidates[:MAX_CHILD_SITEMAPS]
        jobs: list[Job] = []
        new = 0
        for child in candidates:
            if new >= self.options.max_per_source:
                break  # enough for this run; the next run goes on where this one stops
            try:
                url, key = check_url(child.link), canonical_url(child.link)
            except BadURL as exc:
                self._error(child.link, f"{exc} (listed by {index_url})")
                continue
            try:
                document = self._read_one_sitemap(url, key)
            except FetchError as exc:
                self._error(child.link, f"{exc} (listed by {index_url})", key)
                continue
            if document is None:
                self.log(f"{child.link}: sitemap not modified since the last run")
                continue
            if getattr(document, "index", False):
                self._error(child.link, f"a sitemap index inside a sitemap index is not read (listed by {index_url})",
                            key)
                continue
            self.log(f"{child.link}: {len(document.items)} URL(s)")
            jobs.extend(_jobs(document.items, key, clean_url(url), "sitemap"))
            new += sum(1 for i in document.items if self._known(i.link) is None and not self._too_old(i))
        return self._select(index_url, jobs)

    # -- choosing what to fetch -----------------------------------------------------------

    def _known(self, link: str) -> str | None:
        try:
            return self.index.urls.get(canonical_url(link))
        except BadURL:
            return None  # reported when the page is fetched

    def _too_old(self, item: FeedItem | None) -> bool:
        """Dated before `max_age_days` ago (an undated item is never too old)."""
        if self.options.max_age_days is None or item is None or (when := _when(item.date)) is None:
            return False
        return when < datetime.now(timezone.utc) - timedelta(days=self.options.max_age_days)

    def _report_old(self, source_url: str, count: int, what: str) -> None:
        if count:
            self.log(f"{source_url}: {count} {what} older than {self.options.max_age_days} day(s) "
                     "left out (max_age_days)")

    def _select(self, source_url: str, jobs: Sequence[Job]) -> list[Job]:
        """Of a source's items: the new ones, recent enough, at most max_per_source (newest first)."""
        new: list[Job] = []
        already = 0
        for job in jobs:
            known = None if self.refresh else self._known(job.url)
            if known is None:
                new.append(job)
                continue
            already += 1
            self._handled.add(canonical_url(job.url))
            self.skipped.append(Skipped(job.url, "already fetched", known))
        if already:
            self.log(f"{source_url}: {already} item(s) fetched before, skipped")
        recent = [job for job in new if not self._too_old(job.item)]
        self._report_old(source_url, len(new) - len(recent), "item(s)")
        self.too_old += len(new) - len(recent)
        limit = self.options.max_per_source
        if len(recent) > limit:
            self.deferred += len(recent) - limit
            self._failed_feeds.update(job.source for job in recent if job.source)  # the next run must see the rest
            self._warn(Problem(source_url, f"{len(recent)} new pages listed; fetching the {limit} newest now "
                                           "and the rest in later runs (max_per_source)", severity="warning"))
            recent = newest_first(recent)[:limit]
        return recent


def _jobs(items: Sequence[FeedItem], key: str, listed_by: str, kind: str) -> list[Job]:
    return [Job(item.link, source=key, source_url=listed_by, kind=kind, item=item) for item in items]
