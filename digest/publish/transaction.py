"""One build's writing as a transaction: the generated part of docs/ is replaced, then site/ is
built from it; if anything fails (or the user interrupts) before site/ is swapped in, docs/ is
put back exactly as it was. Hand-written files are never touched: the backup and the restore go
through the manifest of generated files."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Callable

from digest.config import Settings
from digest.publish import docs as docs_mod, incremental
from digest.publish.engines import build_site
from digest.publish.interrupts import deferred_sigint, temporary_folder


def write_outputs(settings: Settings, files: dict[str, str | bytes], site: bool, strict: bool = False,
                  on_committed: Callable[[], None] = lambda: None,
                  project_files: Mapping[Path, str] | None = None, site_record: Path | None = None,
                  note: Callable[[str], None] = lambda line: None) -> None:
    """Write docs/ then build site/; if anything fails (or the user interrupts), put the generated
    part of docs/ back exactly as it was. Hand-written files are never touched: the backup and the
    restore go through the manifest of generated files, and engines.build_site only swaps site/ in
    after a successful build. `project_files` (the id registry) are replaced, each atomically, at
    the moment the build commits, with SIGINT held back: a failed build never writes them.
    `site_record` (in the cache) lets the site build start from the previous site
    (publish/incremental.py); `note` gets one line when it builds the whole site instead."""
    docs = settings.docs
    with temporary_folder(".digest-docs-backup-", docs.parent if docs.parent.exists() else None) as backup_root:
        _write_and_build(settings, files, site, strict, on_committed, project_files or {}, backup_root,
                         site_record, note)


def _write_and_build(settings: Settings, files: dict[str, str | bytes], site: bool, strict: bool,
                     on_committed: Callable[[], None], project_files: Mapping[Path, str],
                     backup_root: Path, site_record: Path | None = None,
                     note: Callable[[str], None] = lambda line: None) -> None:
    docs = settings.docs
    writing = committed = False
    had_docs = docs.exists()
    had_manifest = (docs / docs_mod.MANIFEST).exists()
    try:
        generated = docs_mod.read_manifest(docs) if had_docs else []
        # Only files about to be replaced or removed need a copy: the rest stay untouched.
        unchanged = docs_mod.unchanged_files(docs, files)
        previous = _backup_generated(docs, backup_root, generated, unchanged)
        writing = True
        docs_mod.write_generated(docs, files, unchanged)

        def commit() -> None:  # from here on an interrupt must not undo docs/: site/ matches it
            nonlocal committed
            with deferred_sigint():
                for path, content in project_files.items():
                    _replace_text(path, content)
                committed = True
            on_committed()

        if site:
            build_site(settings.mkdocs_config, settings.site, engine=settings.engine, strict=strict,
                       on_swapped=commit, record=site_record, note=note)
        else:
            commit()
    except BaseException:
        if writing and not committed:
            docs_mod.write_generated(docs, previous)
            if not had_manifest:
                (docs / docs_mod.MANIFEST).unlink(missing_ok=True)
            if not had_docs:
                _remove_empty_tree(docs)
        raise


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
    # Hard links make the backup cheap: docs.write_generated only ever swaps new files in with
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
        incremental.link_or_copy(source, target)
        backed_up.append(rel)
    return _BackedUpFiles(backup_root, backed_up, docs, kept)


def _replace_text(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.chmod(tmp, 0o666 & ~_umask())  # a project file, readable as any file the user writes (mkstemp: 0600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
