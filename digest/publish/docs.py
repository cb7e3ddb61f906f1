"""Writing the generated pages into docs/ atomically, and the manifest of what digest wrote.

write_generated: everything is first staged in a temporary folder beside docs/ (same file system,
so moves are renames). Only then, with SIGINT held back, each changed file is swapped in with
os.replace and files generated last time but not now are moved out; the manifest
(`docs/.digest-manifest.json`) is replaced last. If any step fails, the journal is undone in
reverse, so docs/ ends as it was. Files not listed in the previous manifest are hand-written:
they are never removed, and a generated page with the same path is refused (SiteError).
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import stat
from pathlib import Path
from typing import Mapping

from digest.publish.interrupts import deferred_sigint, temporary_folder

MANIFEST = ".digest-manifest.json"
MANIFEST_VERSION = 1


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

    with temporary_folder(".digest-staging-", docs_dir.parent) as staging:
        changed = _stage(docs_dir, staging / "new", new, unchanged_files(docs_dir, new) if unchanged is None else unchanged)
        manifest = staging / "new" / MANIFEST
        manifest.write_text(_manifest_text(sorted(new)), encoding="utf-8")
        stale = sorted(p for p in old - set(new) if (docs_dir / p).is_file() or (docs_dir / p).is_symlink())
        with deferred_sigint():
            _commit(docs_dir, staging, [*changed, MANIFEST], stale)
            _remove_empty_dirs(docs_dir, stale)


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
