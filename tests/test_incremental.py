"""Incremental rebuilds: the preloaded model, reused story facts, and the promise behind both:
a rebuild from the caches writes exactly what a build from nothing writes."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest import readers
from digest import cleaning as clean
from digest.cli import main
from digest.aggregate.entities import build_index
from digest.aggregate.facts.memo import FactsMemo
from digest.cache import FactsCache
from digest.model import EntityOverride, Pos
from digest.analysis.nlp import analyse
from digest.analysis.preload import ModelPreloader
from digest.aggregate import build_stories

from conftest import REPO, copy_tracked


@pytest.fixture(scope="module")
def example(nlp):
    raws, _ = readers.read_folder(REPO / "articles", REPO)
    templates = clean.learn_templates(raws)
    return analyse([clean.clean_article(raw, templates) for raw in raws], nlp)


def test_preloaded_model_analyses_exactly_like_this_process(example, nlp):
    articles = [a.article for a in example[:2]]
    with ModelPreloader("en_core_web_sm") as preloader:
        assert preloader.analyse(articles) == analyse(articles, nlp)


def test_preloader_that_cannot_load_the_model_hands_the_work_back(example):
    with ModelPreloader("no_such_model_anywhere") as preloader:
        assert preloader.analyse([example[0].article]) is None


def test_preloader_stopped_unused_leaves_no_process():
    preloader = ModelPreloader("en_core_web_sm")
    preloader.close()
    preloader.close()  # idempotent
    assert not preloader._process.is_alive()


def _memo(folder: Path, example) -> FactsMemo:
    keys = {a.article.id: hashlib.sha256(repr(a).encode()).hexdigest() for a in example}
    return FactsMemo(FactsCache(folder), "code-1", keys)


def test_facts_memo_reuses_stories_and_rebuilds_those_whose_names_changed(example, tmp_path):
    index = build_index(example)
    fresh = build_stories(example, index)
    first = _memo(tmp_path, example)
    assert build_stories(example, index, facts_of=first.build) == fresh
    assert first.reused == 0
    first.finish()
    second = _memo(tmp_path, example)
    assert build_stories(example, index, facts_of=second.build) == fresh
    assert second.reused == len(fresh)

    # Renaming a person shown in a story's table changes nothing in the articles or the key,
    # only the index's answer for the name: that story must be rebuilt, and match a fresh build.
    person = next(f for s in fresh for f in s.facts if f.kind == "person")  # labelled by name
    renamed = build_index(example, [EntityOverride(name="Someone Renamed", pos=Pos("overrides.yml", 1, 1),
                                                   aliases=(person.label,))])
    third = _memo(tmp_path, example)
    rebuilt = build_stories(example, renamed, facts_of=third.build)
    assert rebuilt == build_stories(example, renamed)
    assert any(f.label == "Someone Renamed" for s in rebuilt for f in s.facts)
    assert third.reused < len(fresh)


def tree(folder: Path, changes: bool = True) -> dict[str, str]:
    """Hashes of the files under `folder`. Without `changes`, the changes report is left out:
    it compares a build with the last published one, so it differs by design between a rebuild
    and a build into an empty docs/."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or (not changes and p.name == "changes.md"):
            continue
        data = p.read_bytes()
        if not changes and p.name == "digest.json":
            data = json.dumps({k: v for k, v in json.loads(data).items() if k != "changes"}).encode()
        out[str(p.relative_to(folder))] = hashlib.sha256(data).hexdigest()
    return out


def example_project(tmp_path: Path) -> Path:
    """The bundled example's inputs in a project of their own (no docs/ yet)."""
    project = tmp_path / "example"
    project.mkdir()
    for name in ("articles", "mkdocs.yml", "overrides.yml"):
        copy_tracked(name, project / name)
    return project


