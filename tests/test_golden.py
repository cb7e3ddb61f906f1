"""Golden files: the docs/ tree rendered from the fixture digest (tests/digest_fixture.py) must
equal tests/golden/docs/ byte for byte. After an intended change to the pages, regenerate with

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

and review the diff of tests/golden/ before committing it."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from importlib import resources

from digest.render import CSS_PATH, STATIC_ASSETS, RenderOptions, render_pages
from digest_fixture import make_digest

GOLDEN = Path(__file__).resolve().parent / "golden" / "docs"
OPTIONS = RenderOptions(site_url="https://example.github.io/my-digest/", description="A fictional digest for the golden-file test.")


def _as_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def test_static_assets_are_the_packaged_files_verbatim():
    # Checked here once instead of being copied into every golden tree.
    pages = render_pages(make_digest(), OPTIONS)
    assert CSS_PATH in STATIC_ASSETS
    for path, source in STATIC_ASSETS.items():
        assert _as_bytes(pages[path]) == resources.files("digest.render").joinpath(source).read_bytes(), path


def test_rendered_tree_matches_golden():
    pages = {path: _as_bytes(c) for path, c in render_pages(make_digest(), OPTIONS).items() if path not in STATIC_ASSETS}
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    expected = {str(p.relative_to(GOLDEN)): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(pages) == sorted(expected), "pages added or removed: run UPDATE_GOLDEN=1 pytest tests/test_golden.py"
    for path in sorted(pages):
        if pages[path] != expected[path]:
            diff = difflib.unified_diff(
                expected[path].decode("utf-8", "replace").splitlines(),
                pages[path].decode("utf-8", "replace").splitlines(),
                f"golden/{path}",
                f"rendered/{path}",
                lineterm="",
            )
            raise AssertionError("\n".join(list(diff)[:60]) + "\n(regenerate with UPDATE_GOLDEN=1 if intended)")
