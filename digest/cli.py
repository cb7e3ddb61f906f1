"""The `digest` command line: thin click commands over digest.pipeline (parse, call, report).

Exit status: 0 success; 1 the build found errors (with --strict, warnings too); 2 bad usage or
configuration. Errors are one line each naming the file (and line); tracebacks only with --debug.
Each command imports the pipeline when it runs, so `digest --help` answers at once.
"""

from __future__ import annotations

import json
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Iterator

import click

from .config import ConfigError, Settings, load_settings
from .fetch.cli import fetch as fetch_command

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _err(message: str) -> None:
    click.echo(message, err=True)


def _print_problems(problems, show_notes: bool = False) -> None:
    for problem in problems:
        if problem.severity == "note" and not show_notes:
            continue
        _err(str(problem))


class _Outputs:
    """Whether this command has replaced docs/ and site/ yet (for an honest Ctrl-C message)."""

    replaced = False

    def mark(self) -> None:
        self.replaced = True


@contextmanager
def _handled(debug: bool, outputs: _Outputs | None = None) -> Iterator[None]:
    """Turn expected failures into one-line messages and exit statuses."""
    try:
        yield
    except ConfigError as exc:
        _print_problems(exc.problems)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        if outputs is not None and outputs.replaced:
            _err("interrupted after the build finished: docs/ and site/ hold the new build")
        else:
            _err("interrupted: docs/ and site/ were left as they were")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
        if debug:
            raise
        from .publish import SiteError

        if isinstance(exc, SiteError):
            _err(f"error: site build failed: {exc}")
        else:
            _err(f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")
        sys.exit(EXIT_ERRORS)


def _project_options(func):
    options = [
        click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Project folder (default: the current directory)."),
        click.option("--articles", type=click.Path(path_type=Path), default=None,
                     help="Folder of input articles (default: PROJECT/articles)."),
        click.option("--overrides", type=click.Path(path_type=Path), default=None,
                     help="Writers' overrides file or folder (default: PROJECT/overrides.yml)."),
        click.option("--docs", type=click.Path(path_type=Path), default=None,
                     help="Docs folder for the generated pages (default: PROJECT/docs)."),
        click.option("--model", default=None, help="spaCy model name (default: en_core_web_sm)."),
        click.option("--strict", is_flag=True, help="Treat warnings (e.g. stale overrides) as errors."),
        click.option("--debug", is_flag=True, help="Show tracebacks."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _settings(project, articles, overrides, docs, model, **extra) -> Settings:
    return load_settings(project, articles=articles, overrides=overrides, docs=docs, model=model, **extra)


def _exit_status(problems, strict: bool) -> int:
    if any(p.severity == "error" for p in problems):
        return EXIT_ERRORS
    if strict and any(p.severity == "warning" for p in problems):
        return EXIT_ERRORS
    return EXIT_OK


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="digest-news")  # the distribution; the command is `digest`
def main() -> None:
    """digest: turn scraped news articles into a clean, searchable static site."""


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Write into a folder that is not empty.")
def init(directory: Path, force: bool) -> None:
    """Scaffold a new digest project in DIRECTORY."""
    if directory.exists() and any(directory.iterdir()) and not force:
        _err(f"{directory}: folder is not empty (use --force to write into it anyway)")
        sys.exit(EXIT_USAGE)
    from . import scaffold

    made = scaffold.scaffold(directory, force)
    for path in made.written:
        click.echo(f"  wrote {path}")
    workflows = [str(directory / name) for name in scaffold.WORKFLOWS if directory / name in made.written]
    if workflows:
        if made.package:
            click.echo(f"  the workflows install {made.package} (where this digest came from)")
        else:
            click.echo(f"  set DIGEST_PACKAGE in {' and '.join(workflows)} to a URL GitHub can install "
                       "digest from: this copy came from a local folder or an index")
    if directory / scaffold.FETCH_WORKFLOW in made.written:
        click.echo(f"  list feeds, OPML files or sitemaps in {directory / 'digest.yml'}: "
                   f"{directory / scaffold.FETCH_WORKFLOW} fetches and publishes them every six hours")
    click.echo(f"Created a digest project in {directory}. Next: cd {directory} && digest build")


def _progress_reporter():
    """A rich progress bar when the terminal is interactive; silent otherwise."""
    if not sys.stderr.isatty():
        return None, lambda stage, done, total: None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), transient=True)
    tasks: dict[str, int] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return bar, report


