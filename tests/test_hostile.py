"""Hostile scraped content never becomes markup, code or a path outside docs/.

The built HTML is checked element by element: no event-handler attribute, no javascript: URL,
no element carrying the payloads' "pwn" marker, no inline script or style holding a payload.
tests/test_browser.py opens the same pages in Chromium."""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.model import Article, Digest, EntityIndex
from digest.render import render_pages
from digest.render.escape import md, one_line
from digest.publish import build_site
from digest.publish.docs import write_generated
from digest_fixture import HOSTILE_TITLES, PAYLOADS, hostile_digest

REPO = Path(__file__).resolve().parents[1]
EXTENSIONS = ["tables", "attr_list", "admonition", "pymdownx.details", "toc"]


class Inspector(HTMLParser):
    """Collects every sign that scraped text became an element, attribute or script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value.strip().lower().startswith(("javascript:", "data:")):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("id", "class") and "pwn" in value.split():
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in ("script", "style"):
            self._in = tag
        if tag in ("iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag}>")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in and ("__pwned" in data or "display:none" in data.replace(" ", "")):
            self.problems.append(f"payload inside <{self._in}>: {data[:60]!r}")


def inspect_site(site: Path) -> list[str]:
    problems = []
    for page in site.rglob("*.html"):
        parser = Inspector()
        parser.feed(page.read_text(encoding="utf-8"))
        problems += [f"{page.relative_to(site)}: {p}" for p in parser.problems]
    return problems


@pytest.fixture(scope="module")
def hostile_pages() -> dict:
    return render_pages(hostile_digest())


def test_generated_paths_stay_in_docs(hostile_pages):
    from digest.render import STATIC_ASSETS

    for path in hostile_pages:
        if path in STATIC_ASSETS:  # fixed paths of packaged files (the theme's dot folder)
            continue
        assert re.fullmatch(r"[a-z0-9][a-z0-9./-]*", path), path
        assert ".." not in path.split("/") and not path.startswith("/")
        assert Path(path).stem not in ("con", "..", "") and not path.startswith("articles/index-")
    arts = sorted(p for p in hostile_pages if p.startswith("articles/") and p != "articles/index.md")
    assert len(arts) == len(HOSTILE_TITLES) == len(set(arts))
    assert render_pages(hostile_digest()).keys() == hostile_pages.keys()  # stable


def test_front_matter_is_ours(hostile_pages):
    for path, text in hostile_pages.items():
        if path.endswith(".md"):
            meta = yaml.safe_load(text.split("---\n", 2)[1])
            assert set(meta) <= {"title", "tags", "hide", "pagefind", "description", "feed", "feed_title", "og_type"}, path
            # Printed raw by MkDocs' templates, escaped by Zensical's: nothing in them to escape.
            for key in ("description", "feed_title"):
                assert not set(meta.get(key, "")) & set('<>"{}'), (path, key)
            assert meta.get("og_type") in (None, "article")
            assert "<" not in meta["title"] and "injected" != meta["title"]
            assert all("<" not in t and ">" not in t for t in meta.get("tags", []))


def test_markdown_has_no_live_markup(hostile_pages):
    for path, text in hostile_pages.items():
        if not path.endswith(".md"):
            continue
        out = markdown.markdown(text.split("---\n", 2)[2], extensions=EXTENSIONS)
        assert "<script" not in out and "<img" not in out and "<svg" not in out and "<style" not in out, path
        parser = Inspector()
        parser.feed(out)
        assert parser.problems == [], path
        assert '<div class="admonition danger">' not in out and "<pre>" not in out and "\x02" not in out


def test_payload_text_is_visible(hostile_pages):
    page = next(v for k, v in hostile_pages.items() if k.startswith("articles/etc-passwd"))
    out = html.unescape(re.sub(r"<[^>]+>", "", markdown.markdown(page.split("---\n", 2)[2], extensions=EXTENSIONS)))
    assert '<script id="pwn">window.__pwned = 1; alert(1)</script>' in out
    assert "{{ config.site_name }}" in out and '!!! danger "Injected admonition"' in out


def test_data_files_stay_data(hostile_pages):
    data = json.loads(hostile_pages["digest.json"])
    assert data["articles"][0]["paragraphs"] == [p for p in PAYLOADS]  # raw in the data, escaped on pages
    csv_text = hostile_pages["stories/evil-story.csv"]
    assert "\n=" not in csv_text and ",=" not in csv_text
    import xml.etree.ElementTree as ET

    ET.fromstring(hostile_pages["feed.xml"])  # well-formed despite control characters


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    proj = tmp_path_factory.mktemp("hostile")
    shutil.copy(REPO / "mkdocs.yml", proj / "mkdocs.yml")
    (proj / "docs").mkdir()
    shutil.copy(REPO / "docs" / "about.md", proj / "docs" / "about.md")
    write_generated(proj / "docs", render_pages(hostile_digest()))
    build_site(proj / "mkdocs.yml", proj / "site", strict=True)
    return proj


@pytest.mark.slow
def test_built_site_has_no_injected_elements(hostile_site):
    assert inspect_site(hostile_site / "site") == []
    text = "".join(p.read_text() for p in (hostile_site / "site").rglob("*.html"))
    assert "root:x:0:0" not in text  # no snippet inclusion of /etc/passwd


@pytest.mark.slow
def test_built_site_has_no_injected_elements_zensical(hostile_site, tmp_path):
    build_site(hostile_site / "mkdocs.yml", tmp_path / "zsite", engine="zensical", strict=True)
    assert inspect_site(tmp_path / "zsite") == []


def test_inspector_catches_injection():
    parser = Inspector()
    parser.feed('<p><img id="pwn" src=x onerror="x"><a href="javascript:x">a</a><script>window.__pwned=1</script></p>')
    assert len(parser.problems) == 4


# --- property tests ----------------------------------------------------------------------

_SYNTAX = st.sampled_from(list("<>&\\`*_[]{}|~^=#!?:+-.()\"' \n\t/") + ["---", "!!!", "???", "{:", "{{", "<!--", "](", "\x02", "\x03"])
_TEXT = st.lists(st.one_of(_SYNTAX, st.text(max_size=5)), max_size=30).map("".join)


@given(_TEXT)
@settings(max_examples=300, deadline=None)
def test_md_never_produces_markup(text):
    out = markdown.markdown(md(text), extensions=EXTENSIONS)
    # Only a paragraph wrapper; entities only; the visible text is the input's words.
    inner = re.sub(r"^<p>|</p>$", "", out)
    assert "<" not in inner, out
    assert html.unescape(inner) == one_line(text)


@given(st.lists(_TEXT, min_size=1, max_size=4), _TEXT)
@settings(max_examples=40, deadline=None)
def test_rendering_any_article_never_crashes(paragraphs, title):
    art = Article("a", "articles/a.txt", "txt", title or None, False, None, title or None, None, None, title or None, tuple(paragraphs))
    pages = render_pages(Digest(articles=(art,), entities=EntityIndex((), {}), stories=()))
    page = next(v for k, v in pages.items() if k.startswith("articles/") and k != "articles/index.md")
    meta = yaml.safe_load(page.split("---\n", 2)[1])
    assert isinstance(meta["title"], str)
    out = markdown.markdown(page.split("---\n", 2)[2], extensions=EXTENSIONS)
    assert "<script" not in out and "<pre>" not in out
