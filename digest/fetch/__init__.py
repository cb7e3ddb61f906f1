"""`digest fetch`: collect articles from the web (pages and RSS/Atom feeds) into articles/,
politely and incrementally. The CLI command lives in digest.fetch.cli."""

from .options import DEFAULT_USER_AGENT, FetchError, FetchOptions, FetchReport, Skipped
from .run import fetch_feeds, fetch_urls
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
    "fetch_urls",
]
