"""Building the site with MkDocs or Zensical, atomically.

MkDocs (`mkdocs build -d TMP`) or Zensical (a temporary config that INHERITs the project's and
sets `site_dir`, since `zensical build` has no output option) builds into a temporary folder
beside site/; site/ is swapped only when the build succeeded.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

from digest.publish import incremental, search_index
from digest.publish.docs import SiteError
from digest.publish.interrupts import deferred_sigint, remove_in_background, temporary_folder

from digest.config import ENGINES
from digest.render import read_mkdocs


def build_site(config_file: Path, site_dir: Path, engine: str = "mkdocs", strict: bool = False,
               on_swapped: Callable[[], None] = lambda: None, record: Path | None = None,
               note: Callable[[str], None] = lambda line: None) -> None:
    """Build the site with MkDocs or Zensical into a temporary folder, index it with Pagefind,
    then swap it into site_dir. `on_swapped` runs right after the swap, before a Ctrl-C held
    back during it is delivered, so the caller knows the new site is in place whenever that
    interrupt arrives. With `record` (a file in the cache) an MkDocs build starts from the
    previous site and rebuilds only the pages whose sources changed (publish/incremental.py);
    `note` gets one line when it cannot and builds the whole site instead."""
    if engine not in ENGINES:
        raise SiteError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
    config_file = Path(config_file).resolve()
    site_dir = Path(site_dir).absolute()
    if not config_file.is_file():
        raise SiteError(f"{config_file}: no such configuration file")
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    conf = read_mkdocs(config_file)
    docs_dir = config_file.parent / str(conf.get("docs_dir") or "docs")
    key = plan = None
    if record is not None and engine == "mkdocs":
        key = incremental.config_key(config_file, conf, engine, strict)
        plan = incremental.plan(record, key, conf, docs_dir, site_dir)
        if plan.reason:
            note(f"site: {plan.reason}")
    elif record is not None:
        record.unlink(missing_ok=True)  # Zensical builds whole; the record would go stale
    # Zensical only writes inside the project folder, so its temporary output goes there.
    tmp_parent = config_file.parent if engine == "zensical" else site_dir.parent
    dirty = engine == "mkdocs" and plan is not None and plan.incremental
    with temporary_folder(".digest-site-", tmp_parent) as tmp:
        out = tmp / "site"
        if engine == "mkdocs":
            if dirty:
                incremental.link_tree(site_dir, out, skip=PAGEFIND_DIR)
                incremental.prepare(out, plan.changed, conf.get("use_directory_urls", True) is not False)
            docs_listing = incremental.listing(docs_dir) if key else None
            _run_mkdocs(config_file, out, strict, dirty)
        else:
            _run_zensical(config_file, out, strict, tmp)
        if not (out / "index.html").is_file():
            raise SiteError(f"{engine} build produced no index.html in {out}")
        if dirty:
            urls = conf.get("use_directory_urls", True) is not False
            index_site(out, tmp, site_dir / PAGEFIND_DIR, {incremental.outputs_of(p, urls) for p in plan.changed})
        else:
            index_site(out, tmp)
        site_listing = incremental.listing(out) if key else None
        if record is not None:
            record.unlink(missing_ok=True)  # from here until the new record, the base is unknown
        with deferred_sigint():
            _swap_in(out, site_dir, tmp)
            if key and docs_listing is not None and site_listing is not None:
                with contextlib.suppress(OSError):  # no record: the next build is a whole one
                    incremental.write_record(record, key, docs_listing, site_listing)
            on_swapped()
        # The previous site, now aside in tmp: removed by a detached process (into the cache's
        # trash folder), not while the user waits.
        if (tmp / "previous").is_dir():
            remove_in_background(tmp / "previous", record.parent / TRASH if record is not None else None)


PAGEFIND_DIR = search_index.PAGEFIND_DIR
TRASH = "trash"  # in the cache folder: previous sites a detached process is removing


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material 9.7+ banner about MkDocs 2.0
    return env


def _run(cmd: list[str], engine: str, cwd: Path) -> None:
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SiteError(f"cannot run {engine}: {exc}") from exc
    if proc.returncode != 0:
        raise SiteError(f"{engine} {'indexing' if engine == 'pagefind' else 'build'} failed (exit status {proc.returncode}); the site was left as it was\n{tool_message(proc.stderr + proc.stdout)}")


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TRACEBACK = "Traceback (most recent call last):"


def tool_message(output: str, limit: int = 30) -> str:
    """The useful part of a failed tool's output: colours removed, a Python traceback reduced
    to its last line (Zensical raises one on --strict), progress and INFO lines dropped."""
    text = _ANSI.sub("", output)
    if _TRACEBACK in text:
        head, _, tail = text.partition(_TRACEBACK)
        text = head + "\n" + ([ln for ln in tail.splitlines() if ln.strip()] or [""])[-1]
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip() and not ln.startswith(("INFO", "Build started"))]
    return "\n".join(lines[-limit:])


def index_site(site: Path, work: Path, previous: Path | None = None, changed: set[str] | None = None) -> None:
    """Pagefind's search index of the finished site, in site/pagefind/ (replacing any older one),
    in bundles (publish/search_index.py); with the previous site's bundles and the pages changed
    since, only the bundles holding a changed page are indexed again. Only what the theme wraps
    in data-pagefind-body is indexed."""
    search_index.index_site(site, work, _run, previous, changed)


def _run_mkdocs(config_file: Path, out: Path, strict: bool, dirty: bool = False) -> None:
    # MkDocs' own build, run by mkdocs_run.py (which never writes through a hard link of the
    # previous site). Not quiet: warnings must reach the counter that makes --strict fail.
    cmd = [sys.executable, "-m", "digest.publish.mkdocs_run", str(config_file), str(out)]
    cmd += ["--strict"] * strict + ["--dirty"] * dirty
    _run(cmd, "mkdocs", config_file.parent)


def _run_zensical(config_file: Path, out: Path, strict: bool, tmp: Path) -> None:
    # INHERIT merges the project's configuration; only the output folder changes.
    conf = config_file.parent / f"{tmp.name}.yml"
    rel_out = os.path.relpath(out, config_file.parent)
    conf.write_text(f"INHERIT: {json.dumps(config_file.name)}\nsite_dir: {json.dumps(rel_out)}\n", encoding="utf-8")
    try:
        cmd = [sys.executable, "-m", "zensical", "build", "-f", str(conf)]
        if strict:
            cmd.append("--strict")
        _run(cmd, "zensical", config_file.parent)
    finally:
        conf.unlink(missing_ok=True)


def _swap_in(new_site: Path, site_dir: Path, tmp: Path) -> None:
    """Replace site_dir by new_site. site_dir is renamed aside first and put back on failure."""
    if new_site.parent.stat().st_dev != site_dir.parent.stat().st_dev:
        # Different file systems (Zensical's output inside the project, site/ elsewhere): copy
        # beside site_dir first so the final step is still a rename.
        with temporary_folder(".digest-site-", site_dir.parent) as near:
            shutil.copytree(new_site, near / "site")
            _swap_in(near / "site", site_dir, near)
        return
    aside = tmp / "previous"
    had_site = site_dir.exists() or site_dir.is_symlink()
    if had_site:
        if not site_dir.is_dir() or site_dir.is_symlink():
            raise SiteError(f"{site_dir}: exists and is not a folder; not replacing it")
        os.replace(site_dir, aside)
    try:
        os.replace(new_site, site_dir)
    except BaseException:
        if had_site:
            os.replace(aside, site_dir)
        raise
