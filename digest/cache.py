"""Per-article analysis cache, keyed by the cleaned article's content, the model and the code version.

The analysis of one article depends only on that article, the spaCy model (name and version) and
our analysis code, so those make the key; anything else changing (overrides, other articles,
templates) never forces spaCy to run again. Entries are pickles of frozen dataclasses written by
this tool into the project's own cache folder (never shared or downloaded), stored atomically.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from .model import AnalysedArticle, Article

CACHE_FORMAT = "1"


# What digest.nlp.analyse reads of an article (tests/test_cache.py checks that the rest does not
# change an analysis): the id, the outlet or what cleaning dropped (whose reasons count the
# articles sharing a template line) may change without running spaCy again.
ANALYSED_FIELDS = ("title", "standfirst", "paragraphs", "published")


def analysis_key(article: Article, model_id: str, code_version: str) -> str:
    content = repr([(name, getattr(article, name)) for name in ANALYSED_FIELDS])
    digest = hashlib.sha256()
    for part in (CACHE_FORMAT, model_id, code_version, content):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def content_key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in (CACHE_FORMAT, *parts):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class AnalysisCache:
    """Pickled stage results by content key; `namespace` keeps the stages apart."""

    kind: type = AnalysedArticle

    def __init__(self, folder: Path, enabled: bool = True, writable: bool = True, namespace: str = "analysis"):
        self.folder = folder / namespace
        self.enabled = enabled
        self.writable = writable

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str):
        if not self.enabled:
            return None
        try:
            with self._path(key).open("rb") as handle:
                value = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            return None  # missing or from an incompatible version: analyse again
        return value if isinstance(value, self.kind) else None

    def put(self, key: str, value) -> None:
        if not (self.enabled and self.writable):
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time


    def prune(self, keep: set[str]) -> int:
        """Delete the entries whose key is not in `keep` (those the last build did not use), so
        the folder does not grow with every edit of an article. Returns how many went."""
        if not (self.enabled and self.writable and self.folder.exists()):
            return 0
        removed = 0
        for old in self.folder.glob("*/*.pickle"):
            if old.stem not in keep:
                old.unlink(missing_ok=True)
                removed += 1
        return removed


class CleaningCache(AnalysisCache):
    """Per input (and cleaning code): its lines' template keys, and the cleaned article with the
    learned templates it was cleaned with, restricted to those keys. A template learned or
    counted anew re-cleans only the inputs that hold its line."""

    kind = tuple  # (template keys, relevant templates as repr, Article)

    def __init__(self, folder: Path, enabled: bool = True, writable: bool = True):
        super().__init__(folder, enabled, writable, namespace="clean")


class AggregateCache(AnalysisCache):
    """The last aggregation (entity index and stories before fact overrides). Only the newest
    entry is kept: it is large, and only the previous build's is likely to match."""

    kind = tuple

    def __init__(self, folder: Path, enabled: bool = True, writable: bool = True):
        super().__init__(folder, enabled, writable, namespace="aggregate")

    def put(self, key: str, value) -> None:
        if self.enabled and self.writable and self.folder.exists():
            for old in self.folder.glob("*/*.pickle"):
                if old.stem != key:
                    old.unlink(missing_ok=True)
        super().put(key, value)
