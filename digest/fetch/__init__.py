"""`digest fetch`: collect articles from the web (pages, RSS/Atom feeds, OPML lists of feeds,
sitemaps) into articles/, politely and incrementally. The CLI command lives in digest.fetch.cli."""

from .options import DEFAULT_USER_AGENT, FetchError, FetchOptions, FetchReport, Skipped
from .run import fetch_feeds, fetch_sources, fetch_urls
from .store import INDEX_NAME, SIDECAR_SUFFIX

__all__ = [
    "DEFAULT_USER_AGENT",
    "INDEX_NAME",
    "SIDECAR_SUFFIX",
    "FetchError",
    "FetchOptions",
    "FetchReport",
    "Skipped",
    "fetch_feeds",
    "fetch_sources",
    "fetch_urls",
]