def _summary(result, settings: Settings, elapsed: float, site: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    stats = result.stats
    table = Table(title="digest build", show_header=False, box=None)
    rows = [
        ("articles read", stats.inputs),
        ("rejected inputs", stats.rejected),
        ("not articles", stats.not_articles),
        ("excluded by overrides", stats.excluded),
        ("analysed / from cache", f"{stats.analysed} / {stats.cached}"),
        ("stories", stats.stories),
        ("facts", stats.facts),
        ("conflicts", stats.conflicts),
        ("errors / warnings", f"{len(result.errors)} / {len(result.warnings)}"),
        ("docs", str(settings.docs)),
        ("site", str(settings.site) if site else "(not built: --no-site)"),
        ("time", f"{elapsed:.1f}s"),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    Console(stderr=True).print(table)
    if result.up_to_date:
        _err("  up to date: nothing changed since the last build (use --no-cache to rebuild anyway)")
    if result.digest is not None and result.digest.changes is not None:
        from . import ids

        for line in ids.summary_lines(result.digest.changes):
            _err(line)
    flagged = result.flagged
    for source_path, reason in flagged[:10]:
        _err(f"  not an article: {source_path}: {reason}")
    if len(flagged) > 10:
        _err(f"  ... and {len(flagged) - 10} more pages flagged as not articles")


@main.command()
@_project_options
@click.option("--no-site", is_flag=True, help="Write docs/ only; skip the MkDocs build.")
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default=None,
              help="Site engine (default: mkdocs, or `engine` in digest.yml).")
@click.option("--no-cache", is_flag=True, help="Ignore the analysis cache (analyse everything again).")
@click.option("--quiet", "-q", is_flag=True, help="No summary.")
def build(project, articles, overrides, docs, model, strict, debug, no_site, engine, no_cache, quiet) -> None:
    """Read, analyse and write the generated pages, then build the site."""
    from . import pipeline

    outputs = _Outputs()
    with _handled(debug, outputs):
        settings = _settings(project, articles, overrides, docs, model, engine=engine)
        started = time.perf_counter()
        bar, report = _progress_reporter()
        options = dict(strict=strict, site=not no_site, use_cache=not no_cache, on_committed=outputs.mark,
                       strict_overrides=_scheduled())
        if bar:
            with bar:
                result = pipeline.run(settings, progress=report, **options)
        else:
            result = pipeline.run(settings, **options)
        _print_problems(result.problems, show_notes=True)
        if not quiet:
            _summary(result, settings, time.perf_counter() - started, not no_site)
    sys.exit(_exit_status(result.problems, strict))


def _scheduled() -> bool:
    """A scheduled run (GitHub Actions' `schedule` event): nobody is watching, so an override that
    matches nothing stops the publish instead of re-showing a row a writer hid."""
    return os.environ.get("GITHUB_EVENT_NAME") == "schedule"


@main.command()
@_project_options
@click.option("--fix", is_flag=True, help="Rewrite override ids that moved or match nothing to the id they most "
                                          "likely mean (in place, keeping comments and layout).")
@click.option("--explain", is_flag=True, help="Per story, every candidate key fact dropped (with its reason) "
                                              "and every merge.")
def check(project, articles, overrides, docs, model, strict, debug, fix, explain) -> None:
    """Validate inputs and overrides and report everything found; write nothing (but --fix)."""
    from . import pipeline

    with _handled(debug):
        settings = _settings(project, articles, overrides, docs, model)
        if fix:
            _fix_ids(settings, strict)
        result = pipeline.run(settings, strict=strict, write=False)
        from .cleaning import metadata_notes, metadata_summary

        _print_problems(result.problems, show_notes=True)
        for note in metadata_notes(result.digest.articles):  # the report, on stdout (problems: stderr)
            click.echo(str(note))
        s = result.stats
        click.echo(f"checked {s.inputs + s.rejected} inputs: {len(result.errors)} errors, "
                   f"{len(result.warnings)} warnings; {s.stories} stories, {s.facts} facts, "
                   f"{s.conflicts} conflicts; {metadata_summary(result.digest.articles)}")
        if explain:
            for title, trace in pipeline.explain(settings):
                click.echo(f"\n{title}")
                for line in trace:
                    click.echo(f"  {line}")
    sys.exit(_exit_status(result.problems, strict))


def _fix_ids(settings: Settings, strict: bool) -> None:
    """Rewrite the override ids the check proposes (ids that moved, or the likely id of one that
    matches nothing), until nothing more is fixable (a fix can uncover the next one)."""
    from . import overrides as overrides_stage
    from . import pipeline

    for _ in range(5):
        try:
            problems = pipeline.run(settings, strict=strict, write=False).problems
        except ConfigError as exc:
            problems = exc.problems
        fixed = overrides_stage.apply_fixes(problems, settings.project)
        for problem in fixed:
            old, new = problem.fix
            _err(f"{problem.path}:{problem.line}:{problem.col}: fixed: '{old}' -> '{new}'")
        if not fixed:
            return


@main.command()
@_project_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              help="Output format.")
@click.option("--story", "story_ids", multiple=True, help="Only this story id (repeatable).")
@click.option("--all", "show_hidden", is_flag=True, help="Include hidden rows.")
def facts(project, articles, overrides, docs, model, strict, debug, fmt, story_ids, show_hidden) -> None:
    """Print each story's key facts (with the ids overrides use)."""
    from . import pipeline

    with _handled(debug):
        settings = _settings(project, articles, overrides, docs, model)
        result = pipeline.run(settings, strict=strict, write=False)
        # An id that moved (digest.json's redirects) names the story it leads to now.
        story_ids = tuple(result.digest.redirects.get(i, i) for i in story_ids)
        known = [s.id for s in result.digest.stories]
        unknown = [sid for sid in dict.fromkeys(story_ids) if sid not in known]
        for sid in unknown:
            _err(f"--story: error: unknown story id '{sid}'{_suggestion(sid, known)}")
        if unknown:
            sys.exit(EXIT_USAGE)
        stories = [s for s in result.digest.stories if not story_ids or s.id in story_ids]
        _print_facts(stories, result.digest, fmt, show_hidden)
    sys.exit(_exit_status(result.problems, strict))


