"""digest.publish: atomic writes into docs/ with a manifest, atomic MkDocs/Zensical builds."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from digest.publish import docs as site_docs, engines as site_engines
from digest.render import render_pages
from digest.publish import MANIFEST, SiteError, build_site, read_manifest
from digest.publish.docs import write_generated
from digest_fixture import make_digest

from conftest import REPO, copy_tracked
TEMPLATE = REPO / "digest" / "templates" / "project"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    d.mkdir()
    (d / "about.md").write_text("# About\n\nHand-written.\n")
    (d / "notes").mkdir()
    (d / "notes" / "mine.md").write_text("mine\n")
    return d


def test_writes_files_and_manifest(docs):
    write_generated(docs, {"index.md": "# Home\n", "stories/a.md": "# A\n", "data.bin": b"\x00\x01"})
    assert (docs / "stories" / "a.md").read_text() == "# A\n" and (docs / "data.bin").read_bytes() == b"\x00\x01"
    assert read_manifest(docs) == ["data.bin", "index.md", "stories/a.md"]
    assert json.loads((docs / MANIFEST).read_text())["version"] == 1
    assert (docs / "about.md").read_text() == "# About\n\nHand-written.\n"
    assert not [p for p in docs.parent.iterdir() if p.name.startswith(".digest-staging-")]


def test_removes_stale_generated_files_only(docs):
    write_generated(docs, {"index.md": "1", "stories/a.md": "a", "stories/deep/b.md": "b"})
    (docs / "stories" / "mine.md").write_text("hand-written inside a generated folder")
    write_generated(docs, {"index.md": "2"})
    assert not (docs / "stories" / "a.md").exists() and not (docs / "stories" / "deep").exists()
    assert (docs / "stories" / "mine.md").exists()  # never listed in the manifest: kept
    assert (docs / "about.md").exists() and (docs / "notes" / "mine.md").exists()
    assert read_manifest(docs) == ["index.md"]


def test_refuses_to_overwrite_hand_written(docs):
    before = snapshot(docs)
    with pytest.raises(SiteError, match=r"about\.md: a hand-written file has the path of a generated page"):
        write_generated(docs, {"index.md": "x", "about.md": "generated"})
    assert snapshot(docs) == before  # nothing written, not even index.md


def test_refuses_parent_that_is_a_file(docs):
    (docs / "stories").write_text("a file, not a folder")
    with pytest.raises(SiteError, match="expected a folder"):
        write_generated(docs, {"stories/a.md": "x"})


@pytest.mark.parametrize("bad", ["../evil.md", "/etc/passwd", "a/../../b.md", "./a.md", "a//b.md", "C:/x.md", "a\\b.md", "", MANIFEST])
def test_refuses_unsafe_paths(docs, bad):
    before = snapshot(docs)
    with pytest.raises(SiteError):
        write_generated(docs, {bad: "x"})
    assert snapshot(docs) == before
    assert not (docs.parent / "evil.md").exists()


def test_tampered_manifest_cannot_delete_outside(docs, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (docs / MANIFEST).write_text(json.dumps({"version": 1, "files": ["../victim.txt", "/etc/hostname", "about.md"]}))
    # about.md is "generated" per the (tampered) manifest, but ../ and absolute entries are ignored.
    write_generated(docs, {"index.md": "x"})
    assert victim.read_text() == "keep me"


def test_unreadable_manifest_is_an_error(docs):
    (docs / MANIFEST).write_text("{not json")
    with pytest.raises(SiteError, match="unreadable manifest"):
        write_generated(docs, {"index.md": "x"})


def test_unchanged_files_are_not_rewritten(docs):
    write_generated(docs, {"index.md": "same", "b.md": "old"})
    os.utime(docs / "index.md", (1_000_000, 1_000_000))
    write_generated(docs, {"index.md": "same", "b.md": "new"})
    assert (docs / "index.md").stat().st_mtime == 1_000_000 and (docs / "b.md").read_text() == "new"


def test_failure_mid_commit_rolls_back(docs, monkeypatch):
    write_generated(docs, {"index.md": "v1", "stories/a.md": "a1", "stories/old.md": "old"})
    before = snapshot(docs)
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 5:  # fail part-way through swapping files in
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(site_docs.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_generated(docs, {"index.md": "v2", "stories/a.md": "a2", "stories/b.md": "b2"})
    monkeypatch.undo()
    assert snapshot(docs) == before
    assert not [p for p in docs.parent.iterdir() if p.name.startswith(".digest-staging-")]


def test_keyboard_interrupt_during_staging_leaves_docs(docs, monkeypatch):
    write_generated(docs, {"index.md": "v1"})
    before = snapshot(docs)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(site_docs, "_commit", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_generated(docs, {"index.md": "v2", "new.md": "n"})
    assert snapshot(docs) == before


# --- build_site --------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    shutil.copytree(TEMPLATE, proj, ignore=shutil.ignore_patterns("overrides.yml"))
    write_generated(proj / "docs", render_pages(make_digest()))
    return proj


@pytest.mark.slow
def test_build_site_mkdocs_strict(project):
    build_site(project / "mkdocs.yml", project / "site", strict=True)
    assert (project / "site" / "stories" / "grey-heron-ferry-grounding" / "index.html").is_file()
    assert (project / "site" / "about" / "index.html").is_file()
    assert (project / "site" / "digest.json").is_file() and (project / "site" / "feed.xml").is_file()
    assert not (project / "site" / MANIFEST).exists()  # dot files stay out of the site
    assert not [p for p in project.iterdir() if p.name.startswith(".digest-site-")]


@pytest.mark.slow
def test_failed_build_leaves_site_as_it_was(project):
    build_site(project / "mkdocs.yml", project / "site", strict=True)
    before = snapshot(project / "site")
    (project / "docs" / "broken.md").write_text("[dead link](missing.md)\n")
    with pytest.raises(SiteError, match=r"mkdocs build failed.*\n(.|\n)*missing\.md"):
        build_site(project / "mkdocs.yml", project / "site", strict=True)
    assert snapshot(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".digest-site-")]


def test_bad_config_and_engine(project):
    with pytest.raises(SiteError, match="unknown engine 'hugo'"):
        build_site(project / "mkdocs.yml", project / "site", engine="hugo")
    with pytest.raises(SiteError, match="no such configuration file"):
        build_site(project / "nope.yml", project / "site")
    (project / "mkdocs.yml").write_text("site_name: [unclosed\n")
    with pytest.raises(SiteError, match="mkdocs build failed"):
        build_site(project / "mkdocs.yml", project / "site")
    assert not (project / "site").exists()


@pytest.mark.slow
def test_build_site_zensical(project):
    (project / "site").mkdir()
    (project / "site" / "old.html").write_text("previous build")
    build_site(project / "mkdocs.yml", project / "site", engine="zensical", strict=True)
    story = project / "site" / "stories" / "grey-heron-ferry-grounding" / "index.html"
    assert story.is_file() and "dg-conflict" in story.read_text()
    assert (project / "site" / "tags" / "index.html").is_file()
    assert not (project / "site" / "old.html").exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".digest-site-")]


@pytest.mark.slow
def test_repository_example_config_builds(tmp_path):
    """The repository's own mkdocs.yml and hand-written About page build with the fixture."""
    proj = tmp_path / "repo"
    (proj / "docs").mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", proj / "mkdocs.yml")
    shutil.copy(REPO / "docs" / "about.md", proj / "docs" / "about.md")
    write_generated(proj / "docs", render_pages(make_digest()))
    build_site(proj / "mkdocs.yml", proj / "site", strict=True)
    assert (proj / "site" / "about" / "index.html").is_file()


