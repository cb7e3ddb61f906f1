"""End to end through the real CLI, real spaCy and real MkDocs: the example, the seeds, init."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from digest.cli import main

from conftest import copy_tracked, shared_path

pytestmark = pytest.mark.slow
DIGEST = str(Path(sys.executable).parent / "digest")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def copy_example(tmp_path: Path) -> Path:
    project = tmp_path / "example"
    project.mkdir()
    for name in ("articles", "docs", "mkdocs.yml", "overrides.yml"):
        copy_tracked(name, project / name)
    return project


def tree_digest(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    project = copy_example(tmp_path_factory.mktemp("e2e"))
    proc = subprocess.run([DIGEST, "build", "--project", str(project)], env=ENV, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return project


def test_example_site_has_every_page_kind(example_site):
    site = example_site / "site"
    assert (site / "index.html").exists()
    for kind in ("stories", "articles", "entities", "outlets"):
        pages = list((site / kind).glob("*/index.html"))
        assert pages, f"no {kind} pages"
    data = json.loads((site / "digest.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert len(data["stories"]) >= 2
    assert all(a["entities"] for a in data["articles"] if not a.get("not_article"))
    assert (example_site / "docs" / "about.md").exists(), "the hand-written About page must survive"


def test_site_has_a_pagefind_index_of_the_main_content(example_site):
    """Pagefind indexed exactly the pages the theme marks as content (an article, an entity, a
    story, about), no section index; Material's lunr index is gone. (Searching it is tested in
    Chromium, tests/test_browser.py.)"""
    site = example_site / "site"
    bundles = json.loads((site / "pagefind" / "bundles.json").read_text(encoding="utf-8"))["bundles"]
    entries = [json.loads((site / "pagefind" / b / "pagefind-entry.json").read_text(encoding="utf-8")) for b in bundles]
    marked = [p for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert sum(e["languages"]["en"]["page_count"] for e in entries) == len(marked)
    relative = {str(p.relative_to(site)) for p in marked}
    assert "about/index.html" in relative and any(p.startswith("entities/") for p in relative)
    assert not {"index.html", "articles/index.html", "tags/index.html", "stories/index.html"} & relative
    assert not (site / "search" / "search_index.json").exists()


def test_seeds_build_from_any_directory(tmp_path):
    seeds = shared_path("corpus", "seeds")
    gold = yaml.safe_load(shared_path("corpus", "seeds.gold.yml").read_text(encoding="utf-8"))
    proc = subprocess.run([DIGEST, "build", "--articles", str(seeds), "--docs", "out/docs", "--no-site"],
                          cwd=tmp_path, env=ENV, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / "out" / "docs" / "digest.json").read_text(encoding="utf-8"))
    articles = {a["id"]: a for a in data["articles"]}
    assert sorted(articles) == sorted(gold["articles"])
    fold = lambda s: (s or "").replace("’", "'").lower()
    for article_id, expected in gold["articles"].items():
        if expected["title"] is not None:
            assert fold(articles[article_id]["title"]) == fold(expected["title"])
        assert articles[article_id]["entities"], f"{article_id} has no entity tags"
    assert len(data["stories"]) == 1
    assert sorted(data["stories"][0]["articles"]) == sorted(articles)


def test_init_then_build_works_out_of_the_box(tmp_path):
    project = tmp_path / "my-digest"
    result = CliRunner().invoke(main, ["init", str(project)])
    assert result.exit_code == 0, result.output
    for name in ("mkdocs.yml", "overrides.yml", "articles", ".github/workflows/pages.yml"):
        assert (project / name).exists(), name
    proc = subprocess.run([DIGEST, "build"], cwd=project, env=ENV, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (project / "site" / "index.html").exists()


def test_cache_second_build_runs_no_nlp_and_one_change_runs_it_once(tmp_path):
    project = copy_example(tmp_path)
    runner = CliRunner()

    def build() -> dict:
        result = runner.invoke(main, ["build", "--project", str(project), "--no-site", "--quiet"])
        assert result.exit_code == 0, result.output
        return json.loads((project / ".digest-cache" / "last-build.json").read_text())

    first = build()
    assert first["analysed"] > 0
    assert build()["analysed"] == 0
    article = sorted(p for p in (project / "articles").iterdir() if p.suffix == ".txt")[0]
    article.write_text(article.read_text(encoding="utf-8") + "\n\nOne more paragraph for the cache test.\n",
                       encoding="utf-8")
    assert build()["analysed"] == 1
    with (project / "overrides.yml").open("a", encoding="utf-8") as handle:
        handle.write("\n")  # an overrides-only change never re-runs the NLP stage
    (project / "overrides.yml").write_text((project / "overrides.yml").read_text() + "# edited\n")
    assert build()["analysed"] == 0


def test_bad_overrides_leave_docs_and_site_untouched(tmp_path):
    project = copy_example(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--project", str(project), "--quiet"]).exit_code == 0
    docs_before, site_before = tree_digest(project / "docs"), tree_digest(project / "site")
    (project / "overrides.yml").write_text("articles:\n  nope-not-an-article:\n    titel: x\n", encoding="utf-8")
    result = runner.invoke(main, ["build", "--project", str(project), "--quiet"])
    assert result.exit_code == 2
    assert "overrides.yml:3:5: error:" in result.output
    assert tree_digest(project / "docs") == docs_before
    assert tree_digest(project / "site") == site_before


def test_failed_site_build_restores_docs(tmp_path):
    project = copy_example(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--project", str(project), "--quiet"]).exit_code == 0
    docs_before, site_before = tree_digest(project / "docs"), tree_digest(project / "site")
    (project / "articles" / "new-article.md").write_text(
        "---\ntitle: A late fictional story about nothing\n---\nFictional text about Valdoria's harbour.\n",
        encoding="utf-8")
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text() + "\nnot_a_mkdocs_key: [\n")
    result = runner.invoke(main, ["build", "--project", str(project), "--quiet"])
    assert result.exit_code != 0
    assert tree_digest(project / "docs") == docs_before
    assert tree_digest(project / "site") == site_before


def test_fact_override_edit_shows_up_through_the_reused_aggregation(tmp_path):
    """Fact-level edits reuse the cached entities and stories; the edit must still be applied."""
    project = copy_example(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--project", str(project), "--no-site", "--quiet"]).exit_code == 0
    data = json.loads((project / "docs" / "digest.json").read_text(encoding="utf-8"))
    story = data["stories"][0]
    fact = next(f for f in story["facts"] if f["status"] not in ("hidden", "edited"))
    overrides = yaml.safe_load((project / "overrides.yml").read_text(encoding="utf-8")) or {}
    stories = overrides.setdefault("stories", {}) or {}
    overrides["stories"] = stories
    entry = stories.setdefault(story["id"], {}) or {}
    stories[story["id"]] = entry
    entry.setdefault("facts", {})[fact["id"]] = {"value": "corrected by the desk", "note": "Checked by phone."}
    (project / "overrides.yml").write_text(yaml.safe_dump(overrides, sort_keys=False), encoding="utf-8")
    result = runner.invoke(main, ["build", "--project", str(project), "--no-site", "--quiet"])
    assert result.exit_code == 0, result.output
    assert json.loads((project / ".digest-cache" / "last-build.json").read_text())["analysed"] == 0
    data = json.loads((project / "docs" / "digest.json").read_text(encoding="utf-8"))
    edited = next(f for s in data["stories"] if s["id"] == story["id"] for f in s["facts"] if f["id"] == fact["id"])
    assert edited["status"] == "edited" and edited["value"] == "corrected by the desk"
    assert edited["note"] == "Checked by phone." and edited["extracted_value"] == fact["value"]
