"""Incremental site builds: the previous site/ is the base of the next one.

After a build, a record (`.digest-cache/site-build.json`) keeps what that site was built from:
a key of everything that shapes every page (mkdocs.yml, the theme overrides, the engine, the
tools' versions, this code), a listing of docs/ (path -> size, mtime, inode) and a listing of
the site it produced. The next build, when the key and the site's listing still match, copies
site/ by hard links, removes the outputs of every docs file changed, added or removed since,
and lets MkDocs build only what is missing (`--dirty`, through mkdocs_run.py, which never writes
through a hard link). Pagefind then indexes again the bundles of the search index that hold a
changed page (publish/search_index.py); the others are linked from the previous site.

Why the result equals a full build: digest writes every aggregated page (tags, indexes) itself,
so no page depends on another page's source except through the nav, and an incremental build
is only used when every nav entry has a title of its own in mkdocs.yml (MkDocs would otherwise
read titles from unread pages). Anything else: a full build, with one line saying why.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

RECORD_VERSION = 1

Listing = dict[str, list[int]]  # relative path -> [size, mtime_ns, inode]


@dataclass(frozen=True)
class Plan:
    incremental: bool
    reason: str | None = None  # why not, when the user should know (one line)
    changed: frozenset[str] = field(default_factory=frozenset)  # docs paths changed, added or removed


def listing(folder: Path, skip: str | None = None) -> Listing:
    """Every file under `folder` (not following links), `skip` (a top-level folder) aside."""
    out: Listing = {}
    root = str(folder)
    for dirpath, dirnames, filenames in os.walk(root):
        if skip and dirpath == root and skip in dirnames:
            dirnames.remove(skip)
        rel_dir = os.path.relpath(dirpath, root)
        for name in filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
            out[rel] = [st.st_size, st.st_mtime_ns, st.st_ino]
    return out


def digest_of(items: Listing) -> str:
    return hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()


def config_key(config_file: Path, conf: dict, engine: str, strict: bool) -> str:
    """What every page depends on: mkdocs.yml, the theme overrides (custom_dir), the engine and
    the versions of the tools and of this code."""
    h = hashlib.sha256()
    h.update(config_file.read_bytes())
    h.update(f"{engine} {strict} {os.environ.get('SITE_URL', '')}".encode())
    for dist in ("mkdocs", "mkdocs-material", "pagefind", "zensical"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            pass
    here = Path(__file__).parent
    for name in ("incremental.py", "mkdocs_run.py", "engines.py", "search_index.py"):
        h.update((here / name).read_bytes())
    custom = (conf.get("theme") or {}).get("custom_dir") if isinstance(conf.get("theme"), dict) else None
    if isinstance(custom, str):
        folder = config_file.parent / custom
        if folder.is_dir():
            for rel in sorted(listing(folder)):
                h.update(rel.encode() + b"\0" + (folder / rel).read_bytes())
    return h.hexdigest()


def titled_nav(conf: dict) -> bool:
    """Whether mkdocs.yml has a nav whose every entry carries its own title."""
    def ok(items) -> bool:
        if not isinstance(items, list):
            return False
        for item in items:
            if not isinstance(item, dict) or len(item) != 1:
                return False
            value = next(iter(item.values()))
            if isinstance(value, list) and not ok(value):
                return False
        return True
    return ok(conf.get("nav"))


def plan(record_file: Path, key: str, conf: dict, docs_dir: Path, site_dir: Path) -> Plan:
    if not titled_nav(conf):
        return Plan(False, "built whole: incremental site builds need a nav in mkdocs.yml with a title for every entry")
    if not site_dir.is_dir():
        return Plan(False)
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
        if record.get("version") != RECORD_VERSION:
            raise ValueError("another version")
        old_docs, old_site = record["docs"], record["site"]
        if not isinstance(old_docs, dict) or not isinstance(old_site, str):
            raise ValueError("malformed")
    except FileNotFoundError:
        return Plan(False, "built whole: no record of the previous site build")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Plan(False, "built whole: the record of the previous site build is unreadable")
    if record.get("key") != key:
        return Plan(False, "built whole: mkdocs.yml, the theme or a tool changed since the last site build")
    if digest_of(listing(site_dir)) != old_site:
        return Plan(False, "built whole: site/ changed since the last build")
    now = listing(docs_dir)
    changed = {p for p in now.keys() | old_docs.keys() if now.get(p) != old_docs.get(p)}
    return Plan(True, None, frozenset(changed))


def outputs_of(path: str, use_directory_urls: bool) -> str:
    """Where MkDocs writes a docs file."""
    if not path.endswith(".md"):
        return path
    folder, _, name = path.rpartition("/")
    stem = name[:-3]
    prefix = f"{folder}/" if folder else ""
    if stem in ("index", "README"):
        return f"{prefix}index.html"
    return f"{prefix}{stem}/index.html" if use_directory_urls else f"{prefix}{stem}.html"


def link_tree(source: Path, target: Path, skip: str | None = None) -> None:
    """A copy of `source` made of hard links (copies where links fail), `skip` left out."""
    src_root = str(source)
    for dirpath, dirnames, filenames in os.walk(src_root):
        if skip and dirpath == src_root and skip in dirnames:
            dirnames.remove(skip)
        rel = os.path.relpath(dirpath, src_root)
        out_dir = os.path.join(str(target), rel) if rel != "." else str(target)
        os.makedirs(out_dir, exist_ok=True)
        for name in filenames:
            link_or_copy(os.path.join(dirpath, name), os.path.join(out_dir, name))


def link_or_copy(source: str | Path, destination: str | Path) -> None:
    """A hard link to source at destination, or a copy where links fail (another file system)."""
    try:
        os.link(source, destination)
    except OSError:
        import shutil
        shutil.copy2(source, destination)


def prepare(base: Path, changed: frozenset[str], use_directory_urls: bool) -> None:
    """Remove from the copy of the previous site every output MkDocs must write anew: those of
    the changed docs files (a removed source's output stays removed), and the gzipped sitemap
    (MkDocs writes it through open(), which would write through a hard link)."""
    for path in sorted(changed):
        out = base / outputs_of(path, use_directory_urls)
        try:
            out.unlink()
        except FileNotFoundError:
            continue
        folder = out.parent
        while folder != base:  # folders emptied by a removed page
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
    (base / "sitemap.xml.gz").unlink(missing_ok=True)


def write_record(record_file: Path, key: str, docs: Listing, site: Listing) -> None:
    record_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = record_file.with_name(record_file.name + ".tmp")
    tmp.write_text(json.dumps({"version": RECORD_VERSION, "key": key, "docs": docs, "site": digest_of(site)}),
                   encoding="utf-8")
    os.replace(tmp, record_file)
