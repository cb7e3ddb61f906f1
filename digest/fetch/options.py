"""The settings and the result of one `digest fetch` run."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from digest.model import Problem

# Where site owners can read what this crawler is; users publishing a digest can point
# --user-agent at their own page.
PROJECT_URL = "https://github.com/digest-news/digest"


def _version() -> str:
    try:
        return version("digest-news")  # the distribution (`digest` on PyPI is another project)
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0"


DEFAULT_USER_AGENT = f"digest/{_version()} (+{PROJECT_URL})"


class FetchError(Exception):
    """One URL could not be fetched; the message is the one line shown to the user."""


class Disallowed(FetchError):
    """robots.txt forbids the URL: an error for a URL the user gave, a warning for a feed item
    (the site chose to list it; failing every run over it would make the feed unusable)."""


@dataclass(frozen=True)
class FetchOptions:
    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 1.0  # seconds between the end of one request and the next to the same host
    timeout: float = 20.0  # seconds to connect, and between received bytes
    retries: int = 2  # further attempts after a 429, 5xx, timeout or dropped connection
    backoff: float = 1.0  # wait before the first retry, doubled for each later one
    max_backoff: float = 60.0  # cap on any wait, including a server's Retry-After or Crawl-delay
    max_bytes: int = 5_000_000  # larger pages are refused
    max_redirects: int = 5
    # Feeds, sitemaps and OPML files: the sitemap protocol allows 50,000 URLs in 50 MB.
    max_source_bytes: int = 50_000_000
    # What a run fetches from feeds and sitemaps (not from URLs given one by one):
    max_age_days: int | None = None  # items dated earlier than this many days ago are left out
    max_per_source: int = 100  # new pages per feed or sitemap per run; the newest first, the rest later

    def __post_init__(self) -> None:
        if not self.user_agent.strip():
            raise ValueError("user_agent must not be empty")
        for name in ("delay", "backoff", "max_backoff"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if self.timeout <= 0:
            raise ValueError("timeout must be > 0")
        for name in ("retries", "max_redirects"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        for name in ("max_bytes", "max_source_bytes", "max_per_source"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be > 0")
        if self.max_age_days is not None and self.max_age_days <= 0:
            raise ValueError("max_age_days must be > 0")


@dataclass(frozen=True)
class Skipped:
    """A URL not saved because we already have it."""

    url: str
    reason: str  # "already fetched" | "same page as <id>" | "duplicate content of <id>"
    article: str | None = None  # id of the article we already have


@dataclass(frozen=True)
class FetchReport:
    saved: tuple[Path, ...] = ()  # the articles/<id>.html files written
    skipped: tuple[Skipped, ...] = ()
    errors: tuple[Problem, ...] = ()  # path = the URL (or OPML file), one line each
    warnings: tuple[Problem, ...] = ()  # e.g. a feed that is not well-formed but was read
    too_old: int = 0  # items of feeds and sitemaps left out by max_age_days
    deferred: int = 0  # new items over max_per_source, left for a later run

    @property
    def ok(self) -> bool:
        return not self.errors