def _outlet_of(digest, article_id: str) -> str:
    for article in digest.articles:
        if article.id == article_id:
            return article.outlet or article.id
    return article_id


def _print_facts(stories, digest, fmt: str, show_hidden: bool) -> None:
    def rows(story):  # the site's order: pinned rows first
        shown = [f for f in story.facts if show_hidden or f.status != "hidden"]
        return [f for f in shown if f.pinned] + [f for f in shown if not f.pinned]

    if fmt == "json":
        payload = [{"story": s.id, "title": s.title,
                    "facts": [asdict(f) for f in rows(s)]} for s in stories]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":  # the same shape as the site's per-story download (one writer, render/)
        from .render import facts_csv

        articles = {a.id: a for a in digest.articles}
        click.echo(facts_csv([(s.id, rows(s)) for s in stories], articles), nl=False)
        return
    from rich.console import Console

    console = Console(highlight=False)
    for story in stories:
        _print_story_facts(console, story, rows(story), digest)


_STYLES = {"conflict": "bold red", "agreed": "green", "single": "dim", "edited": "cyan", "hidden": "strike"}
_OUTLET_MIN = 14  # columns an outlet needs in the table; narrower terminals get the list layout


def _print_story_facts(console, story, facts, digest) -> None:
    """One story's key facts: a table with a column per outlet when the terminal is wide enough
    for it, otherwise one block per fact. Ids are never cut: they are what this command is for."""
    from rich.markup import escape
    from rich.padding import Padding
    from rich.table import Table

    outlets = list(dict.fromkeys(_outlet_of(digest, a) for a in story.articles))
    console.print(f"[bold]{escape(story.title)}[/]")
    console.print(f"story id: [bold]{escape(story.id)}[/]  ({len(story.articles)} articles, {len(facts)} facts)")
    cells = []
    for fact in facts:
        by_outlet: dict[str, list[str]] = {o: [] for o in outlets}
        for source in fact.sources:
            by_outlet.setdefault(_outlet_of(digest, source.article), []).append(source.text or source.value)
        cells.append(by_outlet)
    id_width = max([len("fact id"), *(len(f.id) for f in facts)])
    if id_width + 50 + _OUTLET_MIN * len(outlets) <= console.width:
        table = Table(show_lines=False)
        table.add_column("fact id", style="bold", no_wrap=True, min_width=id_width)
        table.add_column("fact", overflow="fold")
        table.add_column("value", overflow="fold")
        table.add_column("status", no_wrap=True)
        for outlet in outlets:
            table.add_column(escape(outlet), overflow="fold")
        for fact, by_outlet in zip(facts, cells):
            table.add_row(escape(fact.id), escape(fact.label), escape(fact.value or ""),
                          f"[{_STYLES.get(fact.status, '')}]{fact.status}[/]",
                          *[escape(" / ".join(by_outlet.get(o) or ["—"])) for o in outlets])
        console.print(table)
    else:
        for fact, by_outlet in zip(facts, cells):
            console.print(f"[bold]{escape(fact.id)}[/]", soft_wrap=True)
            console.print(Padding(f"{escape(fact.label)}: {escape(fact.value or '')}  "
                                  f"[{_STYLES.get(fact.status, '')}]{fact.status}[/]", (0, 0, 0, 2)))
            for outlet, words in by_outlet.items():
                if words:
                    console.print(Padding(f"{escape(outlet)}: {escape(' / '.join(words))}", (0, 0, 0, 4)))
    console.print()


def _suggestion(wanted: str, known: list[str]) -> str:
    """'; did you mean ...?' for the ids closest to `wanted` (spelling, or a part of the id)."""
    import difflib

    close = [k for k in known if wanted and (k.startswith(wanted) or wanted in k)]
    close += [k for k in difflib.get_close_matches(wanted, known, n=3, cutoff=0.5) if k not in close]
    if not close:
        return f"; known ids: {', '.join(known[:5])}{' ...' if len(known) > 5 else ''}" if known else ""
    return f"; did you mean {' or '.join(repr(k) for k in close[:3])}?"

@main.command()
@_project_options
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between checks for changes.")
def serve(project, articles, overrides, docs, model, strict, debug, dev_addr, interval) -> None:
    """Live preview: rebuild when an article, the overrides or a template changes."""
    from . import serve as serve_mod

    with _handled(debug):
        settings = _settings(project, articles, overrides, docs, model)
        serve_mod.serve(settings, dev_addr=dev_addr, interval=interval, echo=_err)


main.add_command(fetch_command, "fetch")
