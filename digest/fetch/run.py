"""One fetch run: read the sources (feeds, OPML, sitemaps: digest.fetch.sources), then fetch
each page not seen before, saving it with its sidecar.

Identity, in the order it is checked:
1. the requested URL, canonicalised (`urls.canonical_url`): seen before -> not requested again;
2. after the fetch, the page's rel=canonical (else its final URL after redirects): a page we
   already have under another address -> not saved again;
3. the sha256 of the bytes: identical content under a different address -> not saved again.
Every address learned on the way is remembered, so none of them is fetched twice.
`refresh=True` re-fetches and overwrites, keeping the article's id.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable, Sequence

from digest.model import Problem

from .http import Fetched, PoliteClient, interleave_by_host
from .options import Disallowed, FetchError, FetchOptions, FetchReport, Skipped
from .page import html_problem, rel_canonical, type_problem
from .sources import Job, SourceReading
from .store import FetchIndex, Sidecar, save_article
from .urls import BadURL, article_id, canonical_url, check_url, clean_url

# Progress for the CLI: Problems (errors, warnings) as they happen, and plain lines otherwise.
Log = Callable[[str | Problem], None]


def _utc_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _http_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return _utc_iso(parsedate_to_datetime(value))
    except (TypeError, ValueError):
        return None


def _display(path: Path) -> str:
    """The path relative to the current folder when it is below it (shorter lines)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class _Run(SourceReading):
    def __init__(self, articles_dir: Path, refresh: bool, options: FetchOptions, log: Log | None) -> None:
        self.articles_dir = articles_dir
        self.refresh = refresh
        self.options = options
        self.log = log or (lambda _line: None)
        self.saved: list[Path] = []
        self.skipped: list[Skipped] = []
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.too_old = 0  # items left out by max_age_days
        self.deferred = 0  # new items over max_per_source, for a later run
        self._validators: dict[str, dict[str, str]] = {}  # feed key -> etag/last_modified seen now
        self._failed_feeds: set[str] = set()
        self._failed: set[str] = set()  # page keys that failed in this run: reported once, not retried
        self._handled: set[str] = set()  # page keys saved or skipped in this run (even with refresh)

    def __enter__(self) -> _Run:
        self.articles_dir.mkdir(parents=True, exist_ok=True)
        self.index, problems = FetchIndex.load(self.articles_dir)
        for problem in problems:
            self._warn(problem)
        self.client = PoliteClient(self.options).__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        # Runs on Ctrl-C too: what was saved stays known. A feed's validators are kept only
        # when all its items were fetched, or the next conditional GET would hide the failures.
        self.client.__exit__(*exc)
        for feed, validators in self._validators.items():
            if feed not in self._failed_feeds:
                self.index.feeds[feed] = validators
        self.index.save(self.articles_dir)

    def report(self) -> FetchReport:
        return FetchReport(tuple(self.saved), tuple(self.skipped), tuple(self.errors), tuple(self.warnings),
                           too_old=self.too_old, deferred=self.deferred)

    # -- messages -------------------------------------------------------------------------

    def _error(self, url: str, message: str, feed: str | None = None, key: str | None = None) -> None:
        problem = Problem(url, message)
        self.errors.append(problem)
        if feed is not None:
            self._failed_feeds.add(feed)
        if key is not None:
            self._failed.add(key)
        self.log(problem)

    def _problem(self, problem: Problem) -> None:
        """An error that carries its own place (an OPML file's line and column)."""
        self.errors.append(problem)
        self.log(problem)

    def _warn(self, problem: Problem) -> None:
        self.warnings.append(problem)
        self.log(problem)

    def _skip(self, url: str, reason: str, article: str | None, key: str) -> None:
        self._handled.add(key)
        self.skipped.append(Skipped(url, reason, article))
        self.log(f"{url}: skipped: {reason}")

    # -- pages ----------------------------------------------------------------------------

    def fetch_pages(self, jobs: Sequence[Job]) -> None:
        for job in interleave_by_host(jobs, lambda j: j.url):
            self._fetch_page(job)

    def _fetch_page(self, job: Job) -> None:
        try:
            url = check_url(job.url)
            key = canonical_url(url)
        except BadURL as exc:
            self._error(job.url, str(exc), job.source)
            return
        if key in self._failed:  # listed twice (two feeds): one error line is enough
            if job.source is not None:
                self._failed_feeds.add(job.source)
            return
        known = self.index.urls.get(key)
        if known is not None and (not self.refresh or key in self._handled):
            self._skip(job.url, "already fetched", known, key)
            return
        try:
            fetched = self.client.get(url, refuse=type_problem)
        except Disallowed as exc:
            if job.source is None:
                self._error(job.url, str(exc), None, key)
            else:
                self._failed.add(key)
                self._warn(Problem(job.url, f"{exc} (listed by {job.source_url})", severity="warning"))
            return
        except FetchError as exc:
            self._error(job.url, str(exc), job.source, key)
            return
        problem = html_problem(fetched.content_type, fetched.body)
        if problem:
            self._error(job.url, problem, job.source, key)
            return
        self._save(job, key, known, fetched)

    def _save(self, job: Job, key: str, known: str | None, fetched: Fetched) -> None:
        final_key = canonical_url(fetched.final_url)
        declared = rel_canonical(fetched.body, fetched.final_url)
        identity = canonical_url(declared) if declared else final_key
        keys = [key, final_key, identity]
        content_hash = hashlib.sha256(fetched.body).hexdigest()
        same_page = known or self.index.urls.get(identity) or self.index.urls.get(final_key)
        if same_page is not None and not self.refresh:
            self.index.remember(same_page, keys, None)
            self._skip(job.url, f"same page as {same_page}", same_page, key)
            return
        twin = self.index.hashes.get(content_hash)
        if twin is not None and twin != same_page:
            self.index.remember(twin, keys, None)
            self._skip(job.url, f"duplicate content of {twin}", twin, key)
            return
        new_id = same_page or article_id(identity)
        item = job.item
        sidecar = Sidecar(
            url=clean_url(declared or fetched.final_url),
            requested_url=job.url,
            final_url=fetched.final_url,
            canonical_url=identity,
            fetched=_utc_iso(datetime.now(timezone.utc)),
            http_date=_http_date(fetched.headers.get("date")),
            last_modified=_http_date(fetched.headers.get("last-modified")),
            content_hash=content_hash,
            content_type=fetched.content_type or None,
            charset=fetched.charset,
            feed=job.source_url if job.kind == "feed" else None,
            sitemap=job.source_url if job.kind == "sitemap" else None,
            title=item.title if item else None,
            published=item.published if item else None,
            lastmod=item.lastmod if item else None,
        )
        try:
            path = save_article(self.articles_dir, new_id, fetched.body, sidecar)
        except OSError as exc:
            self._error(job.url, f"cannot save {new_id}.html: {exc.strerror or exc}", job.source, key)
            return
        self._handled.add(key)
        self.index.remember(new_id, keys, content_hash)
        self.saved.append(path)
        self.log(f"{job.url}: saved {_display(path)}")


