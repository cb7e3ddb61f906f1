"""What `digest fetch` keeps on disk, all inside the articles folder so it travels with it:

- `articles/<id>.html`: the page's bytes exactly as served (so `content_hash` is reproducible);
- `articles/<id>.fetch.json`: the sidecar the HTML reader merges into the article's metadata;
- `articles/.index.fetch.json`: the fetch index (URL keys and content hashes -> article id,
  feed validators). It is a cache of the sidecars plus the aliases learned on the way
  (redirects, duplicates): delete it and the next run rebuilds it from the sidecars. Its name is
  hidden and ends in `.fetch.json`, so readers, which skip sidecars, never take it for an article.

Files are written to a temporary name and renamed, so an interrupted run leaves no half file.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from digest.model import Problem

from .urls import BadURL, canonical_url

INDEX_NAME = ".index.fetch.json"
SIDECAR_SUFFIX = ".fetch.json"
INDEX_VERSION = 1


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Not tempfile.mkstemp: it creates files readable by the owner only; articles are ordinary
    # files (mode 0666 less the umask), like those a user saves by hand.
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Sidecar:
    """The metadata written beside a saved page (see the README for each field)."""

    url: str  # the address to link to: rel=canonical, else the final URL without tracking
    requested_url: str  # as given on the command line or by the feed
    final_url: str  # after redirects
    canonical_url: str  # the normalised identity key used for de-duplication
    fetched: str  # ISO 8601 UTC, when we fetched it
    http_date: str | None  # the response's Date header, ISO 8601 UTC
    last_modified: str | None  # the response's Last-Modified header, ISO 8601 UTC
    content_hash: str  # sha256 hex of the saved bytes
    content_type: str | None  # None when the server sent none (the page was sniffed as HTML)
    charset: str | None  # from the Content-Type header; the page may not declare it itself
    feed: str | None = None  # the feed that listed it
    sitemap: str | None = None  # the sitemap that listed it
    title: str | None = None  # the feed item's (or news sitemap entry's) title
    published: str | None = None  # the feed item's (or news sitemap entry's) date, ISO 8601 UTC
    lastmod: str | None = None  # the sitemap's <lastmod> for the page, ISO 8601 UTC

    def to_json(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def save_article(articles_dir: Path, article_id: str, body: bytes, sidecar: Sidecar) -> Path:
    """Write the sidecar first, then the page: a reader never sees a page without its URL."""
    html_path = articles_dir / f"{article_id}.html"
    write_atomic(articles_dir / f"{article_id}{SIDECAR_SUFFIX}", _json_bytes(sidecar.to_json()))
    write_atomic(html_path, body)
    return html_path


@dataclass
class FetchIndex:
    """Mutable within one run; loaded at the start, saved at the end (and on interruption)."""

    urls: dict[str, str] = field(default_factory=dict)  # canonical URL -> article id
    hashes: dict[str, str] = field(default_factory=dict)  # sha256 -> article id
    feeds: dict[str, dict[str, str]] = field(default_factory=dict)  # feed URL -> etag / last_modified

    def remember(self, article_id: str, keys: list[str], content_hash: str | None) -> None:
        for key in keys:
            self.urls.setdefault(key, article_id)
        if content_hash:
            self.hashes.setdefault(content_hash, article_id)

    @classmethod
    def load(cls, articles_dir: Path) -> tuple[FetchIndex, tuple[Problem, ...]]:
        """The saved index merged with every sidecar in the folder (which win for their own
        article), so a lost, stale or hand-edited index heals itself."""
        index = cls()
        problems: list[Problem] = []
        path = articles_dir / INDEX_NAME
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("version") != INDEX_VERSION:
                    raise ValueError(f"unknown version {data.get('version')!r}")
                index.urls = {str(k): str(v) for k, v in data.get("urls", {}).items()}
                index.hashes = {str(k): str(v) for k, v in data.get("hashes", {}).items()}
                index.feeds = {str(k): dict(v) for k, v in data.get("feeds", {}).items()}
            except (OSError, ValueError, AttributeError, TypeError) as exc:
                problems.append(Problem(str(path), f"fetch index unreadable ({exc}); rebuilt from the sidecars",
                                        severity="warning"))
        for sidecar in sorted(articles_dir.glob(f"*{SIDECAR_SUFFIX}")):
            if sidecar.name == INDEX_NAME:
                continue
            article_id = sidecar.name[: -len(SIDECAR_SUFFIX)]
            try:
                meta = json.loads(sidecar.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                problems.append(Problem(str(sidecar), f"fetch sidecar unreadable ({exc}); ignored",
                                        severity="warning"))
                continue
            if not isinstance(meta, dict):
                continue  # the HTML reader reports it
            for name in ("canonical_url", "url", "requested_url", "final_url"):
                value = meta.get(name)
                try:
                    index.urls[canonical_url(value)] = article_id
                except (BadURL, AttributeError, TypeError):
                    continue  # missing or not a URL: a hand-written sidecar may carry only `url`
            if isinstance(meta.get("content_hash"), str):
                index.hashes[meta["content_hash"]] = article_id
        return index, tuple(problems)

    def save(self, articles_dir: Path) -> None:
        data = {"version": INDEX_VERSION, "urls": dict(sorted(self.urls.items())),
                "hashes": dict(sorted(self.hashes.items())), "feeds": dict(sorted(self.feeds.items()))}
        write_atomic(articles_dir / INDEX_NAME, _json_bytes(data))