@pytest.mark.slow
def test_rebuild_from_the_caches_writes_what_a_build_from_nothing_writes(tmp_path):
    project = example_project(tmp_path)
    runner = CliRunner()

    def build(*extra: str) -> None:
        result = runner.invoke(main, ["build", "--project", str(project), "--no-site", "--quiet", *extra])
        assert result.exit_code == 0, result.output

    build()
    # One article changes a figure and gains a paragraph: its story's table must follow.
    article = next(p for p in sorted((project / "articles").glob("*.txt")) if "injured" in p.read_text(encoding="utf-8"))
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("injured", "hurt", 1) + "\n\nOfficials said 40 people were injured.\n",
                       encoding="utf-8")
    build()
    incremental = tree(project / "docs", changes=False)
    # The caches keep one entry per input, not one per version of it.
    articles = len([p for p in (project / "articles").iterdir() if p.name != "README.md"])
    for stage in ("clean", "analysis"):
        assert len(list((project / ".digest-cache" / stage).glob("*/*.pickle"))) == articles, stage
    shutil.rmtree(project / "docs")
    shutil.rmtree(project / ".digest-cache", ignore_errors=True)  # a detached process may be emptying its trash
    build("--no-cache")
    assert tree(project / "docs", changes=False) == incremental


FURNITURE = "\n\nMore from Valdoria Weekly\n"
LATE = {  # three fictional follow-ups by one outlet (tests only), ending with the outlet's page furniture
    "zz-weekly-1.txt": "6 Nov, 2025 09:00\nHarbour reopens after the ferry collision\n\nThe port of Corvenna "
                       "reopened on Thursday after divers cleared the wreck, the port authority said.",
    "zz-weekly-2.txt": "7 Nov, 2025 10:00\nRail deal lifts Dravik shares\n\nShares in Dravik Rail rose on "
                       "Friday after the Northern Corridor agreement was signed in Altmere.",
    "zz-weekly-3.txt": "8 Nov, 2025 11:00\nFishing fleet returns to Port Alder\n\nThe fishing fleet of Port "
                       "Alder sailed again on Saturday, a week after storms kept it in harbour.",
}


def test_a_template_line_shared_by_one_more_article_reanalyses_only_that_article(tmp_path):
    """A third article with the same page furniture changes what cleaning records of the first
    two ("template line (repeated in 3 articles)"), not their text: those two are cleaned again
    (not all fifteen) and spaCy runs once, not three times."""
    project = example_project(tmp_path)
    runner = CliRunner()

    def build() -> tuple[int, int]:
        result = runner.invoke(main, ["build", "--project", str(project), "--no-site", "--quiet"])
        assert result.exit_code == 0, result.output
        record = json.loads((project / ".digest-cache" / "last-build.json").read_text())
        return record["cleaned"], record["analysed"]

    for name in list(LATE)[:2]:
        (project / "articles" / name).write_text(LATE[name] + FURNITURE, encoding="utf-8")
    build()
    name = list(LATE)[2]
    (project / "articles" / name).write_text(LATE[name] + FURNITURE, encoding="utf-8")
    # Cleaned again: the new article and the two holding the line; analysed: the new one only.
    assert build() == (3, 1)
    data = json.loads((project / "docs" / "digest.json").read_text(encoding="utf-8"))
    reasons = {d["reason"] for a in data["articles"] if a["id"].startswith("zz-") for d in a.get("dropped", ())}
    assert "template line (repeated in 3 articles)" in reasons


