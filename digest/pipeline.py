"""Runs the stages in order: read, clean, analyse (cached, parallel), aggregate (its stories named
by the id registry), stable fact ids, apply overrides, the changes report, render, publish (with
the registry). The one place that knows the order; each stage is a package with its entry
point in its __init__.py, and the caches and their keys live in cache.py.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, fields, replace
from typing import Callable, Sequence

import yaml

from digest import aggregate as aggregate_stage
from digest import analysis, cache, cleaning, ids, overrides as overrides_stage, publish, readers, render
from digest.config import ConfigError, Settings
from digest.gcpause import gc_paused
from digest.model import AnalysedArticle, Article, Digest, Overrides, Problem, Story, StoryNaming

Progress = Callable[[str, int, int], None]  # (stage, done, total)
SITE_RECORD = "site-build.json"  # in the cache: what the last site was built from (incremental site builds)


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


@dataclass(frozen=True)
class Inputs:
    """What reading and cleaning gave."""

    cleaned: tuple[Article, ...]  # every article read, before overrides
    final: tuple[Article, ...]  # after overrides; excluded articles are gone
    problems: tuple[Problem, ...]
    rejected: int  # input files that could not be read
    cleaned_now: int  # inputs cleaned by this build (cleaning cache misses)


@dataclass(frozen=True)
class Analyses:
    """What the analysis gave, in input order."""

    analysed: tuple[AnalysedArticle, ...]
    misses: int  # articles sent through spaCy
    hits: int  # analyses taken from the cache


def read_and_clean(settings: Settings, overrides: Overrides, use_cache: bool = True,
                   write_cache: bool = True) -> Inputs:
    raws, read_problems = readers.read_folder(settings.articles, settings.project)
    templates = cleaning.learn_templates(raws)
    store = cache.CleaningCache(settings.cache, enabled=use_cache, writable=write_cache)
    code = cache.cleaning_code_version()
    cleaned = []
    used: set[str] = set()
    misses = 0
    for raw in raws:
        key = cache.content_key(code, repr(raw))
        used.add(key)
        entry = store.get(key)
        keys = entry[0] if entry else cleaning.template_keys(raw)
        relevant = repr(sorted((k, templates.lines[k]) for k in keys if k in templates.lines))
        if entry and entry[1] == relevant:
            article = entry[2]
        else:
            article = cleaning.clean_article(raw, templates)
            store.put(key, (keys, relevant, article))
            misses += 1
        cleaned.append(article)
    store.prune(used)  # earlier versions of edited or removed inputs
    final = [changed for article in cleaned
             if (changed := overrides_stage.apply_to_article(article, overrides)) is not None]
    rejected = len({p.path for p in read_problems if p.severity == "error"})
    return Inputs(cleaned=tuple(cleaned), final=tuple(final), problems=tuple(read_problems),
                  rejected=rejected, cleaned_now=misses)


def analyse_cached(articles: Sequence[Article], settings: Settings, progress: Progress = _no_progress,
                   use_cache: bool = True, write_cache: bool = True,
                   preloader: analysis.ModelPreloader | None = None) -> Analyses:
    """Analyses in input order; only cache misses go through spaCy. A few misses go to
    `preloader` (a process that loaded the model meanwhile) when given."""
    store = cache.AnalysisCache(settings.cache, enabled=use_cache, writable=write_cache)
    model_id = cache.model_identity(settings.model)
    code = cache.analysis_code_version()
    keys = [cache.analysis_key(a, model_id, code) for a in articles]
    # An entry may come from another version of the article (same analysed text, other
    # metadata or dropped parts): it carries this one.
    results: list[AnalysedArticle | None] = [store.get(k) for k in keys]
    results = [r if r is None or r.article == a else replace(r, article=a) for r, a in zip(results, articles)]
    missing = [i for i, r in enumerate(results) if r is None]
    hits = len(articles) - len(missing)
    progress("analyse", hits, len(articles))
    analysed: list[AnalysedArticle] | None = None
    if missing and preloader is not None and len(missing) <= analysis.MAX_ARTICLES:
        analysed = preloader.analyse([articles[i] for i in missing])
    if missing and analysed is None:
        model = _load_model(settings)
        done = hits

        def advance(n: int) -> None:
            nonlocal done
            done += n
            progress("analyse", done, len(articles))

        analysed = analysis.analyse_parallel([articles[i] for i in missing], model, settings.n_process, advance)
    if missing and analysed is not None:
        progress("analyse", len(articles), len(articles))
        for i, result in zip(missing, analysed):
            results[i] = result
            store.put(keys[i], result)
    store.prune(set(keys))  # analyses of earlier versions, removed or excluded articles
    return Analyses(analysed=tuple(r for r in results if r is not None), misses=len(missing), hits=hits)


def _load_model(settings: Settings):
    try:
        return analysis.load_model(settings.model)
    except OSError as exc:  # spaCy's "Can't find model": a setting to fix, not a crash
        reason = str(exc).split("]", 1)[-1].strip()
        raise ConfigError([Problem(settings.model, f"spaCy model cannot be loaded ({reason}); install it into "
                                   "this environment (the default: pip install 'digest-news[model]'), or choose "
                                   "another with --model or `model:` in digest.yml")]) from exc


@dataclass(frozen=True)
class Aggregated:
    """What the aggregation gave, its ids made stable, and the overrides following them."""

    digest: Digest  # the writers' fact edits applied
    naming: StoryNaming
    fact_aliases: dict[str, dict[str, str]]
    overrides: Overrides  # as written, their ids that moved replaced by the current ones
    notes: tuple[Problem, ...]  # one per id that moved


def aggregate(analysed: Sequence[AnalysedArticle], articles: Sequence[Article], overrides: Overrides,
              title: str, store: cache.AggregateCache | None = None, key: str = "",
              memo: aggregate_stage.FactsMemo | None = None, registry: ids.Registry = ids.Registry()
              ) -> Aggregated:
    """Entities, stories and key facts across the corpus, their ids from the registry; then the
    writers' fact overrides. With a `store`, the part before the fact overrides is reused when
    `key` matches: an edit to facts in the overrides then costs only its own application.
    Otherwise `memo` reuses the key facts of every story whose articles and names did not change."""
    cached = store.get(key) if store is not None and key else None
    if cached is not None and len(cached) == 3:
        index, built, naming = cached
    else:
        with gc_paused():
            namer = ids.story_namer(registry)
            if memo is None:
                aggregation = aggregate_stage.aggregate(analysed, overrides, namer=namer)
            else:
                aggregation = aggregate_stage.aggregate(analysed, overrides, facts_of=memo.build, namer=namer)
                memo.finish()
        index, built, naming = aggregation.entities, aggregation.stories, aggregation.naming
        if store is not None and key:
            store.put(key, (index, built, naming))
    built, fact_aliases = ids.stable_facts(registry, built, naming.aliases)
    followed, notes = overrides_stage.follow_ids(overrides, naming.aliases, fact_aliases)
    by_id = {a.id: a for a in articles}
    final_stories: list[Story] = [overrides_stage.apply_to_facts(s, followed, by_id) for s in built]
    digest = Digest(articles=tuple(articles), entities=index, stories=tuple(final_stories), title=title)
    return Aggregated(digest, naming, fact_aliases, followed, notes)


def site_title(settings: Settings) -> str:
    if settings.title:
        return settings.title
    try:
        text = settings.mkdocs_config.read_text(encoding="utf-8")
        for line in text.splitlines():  # avoid a full load: mkdocs.yml may carry !!python tags
            if line.startswith("site_name:"):
                return str(yaml.safe_load(line.split(":", 1)[1]) or "digest")
    except (OSError, ValueError):
        pass
    return "digest"


def load_registry(settings: Settings) -> ids.Registry:
    path = settings.ids_path
    try:
        shown = path.relative_to(settings.project).as_posix()
    except ValueError:
        shown = str(path)
    registry, problems = ids.load(path, shown)
    if problems:
        raise ConfigError(problems)
    return registry


def load_overrides(settings: Settings) -> tuple[Overrides, list[Problem]]:
    ov, problems = overrides_stage.load_overrides(settings.overrides, root=settings.project,
                                                  required=settings.overrides_required)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ConfigError(errors)
    return ov, list(problems)


def run(settings: Settings, *, strict: bool = False, write: bool = True, site: bool = True,
        progress: Progress = _no_progress, use_cache: bool = True,
        on_committed: Callable[[], None] = lambda: None, strict_overrides: bool = False) -> Result:
    """The whole build. Raises ConfigError (exit 2) before writing anything when the overrides
    are invalid (or, with `strict` or `strict_overrides`, match nothing); otherwise writes docs/
    (and site/) and the id registry atomically and returns what happened."""
    started = time.perf_counter()
    timings: list[tuple[str, float]] = []

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings.append((name, now - since))
        return now

    t = started
    last_build = cache.LastBuild(settings.cache)
    inputs_key = cache.inputs_fingerprint(settings, site, strict) if write and use_cache else None
    fingerprint = cache.build_fingerprint(settings, site, strict, inputs_key) if inputs_key else None
    if fingerprint:
        previous = last_build.read()
        if previous and previous.get("fingerprint") == fingerprint:
            result = _up_to_date(previous, started)
            last_build.write(_build_record(result, fingerprint))
            return result
    overrides, problems = load_overrides(settings)
    registry = load_registry(settings)

    # With a cache most rebuilds analyse a few articles or none: load the model meanwhile.
    preloader = (analysis.ModelPreloader(settings.model)
                 if use_cache and analysis.preload_available(settings.n_process) else None)
    try:
        progress("read", 0, 1)
        inputs = read_and_clean(settings, overrides, use_cache, write)
        problems += inputs.problems
        t = lap("read+clean", t)

        # Analysis keys on the article before overrides, so editing overrides never re-runs spaCy.
        included = {a.id for a in inputs.final}
        to_analyse = [a for a in inputs.cleaned if a.id in included]
        analyses = analyse_cached(to_analyse, settings, progress, use_cache=use_cache,
                                  write_cache=write, preloader=preloader)
    finally:
        if preloader is not None:
            preloader.close()
    final_by_id = {a.id: a for a in inputs.final}
    analysed = [replace(a, article=final_by_id[a.article.id]) for a in analyses.analysed]
    t = lap("analyse", t)

    if use_cache:
        code, keys = cache.facts_keys(settings, to_analyse, inputs.final)
        memo = aggregate_stage.FactsMemo(cache.FactsCache(settings.cache, writable=write), code, keys)
        key = cache.aggregate_key(settings, to_analyse, inputs.final, overrides, registry.fingerprint)
    else:
        memo, key = None, ""
    aggregated = aggregate(analysed, inputs.final, overrides, site_title(settings),
                           cache.AggregateCache(settings.cache, enabled=use_cache, writable=write), key, memo,
                           registry)
    digest = aggregated.digest
    moved = {**registry.story_aliases(), **aggregated.naming.aliases}
    reference_problems = list(aggregated.notes) + list(overrides_stage.check_references(
        aggregated.overrides, digest, strict or strict_overrides, inputs=inputs.cleaned, story_aliases=moved,
        fact_aliases=aggregated.fact_aliases))
    problems += reference_problems
    new_registry = ids.updated(registry, aggregated.naming, digest.stories, aggregated.fact_aliases)
    digest = replace(digest, problems=tuple(problems), redirects=ids.redirects(new_registry, digest.stories))
    digest = replace(digest, changes=ids.compare(ids.previous_build(settings.docs), digest, problems))
    t = lap("aggregate", t)
    if any(p.severity == "error" for p in reference_problems):
        raise ConfigError([p for p in reference_problems if p.severity == "error"])

    facts = sum(len([f for f in s.facts if f.status != "hidden"]) for s in digest.stories)
    conflicts = sum(1 for s in digest.stories for f in s.facts if f.status == "conflict")
    wrote = built = False
    if write:
        files = render.render_parallel(digest, render.RenderOptions.from_settings(settings), settings.n_process)
        t = lap("render", t)
        # The registry is written with docs/ (only when the build publishes, never half-updated).
        registry_text = ids.text(new_registry)
        extra = {} if _same_text(settings.ids_path, registry_text) else {settings.ids_path: registry_text}
        site_notes: list[str] = []
        publish.write_outputs(settings, files, site, strict=strict, on_committed=on_committed, project_files=extra,
                              site_record=settings.cache / SITE_RECORD if use_cache else None,
                              note=site_notes.append)
        problems += [Problem(str(settings.site), line, "note") for line in site_notes]
        wrote, built = True, site
        t = lap("write+site" if site else "write", t)
    articles = inputs.final
    stats = BuildStats(
        inputs=len(articles), rejected=inputs.rejected,
        not_articles=sum(1 for a in articles if a.not_article),
        excluded=len(inputs.cleaned) - len(articles), analysed=analyses.misses, cached=analyses.hits,
        stories=len(digest.stories), facts=facts, conflicts=conflicts,
        seconds=time.perf_counter() - started, timings=tuple(timings), cleaned=inputs.cleaned_now)
    flagged = tuple((a.source_path, a.not_article) for a in articles if a.not_article)
    result = Result(digest=digest, problems=tuple(problems), stats=stats, wrote_docs=wrote, built_site=built,
                    flagged=flagged)
    if write:
        after = cache.build_fingerprint(settings, site, strict, inputs_key) if inputs_key else None
        last_build.write(_build_record(result, after))
    return result


def _same_text(path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def _up_to_date(record: dict, started: float) -> Result:
    """The result of the previous build, replayed: same problems, same figures, nothing run."""
    known = {f.name for f in fields(BuildStats)}
    stats = {k: v for k, v in record.get("stats", {}).items() if k in known}
    stats.update(analysed=0, cleaned=0, cached=stats.get("inputs", 0), seconds=time.perf_counter() - started,
                 timings=(("up to date", time.perf_counter() - started),))
    problems = tuple(Problem(**{**p, "fix": tuple(p["fix"]) if p.get("fix") else None})
                     for p in record.get("problems", ()))
    return Result(digest=None, problems=problems, stats=BuildStats(**stats), wrote_docs=False,
                  built_site=False, flagged=tuple(tuple(f) for f in record.get("flagged", ())), up_to_date=True)


def _build_record(result: Result, fingerprint: str | None) -> dict:
    """What the last build did, for the up-to-date check and the benchmarks."""
    stats = result.stats
    return {"fingerprint": fingerprint, "timings": dict(stats.timings), "seconds": stats.seconds,
            "analysed": stats.analysed, "cached": stats.cached, "cleaned": stats.cleaned,
            "stats": {k: v for k, v in asdict(stats).items() if k != "timings"},
            "problems": [asdict(p) for p in result.problems], "flagged": list(result.flagged)}


def explain(settings: Settings) -> list[tuple[str, tuple[str, ...]]]:
    """Per story (its title), the key facts' trace: every candidate dropped with its reason and
    every merge (`digest check --explain`). Stories as the build groups them, writers' story
    overrides applied; fact overrides do not change what was extracted."""
    overrides, _ = load_overrides(settings)
    inputs = read_and_clean(settings, overrides)
    analysed = analyse_cached(inputs.final, settings).analysed
    final = {a.id: a for a in inputs.final}
    analysed = [replace(a, article=final[a.article.id]) for a in analysed]
    traces: dict[tuple[str, ...], tuple[str, ...]] = {}

    def recording(story, index, names):
        facts = aggregate_stage.build_facts(story, index, names)
        traces[tuple(a.article.id for a in story)] = facts.trace
        return facts

    built = aggregate_stage.aggregate(analysed, overrides, facts_of=recording)
    return [(story.title, traces.get(tuple(story.articles), ())) for story in built.stories]
