"""The site's search index: Pagefind bundles, each indexing a shard of the pages.

Pagefind has no incremental mode: it indexes every page it is given (4 s of a 20 s one-article
rebuild at 400 articles). So the pages it indexes (those the theme wraps in data-pagefind-body)
are shared among a few bundles (MAX_SHARDS) by a hash of their path, `pagefind/NN/`, and the
browser merges them (Pagefind's mergeIndex; `pagefind/bundles.json` lists them for
assets/digest-search.js). An incremental site build indexes again only the bundles holding a
page whose source changed (or was added or removed) and hard-links the others from the
previous site. A bundle depends on its pages alone, so the result is the full build's.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterable

from digest.publish import incremental

PAGEFIND_DIR = "pagefind"
MANIFEST = "bundles.json"
VERSION = 1
PAGES_PER_SHARD = 300  # a bundle of 300 pages indexes in well under a second
# The browser searches every bundle: on 400 BBC articles, in Chromium, the first results took
# 0.4-0.5 s with one bundle and 2.0 s with 16 (measured back to back on one loaded machine).
MAX_SHARDS = 4
MARK = b"data-pagefind-body"
# Pagefind's ready-made interfaces: digest's search (assets/digest-search.js) uses its JS API.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")

Runner = Callable[[list[str], str, Path], None]  # (command, tool name, working folder)


def shard_count(pages: int, per_shard: int = PAGES_PER_SHARD) -> int:
    return max(1, min(MAX_SHARDS, -(-pages // per_shard)))


def shard_of(path: str, count: int) -> int:
    return int(hashlib.sha1(path.encode("utf-8")).hexdigest()[:8], 16) % count


def indexed_pages(site: Path) -> list[str]:
    """Site-relative paths of the HTML pages Pagefind indexes (marked data-pagefind-body)."""
    found = []
    root = str(site)
    for dirpath, dirnames, filenames in os.walk(root):
        if dirpath == root and PAGEFIND_DIR in dirnames:
            dirnames.remove(PAGEFIND_DIR)
        for name in filenames:
            if name.endswith(".html"):
                path = os.path.join(dirpath, name)
                with open(path, "rb") as handle:
                    if MARK in handle.read():
                        found.append(os.path.relpath(path, root).replace(os.sep, "/"))
    return sorted(found)


def bundle_name(shard: int) -> str:
    return f"{shard:02d}"  # two digits: no bundle's path is a prefix of another's


def index_site(site: Path, work: Path, run: Runner, previous: Path | None = None,
               changed: Iterable[str] | None = None, per_shard: int = PAGES_PER_SHARD) -> None:
    """Write site/pagefind/: a bundle per shard and bundles.json. With `previous` (the previous
    site's pagefind/ folder) and `changed` (site paths whose page changed, was added or removed
    since), the bundles of untouched shards are linked from it instead of indexed again.
    `work` is a scratch folder (each shard's pages are linked there for Pagefind)."""
    pages = indexed_pages(site)
    count = shard_count(len(pages), per_shard)
    shards: dict[int, list[str]] = {}
    for page in pages:
        shards.setdefault(shard_of(page, count), []).append(page)
    reuse: set[int] = set()
    if previous is not None and changed is not None:
        old = read_manifest(previous)
        if old is not None and old.get("shards") == count:
            dirty = {shard_of(p, count) for p in changed}
            listed = set(old.get("bundles", ()))
            reuse = {k for k in shards if k not in dirty and f"{bundle_name(k)}/" in listed
                     and (previous / bundle_name(k)).is_dir()}
    out = site / PAGEFIND_DIR
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for k in sorted(reuse):
        incremental.link_tree(previous / bundle_name(k), out / bundle_name(k))
    todo = [k for k in sorted(shards) if k not in reuse]

    def build(k: int) -> None:
        stage = work / f"pagefind-{bundle_name(k)}"
        for page in shards[k]:
            target = stage / page
            target.parent.mkdir(parents=True, exist_ok=True)
            incremental.link_or_copy(site / page, target)
        bundle = out / bundle_name(k)
        run([sys.executable, "-m", "pagefind", "--site", str(stage), "--output-path", str(bundle), "--quiet"],
            "pagefind", stage)
        for name in UNUSED:
            (bundle / name).unlink(missing_ok=True)
        shutil.rmtree(stage, ignore_errors=True)

    if todo:
        with ThreadPoolExecutor(max_workers=max(1, min(len(todo), os.cpu_count() or 1))) as pool:
            for future in [pool.submit(build, k) for k in todo]:
                future.result()
    manifest = {"version": VERSION, "shards": count, "bundles": [f"{bundle_name(k)}/" for k in sorted(shards)]}
    (out / MANIFEST).write_text(json.dumps(manifest) + "\n", encoding="utf-8")


def read_manifest(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == VERSION else None