@pytest.mark.slow
def test_zensical_failure_names_the_file(project):
    (project / "docs" / "broken.md").write_text("[dead link](missing.md)\n")
    with pytest.raises(SiteError, match=r"zensical build failed(.|\n)*broken\.md:1:") as info:
        build_site(project / "mkdocs.yml", project / "site", engine="zensical", strict=True)
    assert "\x1b[" not in str(info.value) and "Traceback" not in str(info.value)
    assert not (project / "site").exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".digest-site-")]


def test_tool_message_strips_colours_and_tracebacks():
    out = "Build started\n\x1b[33mWarning:\x1b[0m page does not exist\nTraceback (most recent call last):\n  File x\nRuntimeError: boom\n"
    assert site_engines.tool_message(out) == "Warning: page does not exist\nRuntimeError: boom"


class _Resources(__import__("html.parser").parser.HTMLParser):
    """URLs a browser would fetch on its own: scripts, stylesheets, images, frames, media."""

    FETCHING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src", "embed": "src", "object": "data"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.FETCHING and a.get(self.FETCHING[tag]):
            self.urls.append(a[self.FETCHING[tag]])
        if tag == "link" and set((a.get("rel") or "").split()) & {"stylesheet", "preload", "preconnect", "dns-prefetch", "icon", "manifest", "modulepreload", "prefetch"}:
            self.urls.append(a.get("href") or "")
        if a.get("srcset"):
            self.urls.append(a["srcset"])
        if "url(http" in (a.get("style") or "").replace(" ", ""):
            self.urls.append(a["style"])


