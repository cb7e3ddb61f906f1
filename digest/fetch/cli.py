"""The `digest fetch` command (registered in the main group by digest.cli).

Settings come from digest.config like every other command: `--project` (default: the current
folder), the `articles:`, `feeds:`, `opml:`, `sitemaps:`, `max_age_days:`, `max_per_source:` and
`user_agent:` keys of digest.yml, and command-line values on top. Sources given on the command
line replace those of digest.yml for that run.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from digest.config import ConfigError, Settings, load_settings
from digest.model import Problem

from .options import DEFAULT_USER_AGENT, FetchOptions, FetchReport
from .run import fetch_sources

EXIT_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130
_NO_ARTICLES = "articles folder does not exist"


def _settings(project: Path | None, articles: Path | None) -> Settings:
    """The project's settings; a missing articles folder is created, since fetching is how
    a project may get its first articles."""
    try:
        return load_settings(project, articles=articles)
    except ConfigError as exc:
        if not exc.problems or any(p.message != _NO_ARTICLES for p in exc.problems):
            raise
        for problem in exc.problems:
            Path(problem.path).mkdir(parents=True, exist_ok=True)
        return load_settings(project, articles=articles)


@contextmanager
def _handled(debug: bool) -> Iterator[None]:
    """Expected failures as one line and an exit status; tracebacks only with --debug."""
    try:
        yield
    except ConfigError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException:
        raise  # click prints usage errors itself, with exit status 2
    except KeyboardInterrupt:
        click.echo("interrupted: the pages saved so far are kept and known", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 - the command's last line of defence
        if debug:
            raise
        click.echo(f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", err=True)
        sys.exit(EXIT_ERRORS)


@click.command("fetch")
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option("--feed", "feeds", multiple=True, metavar="URL",
              help="An RSS or Atom feed whose new items to fetch, or a site's page that names its feed "
                   "(repeatable). Default, when no source is given: the `feeds:` list in digest.yml.")
@click.option("--opml", "opml", multiple=True, metavar="FILE",
              help="An OPML file (or URL) of feeds, as feed readers export them (repeatable). "
                   "Default: the `opml:` setting.")
@click.option("--sitemap", "sitemaps", multiple=True, metavar="URL",
              help="A sitemap, sitemap index or news sitemap whose new pages to fetch (repeatable). "
                   "Default: the `sitemaps:` setting.")
@click.option("--max-age-days", type=click.IntRange(min=1), default=None, metavar="N",
              help="Leave out feed and sitemap items dated more than N days ago. "
                   "Default: `max_age_days` in digest.yml, else no limit.")
@click.option("--max-per-source", type=click.IntRange(min=1), default=None, metavar="N",
              help="Fetch at most N new pages per feed or sitemap in this run, the newest first; the rest "
                   f"in later runs. Default: `max_per_source` in digest.yml, else {FetchOptions.max_per_source}.")
@click.option("--refresh", is_flag=True, help="Fetch again pages fetched before, overwriting them.")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project folder (default: the current directory).")
@click.option("--articles", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to save pages (default: PROJECT/articles).")
@click.option("--delay", type=click.FloatRange(min=0), default=FetchOptions.delay, show_default=True,
              help="Seconds between two requests to the same host.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=FetchOptions.timeout,
              show_default=True, help="Seconds to wait for a connection or for data.")
@click.option("--retries", type=click.IntRange(min=0), default=FetchOptions.retries, show_default=True,
              help="Further attempts after a 429, a 5xx or a timeout.")
@click.option("--user-agent", default=None,
              help="User-Agent header; robots.txt rules for its first word apply. "
                   f"Default: `user_agent` in digest.yml, else {DEFAULT_USER_AGENT!r}.")
@click.option("-q", "--quiet", is_flag=True, help="Print problems and the summary only.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def fetch(urls: tuple[str, ...], feeds: tuple[str, ...], opml: tuple[str, ...], sitemaps: tuple[str, ...],
          max_age_days: int | None, max_per_source: int | None, refresh: bool, project: Path | None,
          articles: Path | None, delay: float, timeout: float, retries: int, user_agent: str | None,
          quiet: bool, debug: bool) -> None:
    """Save web pages, and the new pages of RSS/Atom feeds, OPML lists and sitemaps, into the
    articles folder.

    Each page becomes <id>.html plus <id>.fetch.json (its URL, fetch time and HTTP dates).
    Pages fetched before, or the same page under another address, are skipped unless
    --refresh. robots.txt is respected. Exit status 1 if any URL or source failed.
    """
    with _handled(debug):
        settings = _settings(project, articles)
        if not (urls or feeds or opml or sitemaps):
            feeds, opml, sitemaps = settings.feeds, settings.opml, settings.sitemaps
            if not (feeds or opml or sitemaps):
                raise click.UsageError("nothing to fetch: give URLs, --feed, --opml or --sitemap, "
                                       "or list `feeds:`, `opml:` or `sitemaps:` in digest.yml")
        try:
            options = FetchOptions(user_agent=user_agent or settings.user_agent or DEFAULT_USER_AGENT,
                                   delay=delay, timeout=timeout, retries=retries,
                                   max_age_days=max_age_days or settings.max_age_days,
                                   max_per_source=max_per_source or settings.max_per_source
                                   or FetchOptions.max_per_source)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None

        def log(event: str | Problem) -> None:
            if isinstance(event, Problem):
                click.echo(str(event), err=True)
            elif not quiet:
                click.echo(event)

        report = fetch_sources(settings.articles, urls=urls, feeds=feeds, opml=opml, sitemaps=sitemaps,
                               refresh=refresh, options=options, log=log)
        click.echo(summary(report, options))
    if report.errors:
        sys.exit(EXIT_ERRORS)


def summary(report: FetchReport, options: FetchOptions) -> str:
    """`N saved, N skipped, N failed`, and what the age and per-source limits left out."""
    line = f"{len(report.saved)} saved, {len(report.skipped)} skipped, {len(report.errors)} failed"
    extra = []
    if report.too_old:
        extra.append(f"{report.too_old} older than {options.max_age_days} day(s) left out")
    if report.deferred:
        extra.append(f"{report.deferred} left for later runs")
    return line + (f" ({'; '.join(extra)})" if extra else "")
