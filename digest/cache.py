"""Every cache of a build, and every key: the stores (cleaning, analysis, aggregation, story
facts, the last build's record), the code versions, and the build fingerprint.

The analysis of one article depends only on that article, the spaCy model (name and version) and
our analysis code, so those make the key; anything else changing (overrides, other articles,
templates) never forces spaCy to run again. Entries are pickles of frozen dataclasses written by
this tool into the project's own cache folder (never shared or downloaded), stored atomically.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import pickle
import tempfile
from pathlib import Path
from typing import Sequence

from .config import DEFAULT_MODEL, FALLBACK_MODEL, Settings
from .model import AnalysedArticle, Article, Overrides

CACHE_FORMAT = "1"


# What digest.analysis.nlp.analyse reads of an article (tests/test_cache.py checks that the rest does not
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


class FactsCache(AnalysisCache):
    """(StoryFacts, Names answers) by story key (see aggregate/facts/memo.py); entries the last
    build did not use are pruned."""

    kind = tuple

    def __init__(self, folder: Path, enabled: bool = True, writable: bool = True):
        super().__init__(folder, enabled, writable, namespace="facts")


class LastBuild:
    """What the last build did (its fingerprint, figures and problems), for the up-to-date
    check and the benchmarks: one JSON file in the cache folder."""

    def __init__(self, folder: Path):
        self.path = folder / "last-build.json"

    def read(self) -> dict | None:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def write(self, record: dict) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(record, indent=2), encoding="utf-8")
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------
# Code versions: a hash of the code a cached result came from, so any edit to that code
# invalidates it (no version number to forget to bump). Computed without importing spaCy.

PACKAGE = Path(__file__).parent
# Helpers every stage may use (slugs, names, dates, numbers) and the dataclasses between stages.
SHARED_SOURCES = ("model.py", "text")


def _sources(*parts: str) -> list[Path]:
    paths: list[Path] = []
    for part in (*parts, *SHARED_SOURCES):
        path = PACKAGE / part
        paths.extend(sorted(path.glob("*.py")) if path.is_dir() else [path])
    return paths


def code_version(*parts: str) -> str:
    """A hash of the modules (files or package folders under digest/) a result comes from."""
    digest = hashlib.sha256()
    for path in _sources(*parts):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def analysis_code_version() -> str:
    return code_version("analysis")


def cleaning_code_version() -> str:
    return code_version("cleaning")


def facts_code_version() -> str:
    return code_version("aggregate/facts")


def model_identity(name: str) -> str:
    """Name and version of the model package, known without loading it (for the cache key)."""
    path = Path(name)
    if path.exists():
        meta = path / "meta.json"
        return f"{path.resolve()}@{meta.stat().st_mtime_ns if meta.exists() else 0}"
    for candidate in (name, FALLBACK_MODEL if name == DEFAULT_MODEL else None):
        if not candidate:
            continue
        try:
            return f"{candidate}=={importlib.metadata.version(candidate)}"
        except importlib.metadata.PackageNotFoundError:
            continue
    return name


# ---------------------------------------------------------------------------------------------
# Keys of the whole-corpus stages


def aggregate_key(settings: Settings, cleaned: Sequence[Article], final: Sequence[Article],
                  overrides: Overrides, registry: str = "") -> str:
    """Everything entities and stories depend on: the analyses (through the cleaned articles,
    the model and the analysis code), the articles after overrides, the entity overrides, the
    story-level overrides (not the fact edits, applied afterwards), the id registry's text (story
    ids come from it) and the aggregation code."""
    digest = hashlib.sha256()
    code = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        if not {"render", "publish", "fetch"} & set(path.relative_to(PACKAGE).parts):
            code.update(path.read_bytes())
    parts = [code.hexdigest(), model_identity(settings.model), analysis_code_version(), registry]
    parts += [repr(a) for a in cleaned] + [repr(a) for a in final]
    parts += [repr((e.name, e.aliases, e.split, e.label)) for e in overrides.entities]
    parts += [repr((s.story, s.title, s.summary, s.merge, sorted(s.split.items()))) for s in overrides.stories]
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def facts_keys(settings: Settings, cleaned: Sequence[Article], final: Sequence[Article]) -> tuple[str, dict[str, str]]:
    """The story-facts memo's keys: one for the model and the code, and one per article over
    its analysis (through the cleaned article, the model and the analysis code) and its final
    form after overrides."""
    final_by_id = {a.id: a for a in final}
    keys = {a.id: content_key(repr(a), repr(final_by_id[a.id])) for a in cleaned if a.id in final_by_id}
    code = content_key(model_identity(settings.model), analysis_code_version(), facts_code_version())
    return code, keys


# ---------------------------------------------------------------------------------------------
# The build fingerprint: equal fingerprints mean a rebuild would write the same bytes


def build_fingerprint(settings: Settings, site: bool, strict: bool, inputs: str | None = None) -> str:
    """Everything a build's output depends on: the code, the settings, every input file, the
    overrides, the MkDocs configuration and the generated files on disk. Equal fingerprints mean
    a rebuild would write the same bytes, so `digest build` can stop early. Pass `inputs` (from
    inputs_fingerprint at the start of a build) to fingerprint what that build read: an input
    edited while it ran then makes the next build run again."""
    digest = hashlib.sha256()
    digest.update((inputs or inputs_fingerprint(settings, site, strict)).encode())
    # docs/ holds hand-written pages too (they change the site): sizes and times are enough there.
    for name, entry in _files(settings.docs):
        stat = entry.stat()
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
    if site:
        digest.update(str((settings.site / "index.html").exists()).encode())
    # The id registry is read by a build and written by it: as it is now, so the registry a build
    # just wrote does not make the next one run again, and an edit by hand does.
    try:
        digest.update(hashlib.sha256(settings.ids_path.read_bytes()).hexdigest().encode())
    except OSError:
        digest.update(b"no registry")
    return digest.hexdigest()


def inputs_fingerprint(settings: Settings, site: bool, strict: bool) -> str:
    """The part of the build fingerprint a build reads: code, settings and every input file."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(str(part).encode("utf-8", "surrogateescape"))
            digest.update(b"\0")

    def add_tree(root: Path, suffix: str = "") -> None:
        if root.is_file():
            add(root, hashlib.sha256(root.read_bytes()).hexdigest())
        for name, entry in _files(root, suffix):
            with open(entry.path, "rb") as handle:
                add(name, hashlib.sha256(handle.read()).hexdigest())

    add(repr(settings), site, strict, model_identity(settings.model))
    add_tree(PACKAGE, ".py")
    add_tree(PACKAGE / "templates")
    add_tree(PACKAGE / "render")
    for path in (settings.articles, settings.overrides, settings.mkdocs_config, settings.project / "digest.yml"):
        add(path)
        add_tree(path)
    return digest.hexdigest()


def _files(root: Path, suffix: str = "") -> list[tuple[str, os.DirEntry]]:
    """Files under `root` (a folder; [] otherwise) by relative POSIX path, sorted; links to
    folders are not followed and __pycache__ is skipped. os.scandir, not Path.rglob: this runs
    on every build over thousands of files, and pathlib's objects cost more than the reads."""
    out: list[tuple[str, os.DirEntry]] = []
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # not a folder, or gone meanwhile
            continue
        for entry in entries:
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    stack.append((entry.path, name + "/"))
            elif entry.is_file() and name.endswith(suffix):
                out.append((name, entry))
    out.sort(key=lambda item: item[0])
    return out