@pytest.mark.slow
def test_built_html_fetches_nothing_from_other_hosts(project):
    build_site(project / "mkdocs.yml", project / "site", strict=True)
    foreign = []
    for page in (project / "site").rglob("*.html"):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        foreign += [f"{page.name}: {u}" for u in parser.urls if u.startswith(("http:", "https:", "//"))]
    assert foreign == []
    css = "".join(p.read_text(encoding="utf-8") for p in (project / "site").rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css
    index = (project / "site" / "index.html").read_text()
    assert "fonts.gstatic" not in index and "fonts.googleapis" not in index


@pytest.mark.slow
def test_repository_example_builds_with_zensical(tmp_path):
    """`digest build --engine zensical` publishes the bundled example (the whole pipeline)."""
    import subprocess
    import sys

    proj = tmp_path / "example"
    (proj / "docs").mkdir(parents=True)
    for name in ("articles", "overrides.yml", "mkdocs.yml", "docs/about.md"):
        copy_tracked(name, proj / name)
    about = (proj / "docs" / "about.md").read_bytes()
    cli = Path(sys.executable).parent / "digest"
    proc = subprocess.run([str(cli), "build", "--project", str(proj), "--engine", "zensical", "-q"], capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    site_dir = proj / "site"
    assert (site_dir / "index.html").is_file() and (site_dir / "about" / "index.html").is_file()
    stories = [p for p in (proj / "docs" / "stories").glob("*.md") if p.name != "index.md"]
    assert stories and all((site_dir / "stories" / p.stem / "index.html").is_file() for p in stories)
    assert "dg-badge" in (site_dir / "stories" / stories[0].stem / "index.html").read_text()
    assert (proj / "docs" / "about.md").read_bytes() == about


def test_ctrl_c_during_commit_is_held_until_docs_are_consistent(docs, monkeypatch):
    import signal

    write_generated(docs, {"index.md": "v1", "old.md": "old"})
    real_commit = site_docs._commit

    def commit_with_ctrl_c(*args):
        os.kill(os.getpid(), signal.SIGINT)  # arrives mid-commit
        real_commit(*args)

    monkeypatch.setattr(site_docs, "_commit", commit_with_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        write_generated(docs, {"index.md": "v2", "new.md": "new"})
    # The interrupt was delivered only after the whole new state was in place.
    assert (docs / "index.md").read_text() == "v2" and (docs / "new.md").read_text() == "new"
    assert read_manifest(docs) == ["index.md", "new.md"]
    assert not (docs / "old.md").exists()
    assert not [p for p in docs.parent.iterdir() if p.name.startswith(".digest-staging-")]


@pytest.mark.slow
def test_links_work_without_directory_urls(project):
    conf = project / "mkdocs.yml"
    conf.write_text(conf.read_text().replace("use_directory_urls: true", "use_directory_urls: false"))
    build_site(conf, project / "site", strict=True)  # strict: every generated link resolves
    story = (project / "site" / "stories" / "grey-heron-ferry-grounding.html").read_text()
    assert 'href="../articles/ferry-runs-aground-off-port-alder-dozens-hurt.html"' in story
    assert 'href="grey-heron-ferry-grounding.csv"' in story


class _Head(__import__("html.parser").parser.HTMLParser):
    """The feed links and the Open Graph / Twitter tags in a page's <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.feeds: list[tuple[str, str]] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "alternate" in (a.get("rel") or "").split() and a.get("type") == "application/atom+xml":
            self.feeds.append((a.get("title") or "", __import__("posixpath").normpath(a["href"])))
        if tag == "meta" and (a.get("property") or a.get("name") or "").startswith(("og:", "twitter:")):
            self.meta[a.get("property") or a["name"]] = a.get("content") or ""


def _head(page: Path) -> _Head:
    parser = _Head()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_feeds_are_discoverable_and_pages_carry_share_cards(project, engine):
    """Every page links the site feed; a story and an outlet page also their own feed (which
    exists and is Atom); Open Graph and Twitter cards carry the story's summary and the
    article's standfirst. The theme override is a dot folder: never published."""
    import xml.etree.ElementTree as ET

    site = project / "site"
    build_site(project / "mkdocs.yml", site, engine=engine, strict=True)
    assert not (site / ".theme").exists() and not list(site.rglob("main.html"))
    home = _head(site / "index.html")
    assert [href for _, href in home.feeds] == ["feed.xml"]
    assert home.meta["og:type"] == "website" and home.meta["twitter:card"] == "summary"
    story = _head(site / "stories" / "grey-heron-ferry-grounding" / "index.html")
    assert [href for _, href in story.feeds] == ["../../feed.xml", "../grey-heron-ferry-grounding.xml"]
    assert story.meta["og:title"] == story.meta["twitter:title"] == "Grey Heron ferry runs aground off Port Alder"
    assert story.meta["og:description"].startswith("The passenger ferry Grey Heron ran aground on the Skerry Bank")
    assert story.meta["og:url"].endswith("/stories/grey-heron-ferry-grounding/")
    outlet = _head(site / "outlets" / "harbour-herald" / "index.html")
    assert outlet.feeds[1] == ("Harbour Herald: new articles", "../harbour-herald.xml")
    article = _head(site / "articles" / "ferry-runs-aground-off-port-alder-dozens-hurt" / "index.html")
    assert article.meta["og:type"] == "article"
    assert article.meta["og:description"] == "Coastguard says all passengers were brought ashore by noon"
    for feed in ("stories/grey-heron-ferry-grounding.xml", "outlets/harbour-herald.xml", "feed.xml"):
        root = ET.parse(site / feed).getroot()
        assert root.tag == "{http://www.w3.org/2005/Atom}feed" and root.findall("{http://www.w3.org/2005/Atom}entry")