def fetch_urls(
    urls: Sequence[str],
    articles_dir: Path,
    *,
    refresh: bool = False,
    options: FetchOptions = FetchOptions(),
    log: Log | None = None,
) -> FetchReport:
    """Fetch pages into `articles_dir` (see the module docstring for what is skipped)."""
    return fetch_sources(articles_dir, urls=urls, refresh=refresh, options=options, log=log)


def fetch_feeds(
    feed_urls: Sequence[str],
    articles_dir: Path,
    *,
    refresh: bool = False,
    options: FetchOptions = FetchOptions(),
    log: Log | None = None,
    urls: Sequence[str] = (),
) -> FetchReport:
    """Read RSS/Atom feeds and fetch their items not fetched yet (plus any `urls`)."""
    return fetch_sources(articles_dir, urls=urls, feeds=feed_urls, refresh=refresh, options=options, log=log)


def fetch_sources(
    articles_dir: Path,
    *,
    urls: Sequence[str] = (),
    feeds: Sequence[str] = (),
    opml: Sequence[str] = (),
    sitemaps: Sequence[str] = (),
    refresh: bool = False,
    options: FetchOptions = FetchOptions(),
    log: Log | None = None,
) -> FetchReport:
    """One polite run: read every source (feeds, the feeds of OPML files (paths or URLs),
    sitemaps), then fetch the pages (`urls` and the sources' new items) interleaved by host.
    A source that fails is one error naming it; the others go on."""
    with _Run(Path(articles_dir), refresh, options, log) as run:
        jobs = [Job(url) for url in urls]
        feed_urls = list(feeds)
        for source in opml:
            feed_urls.extend(run.read_opml(source))
        for feed_url in dict.fromkeys(feed_urls):
            jobs.extend(run.read_feed(feed_url))
        for sitemap_url in dict.fromkeys(sitemaps):
            jobs.extend(run.read_sitemap(sitemap_url))
        run.fetch_pages(jobs)
    return run.report()
