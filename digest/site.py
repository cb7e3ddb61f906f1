"""Writing the generated pages into docs/ and building the site, both atomically.

write_generated: everything is first staged in a temporary folder beside docs/ (same file system,
so moves are renames). Only then, with SIGINT held back, each changed file is swapped in with
os.replace and files generated last time but not now are moved out; the manifest
(`docs/.digest-manifest.json`) is replaced last. If any step fails, the journal is undone in
reverse, so docs/ ends as it was. Files not listed in the previous manifest are hand-written:
they are never removed, and a generated page with the same path is refused (SiteError).

build_site: MkDocs (`mkdocs build -d TMP`) or Zensical (a temporary config that INHERITs the
project's and sets `site_dir`, since `zensical build` has no output option) builds into a
temporary folder beside site/; site/ is swapped only when the build succeeded.
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterator, Mapping

MANIFEST = ".digest-manifest.json"
MANIFEST_VERSION = 1
ENGINES = ("mkdocs", "zensical")


class SiteError(Exception):
    """Writing docs/ or building the site failed; the message is one line for the user
    (a tool's own output follows on the next lines)."""


# ---------------------------------------------------------------------------------------
# Paths and the manifest


def check_relpath(path: str) -> str:
    """Validate a generated path: relative, POSIX, normalised, inside docs/, not the manifest."""
    if not isinstance(path, str) or not path or "\\" in path or "\x00" in path:
        raise SiteError(f"refusing to write unsafe generated path {path!r}")
    norm = posixpath.normpath(path)
    parts = norm.split("/")
    if path.startswith("/") or norm != path or ".." in parts or parts[0] in ("", ".") or ":" in parts[0]:
        raise SiteError(f"refusing to write unsafe generated path {path!r}")
    if norm == MANIFEST:
        raise SiteError(f"refusing to overwrite the manifest {MANIFEST}")
    return norm


def read_manifest(docs_dir: Path) -> list[str]:
    """Paths digest generated last time ([] when there is no manifest)."""
    path = docs_dir / MANIFEST
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise TypeError("files is not a list of paths")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SiteError(f"{path}: unreadable manifest ({exc}); delete it only if docs/ holds no generated pages you want removed") from exc
    # A tampered manifest must not let us delete outside docs/.
    return [f for f in files if _is_safe(f)]


def _is_safe(path: str) -> bool:
    try:
        check_relpath(path)
        return True
    except SiteError:
        return False


def _manifest_text(files: list[str]) -> str:
    data = {"version": MANIFEST_VERSION, "generator": "digest", "note": "Files digest generated; do not edit.", "files": files}
    return json.dumps(data, indent=1) + "\n"


# ---------------------------------------------------------------------------------------
# Holding back Ctrl-C during a short commit phase


@contextlib.contextmanager
def _deferred_sigint() -> Iterator[None]:
    """Delay KeyboardInterrupt until the block ends (only possible in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[tuple] = []
    previous = signal.signal(signal.SIGINT, lambda *args: received.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received and callable(previous):
            previous(*received[0])
        elif received:
            raise KeyboardInterrupt


# ---------------------------------------------------------------------------------------
# write_generated


def unchanged_files(docs_dir: Path, files: Mapping[str, str | bytes]) -> set[str]:
    """The paths of `files` already in docs/ with exactly that content."""
    same = set()
    root = str(docs_dir)
    for path, content in files.items():
        if not _is_safe(path):
            continue  # write_generated refuses it
        target = os.path.join(root, path)
        try:  # plain os calls: this reads every generated page on every build
            if stat.S_ISREG(os.lstat(target).st_mode):
                with open(target, "rb") as handle:
                    if handle.read() == _bytes(content):
                        same.add(path)
        except OSError:
            pass
    return same


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else bytes(content)


def write_generated(docs_dir: Path, files: Mapping[str, str | bytes], unchanged: set[str] | None = None) -> None:
    """Make docs/ hold exactly `files` as its generated part, atomically (see module doc).
    `unchanged` (from unchanged_files, when the caller already compared) skips comparing again."""
    docs_dir = Path(docs_dir)
    new = {check_relpath(p): c for p, c in files.items()}
    docs_dir.mkdir(parents=True, exist_ok=True)
    old = set(read_manifest(docs_dir))
    _refuse_hand_written(docs_dir, new, old)

    staging = Path(tempfile.mkdtemp(prefix=".digest-staging-", dir=docs_dir.parent))
    try:
        changed = _stage(docs_dir, staging / "new", new, unchanged_files(docs_dir, new) if unchanged is None else unchanged)
        manifest = staging / "new" / MANIFEST
        manifest.write_text(_manifest_text(sorted(new)), encoding="utf-8")
        stale = sorted(p for p in old - set(new) if (docs_dir / p).is_file() or (docs_dir / p).is_symlink())
        with _deferred_sigint():
            _commit(docs_dir, staging, [*changed, MANIFEST], stale)
            _remove_empty_dirs(docs_dir, stale)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _refuse_hand_written(docs_dir: Path, new: Mapping[str, object], old: set[str]) -> None:
    checked: set[str] = set()  # folders, each checked once (thousands of pages share a few)
    for path in sorted(new):
        target = docs_dir / path
        if path not in old and (target.exists() or target.is_symlink()):
            raise SiteError(
                f"{target}: a hand-written file has the path of a generated page; rename or move it "
                f"(digest never overwrites files missing from {MANIFEST}; if an earlier build made it, delete it)"
            )
        # A parent that is a hand-written file (or a symlink) would make us write elsewhere.
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            if folder in checked:
                continue
            checked.add(folder)
            parent = docs_dir / folder
            if parent.is_symlink() or (parent.exists() and not parent.is_dir()):
                raise SiteError(f"{parent}: expected a folder for generated pages, found a file or link")


def _stage(docs_dir: Path, stage: Path, new: Mapping[str, str | bytes], unchanged: set[str]) -> list[str]:
    """Write changed files into `stage`; return their paths. Unchanged files are left alone so
    their modification times (and `mkdocs serve`) are undisturbed."""
    changed = []
    stage.mkdir()
    for path, content in new.items():
        if path in unchanged:
            continue
        out = stage / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(_bytes(content))
        changed.append(path)
    return changed


def _commit(docs_dir: Path, staging: Path, changed: list[str], stale: list[str]) -> None:
    """Swap files in; on any failure undo every step already done, newest first."""
    backup = staging / "old"
    journal: list[tuple[str, Path, Path | None]] = []  # (kind, target, backup copy)
    try:
        for path in stale:
            target = docs_dir / path
            keep = backup / path
            keep.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, keep)
            journal.append(("removed", target, keep))
        for path in changed:
            target = docs_dir / path
            keep: Path | None = None
            if target.exists() or target.is_symlink():
                keep = backup / path
                keep.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, keep)
            journal.append(("replaced", target, keep))
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / "new" / path, target)
    except BaseException:
        for kind, target, keep in reversed(journal):
            with contextlib.suppress(OSError):
                if kind == "replaced" and keep is None:
                    target.unlink(missing_ok=True)
                if keep is not None:
                    os.replace(keep, target)
        raise


def _remove_empty_dirs(docs_dir: Path, removed: list[str]) -> None:
    """Remove folders emptied by removing stale generated files (never docs/ itself)."""
    dirs = {Path(p).parent for p in removed}
    for d in sorted(dirs, key=lambda p: len(p.parts), reverse=True):
        while d != Path("."):
            with contextlib.suppress(OSError):
                (docs_dir / d).rmdir()  # only succeeds when empty
            d = d.parent


# ---------------------------------------------------------------------------------------
# build_site


def build_site(config_file: Path, site_dir: Path, engine: str = "mkdocs", strict: bool = False,
               on_swapped: Callable[[], None] = lambda: None) -> None:
    """Build the site with MkDocs or Zensical into a temporary folder, then swap it into site_dir.
    `on_swapped` runs right after the swap, before a Ctrl-C held back during it is delivered, so
    the caller knows the new site is in place whenever that interrupt arrives."""
    if engine not in ENGINES:
        raise SiteError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
    config_file = Path(config_file).resolve()
    site_dir = Path(site_dir).absolute()
    if not config_file.is_file():
        raise SiteError(f"{config_file}: no such configuration file")
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    # Zensical only writes inside the project folder, so its temporary output goes there.
    tmp_parent = config_file.parent if engine == "zensical" else site_dir.parent
    tmp = Path(tempfile.mkdtemp(prefix=".digest-site-", dir=tmp_parent))
    try:
        out = tmp / "site"
        if engine == "mkdocs":
            _run_mkdocs(config_file, out, strict)
        else:
            _run_zensical(config_file, out, strict, tmp)
        if not (out / "index.html").is_file():
            raise SiteError(f"{engine} build produced no index.html in {out}")
        with _deferred_sigint():
            _swap_in(out, site_dir, tmp)
            on_swapped()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
        raise SiteError(f"{engine} build failed (exit status {proc.returncode}); the site was left as it was\n{tool_message(proc.stderr + proc.stdout)}")


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


def _run_mkdocs(config_file: Path, out: Path, strict: bool) -> None:
    # Not --quiet: it hides warnings from the counter that makes --strict fail.
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), "-d", str(out)]
    if strict:
        cmd.append("--strict")
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
        near = Path(tempfile.mkdtemp(prefix=".digest-site-", dir=site_dir.parent))
        try:
            shutil.copytree(new_site, near / "site")
            _swap_in(near / "site", site_dir, near)
        finally:
            shutil.rmtree(near, ignore_errors=True)
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