def test_build_is_up_to_date_until_an_input_code_or_docs_file_changes(tmp_path):
    project = example_project(tmp_path)
    runner = CliRunner()

    def build() -> str:
        result = runner.invoke(main, ["build", "--project", str(project), "--no-site"])
        assert result.exit_code == 0, result.output
        return result.output

    assert "up to date" not in build()
    assert "up to date" in build()
    (project / "docs" / "notes.md").write_text("A hand-written page.\n", encoding="utf-8")
    assert "up to date" not in build()  # hand-written pages are part of the site
    assert "up to date" in build()
    article = sorted((project / "articles").iterdir())[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert "up to date" not in build()
    (project / "overrides.yml").write_text((project / "overrides.yml").read_text(encoding="utf-8") + "\n# note\n",
                                           encoding="utf-8")
    assert "up to date" not in build()
    assert "up to date" in build()


def _site_tree(site: Path) -> dict[str, str]:
    """The built site, timestamps aside: the gzipped sitemap carries the build time in its
    header (sitemap.xml itself is compared), and the changes report differs by design."""
    skip = {"sitemap.xml.gz", "changes/index.html"}
    return {k: v for k, v in tree(site, changes=False).items() if k not in skip}


def _digest(project: Path, *extra: str) -> str:
    import os
    import subprocess
    import sys

    proc = subprocess.run([str(Path(sys.executable).parent / "digest"), "build", "--project", str(project), *extra],
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


@pytest.mark.slow
def test_incremental_site_equals_a_site_built_from_nothing(tmp_path):
    """One article edited, one deleted: the site built from the previous one (MkDocs rebuilding
    only what changed, Pagefind indexing again) equals, page for page and in its search index,
    the site built from nothing; the deleted article's page and search entries are gone."""
    project = example_project(tmp_path)
    (project / "docs").mkdir()
    copy_tracked("docs/about.md", project / "docs" / "about.md")
    deleted = project / "articles" / "zz-weekly-1.txt"  # an article no override names
    deleted.write_text(LATE[deleted.name], encoding="utf-8")
    _digest(project, "--strict", "-q")
    record = project / ".digest-cache" / "site-build.json"
    assert record.is_file()
    texts = sorted(p for p in (project / "articles").glob("*.txt"))
    edited = texts[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nA paragraph only the rebuilt page has: Quillon.\n",
                      encoding="utf-8")
    gone_page = next(a["page"] for a in json.loads((project / "docs" / "digest.json").read_text())["articles"]
                     if a["source_path"].endswith(deleted.name))
    deleted.unlink()
    before = {p: p.stat().st_ino for p in (project / "site").rglob("*.html")}
    err = _digest(project, "--strict", "-q")
    assert "built whole" not in err, err  # it was incremental...
    after = {p: p.stat().st_ino for p in (project / "site").rglob("*.html")}
    kept = [p for p in after if before.get(p) == after[p]]
    assert len(kept) > len(after) / 2, "most pages should be the previous build's files"  # ...really
    site_dir = project / "site"
    assert "Quillon" in next(p for p in site_dir.rglob("*.html") if "Quillon" in p.read_text(encoding="utf-8")).read_text()
    assert not (site_dir / gone_page.removesuffix(".md") / "index.html").exists()
    incremental = _site_tree(site_dir)

    shutil.rmtree(project / "site")
    shutil.rmtree(project / ".digest-cache", ignore_errors=True)  # a detached process may be emptying its trash
    for path in json.loads((project / "docs" / ".digest-manifest.json").read_text())["files"]:
        (project / "docs" / path).unlink()
    (project / "docs" / ".digest-manifest.json").unlink()
    _digest(project, "--strict", "-q", "--no-cache")
    full = _site_tree(project / "site")
    assert sorted(incremental) == sorted(full)
    assert [k for k in full if incremental[k] != full[k]] == []
    assert any(k.startswith("pagefind/") for k in full)


@pytest.mark.slow
def test_a_corrupted_or_stale_site_record_means_a_whole_build_said_in_one_line(tmp_path):
    project = example_project(tmp_path)
    _digest(project, "-q")
    record = project / ".digest-cache" / "site-build.json"
    article = sorted((project / "articles").glob("*.txt"))[0]

    def edit_and_build() -> list[str]:
        article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        return [line for line in _digest(project, "-q").splitlines() if "site:" in line]

    record.write_text("{not json", encoding="utf-8")
    assert edit_and_build() == [f"{project / 'site'}: note: site: built whole: the record of the previous site build is unreadable"]
    assert edit_and_build() == []  # the whole build wrote a good record
    (project / "site" / "stray.html").write_text("edited by hand", encoding="utf-8")
    assert [ln.split("site: ", 2)[-1] for ln in edit_and_build()] == ["built whole: site/ changed since the last build"]
    assert not (project / "site" / "stray.html").exists()
    record.unlink()
    assert [ln.split("site: ", 2)[-1] for ln in edit_and_build()] == ["built whole: no record of the previous site build"]
