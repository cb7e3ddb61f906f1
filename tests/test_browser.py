"""The built site in a real browser: Debian's Chromium driven by Playwright, the site served by
http.server on 127.0.0.1 under a subpath (/digest/, like GitHub project pages).

Never `playwright install` (it downloads from the internet): the Makefile installs Debian's
chromium with apt-get when /usr/bin/chromium is missing. SAVE_SCREENSHOT=1 also writes the story
page screenshot used by the README to docs/assets/screenshot-story.png."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from digest.render import render_pages
from digest.render.paths import SiteMap, url_of
from digest.publish import build_site, search_index
from digest.publish.docs import write_generated
from digest_fixture import hostile_digest, make_digest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SUBPATH = "digest"
STORY = "stories/grey-heron-ferry-grounding/"
# The articles that mention Yury Varenko, whichever spelling they used (002 and 004 only ever
# write "Yuri Varenko").
VARENKO_ARTICLES = {url_of(p) for aid, p in SiteMap.build(make_digest()).articles.items() if aid[:3] in ("001", "002", "003", "004")}


def _build(root: Path, digest, engine: str = "mkdocs") -> None:
    proj = root / "project"
    (proj / "docs").mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", proj / "mkdocs.yml")
    shutil.copy(REPO / "docs" / "about.md", proj / "docs" / "about.md")
    write_generated(proj / "docs", render_pages(digest))
    build_site(proj / "mkdocs.yml", root / "www" / SUBPATH, engine=engine, strict=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Serves three built sites: the fixture digest under /digest/ (MkDocs) and /zensical/
    (Zensical), and the hostile one under /evil/."""
    root = tmp_path_factory.mktemp("browser")
    _build(root / "good", make_digest())
    _build(root / "zensical", make_digest(), engine="zensical")
    _build(root / "evil", hostile_digest())
    # The fixture site again with its search index in many bundles (publish/search_index.py
    # shares a big site's pages among up to 16), merged by the browser.
    sharded = root / "sharded"
    shutil.copytree(root / "good" / "www" / SUBPATH, sharded)
    search_index.index_site(sharded, root, lambda cmd, tool, cwd: subprocess.run(cmd, cwd=cwd, check=True), per_shard=2)
    assert len(json.loads((sharded / "pagefind" / "bundles.json").read_text())["bundles"]) > 3
    www = root / "serve"
    www.mkdir()
    (www / "sharded").symlink_to(sharded)
    (www / SUBPATH).symlink_to(root / "good" / "www" / SUBPATH)
    (www / "zensical").symlink_to(root / "zensical" / "www" / SUBPATH)
    (www / "evil").symlink_to(root / "evil" / "www" / SUBPATH)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(www)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: run `make chromium` (apt-get install chromium)")
        pytest.skip("/usr/bin/chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Watch:
    """A page that records console errors, page errors, failed requests, dialogs and every
    request to a host other than the test server (those are aborted, never sent)."""

    def __init__(self, browser, server: str, **context):
        context.setdefault("viewport", {"width": 1280, "height": 900})
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        host = urlsplit(server).netloc

        def route(r):
            if urlsplit(r.request.url).netloc != host:
                self.foreign.append(r.request.url)
                return r.abort()
            return r.continue_()

        self.context.route("**/*", route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: r.url not in self.foreign and self.errors.append(f"failed: {r.url}"))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status}: {r.url}"))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def close(self):
        self.context.close()


@pytest.fixture
def watch(browser, server):
    w = Watch(browser, server)
    yield w
    w.close()


@pytest.mark.parametrize(
    "path",
    ["", STORY, "articles/grey-heron-ferry-grounded-14-injured-says-coastguard/", "entities/yury-varenko/", "outlets/harbour-herald/", "tags/", "about/", "stories/"],
)
def test_pages_load_cleanly(watch, server, path):
    response = watch.page.goto(f"{server}/{SUBPATH}/{path}", wait_until="networkidle")
    assert response.status == 200
    assert watch.page.locator("h1").first.is_visible()
    assert watch.errors == [] and watch.foreign == [] and watch.dialogs == []


@pytest.mark.parametrize("path", ["", STORY, "articles/grey-heron-ferry-grounded-14-injured-says-coastguard/", "entities/yury-varenko/", "tags/"])
def test_zensical_pages_load_cleanly(watch, server, path):
    response = watch.page.goto(f"{server}/zensical/{path}", wait_until="networkidle")
    assert response.status == 200
    assert watch.page.locator("article h1").first.is_visible()
    assert watch.errors == [] and watch.foreign == [] and watch.dialogs == []
    if path == STORY:
        assert watch.page.locator("article table tbody tr", has=watch.page.locator(".dg-badge.dg-conflict")).count() == 1


def test_links_work_under_subpath(watch, server):
    page = watch.page
    page.goto(f"{server}/{SUBPATH}/", wait_until="networkidle")
    page.locator("article a", has_text="Grey Heron ferry runs aground off Port Alder").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{server}/{SUBPATH}/{STORY}"
    page.locator("article a", has_text="Yury Varenko").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{server}/{SUBPATH}/entities/yury-varenko/"
    page.locator(".md-tabs a", has_text="About").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{server}/{SUBPATH}/about/"
    for data in ("digest.json", "feed.xml", "stories/grey-heron-ferry-grounding.csv"):
        assert page.request.get(f"{server}/{SUBPATH}/{data}").status == 200
    assert watch.errors == [] and watch.foreign == []


def test_facts_table_renders(watch, server, tmp_path):
    page = watch.page
    page.goto(f"{server}/{SUBPATH}/{STORY}", wait_until="networkidle")
    table = page.locator("article table").first
    headers = table.locator("th").all_inner_texts()
    assert headers == ["Fact", "Value", "Harbour Herald", "Coastal Wire", "Northern Ledger"]
    assert not page.locator(".dg-scroll-hint").is_visible()  # three outlets fit at 1280 px
    latest = page.locator("td .dg-badge.dg-latest")
    assert latest.count() == 1 and "13:05" in latest.locator("xpath=..").inner_text()
    rows = table.locator("tbody tr")
    assert rows.count() == 5
    assert rows.first.inner_text().startswith("Date of the grounding")  # pinned
    conflict = table.locator("tbody tr", has=page.locator(".dg-badge.dg-conflict"))
    assert conflict.count() == 1
    plain = rows.nth(2).evaluate("r => getComputedStyle(r).backgroundColor")
    tinted = conflict.evaluate("r => getComputedStyle(r).backgroundColor")
    assert tinted != plain and tinted not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator("mark.dg-differs", has_text="Fourteen people were injured").is_visible()
    assert "Vessel" not in table.inner_text()  # hidden row
    shot = tmp_path / "screenshot-story.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("SAVE_SCREENSHOT") == "1":
        target = REPO / "docs" / "assets" / "screenshot-story.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target))  # the first screen: headline, summary, the table
    assert watch.errors == []


def test_on_a_phone_the_fact_column_stays_in_view_while_outlets_scroll(browser, server, tmp_path):
    """At 390 px the key-facts table scrolls sideways inside its wrapper; the fact column stays
    in view, and the last outlet can be brought into view beside it."""
    watch = Watch(browser, server, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    try:
        page = watch.page
        page.goto(f"{server}/{SUBPATH}/{STORY}", wait_until="networkidle")
        hint = page.locator(".dg-scroll-hint")
        assert hint.is_visible() and hint.inner_text().startswith("3 outlets: scroll the table sideways")
        table = page.locator("article table").first
        wrapper = table.locator("xpath=ancestor::*[contains(@class, 'md-typeset__table')][1]/..")
        assert wrapper.evaluate("w => w.scrollWidth > w.clientWidth"), "the table fits: nothing to check"
        first = table.locator("tbody tr").first.locator("td").first
        last_header = table.locator("th").last
        before = first.bounding_box()
        wrapper.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
        page.wait_for_timeout(100)
        after = first.bounding_box()
        # Scrolled to the far right, the fact cell is still whole on screen (held at the edge).
        assert 0 <= after["x"] <= before["x"] and after["x"] + after["width"] <= 390, (before, after)
        box = last_header.bounding_box()
        assert box["x"] >= after["x"] + after["width"] - 1 and box["x"] + box["width"] <= 390 + 1, box
        page.screenshot(path=str(tmp_path / "story-390.png"))
        if os.environ.get("SAVE_SCREENSHOT") == "1":
            page.screenshot(path=str(REPO / "docs" / "assets" / "screenshot-story-phone.png"))
        assert watch.errors == []
    finally:
        watch.close()


def search(page, query: str) -> list[str]:
    """Type `query` into the site's Pagefind search box and return the result links' paths."""
    page.locator(".dg-search__input").first.click()
    page.locator(".dg-search__input").first.press_sequentially(query, delay=20)  # typed, as a reader does
    page.wait_for_selector(".dg-search__result a, .dg-search__empty")
    hrefs = page.locator(".dg-search__result a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [urlsplit(h).path for h in hrefs]


@pytest.mark.parametrize("base", [SUBPATH, "zensical"])
def test_keyboard_reaches_search_and_the_facts_table(watch, server, base):
    """Tab alone reaches the search box and then the key-facts table's scroll box (focusable and
    named: where it scrolls, the arrow keys scroll the outlets)."""
    page = watch.page
    page.goto(f"{server}/{base}/{STORY}", wait_until="networkidle")
    reached: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("""() => { const e = document.activeElement;
            return e.matches('input[type=search], .md-search__input, .md-search__button') ? 'search'
                 : e.querySelector && e.querySelector('.dg-facts') ? 'facts' : e.tagName + '.' + e.className + '#' + (e.getAttribute('type') || '') }"""))
        if reached[-1] == "facts":
            break
    assert "search" in reached and reached[-1] == "facts", reached
    box = page.evaluate_handle("document.activeElement")
    assert box.get_attribute("role") == "region" and "Key facts" in box.get_attribute("aria-label")
    assert watch.errors == []


AXE = REPO / "tests" / "vendor" / "axe.min.js"  # axe-core 4.14.1, MPL-2.0 (tests/vendor/axe-core.LICENSE)


@pytest.mark.parametrize("base", [SUBPATH, "zensical"])
@pytest.mark.parametrize(
    "path",
    ["", STORY, "articles/grey-heron-ferry-grounded-14-injured-says-coastguard/", "entities/yury-varenko/",
     "outlets/harbour-herald/", "tags/", "stories/"],
)
def test_no_serious_accessibility_violation(watch, server, base, path):
    """axe-core, run in the page (nothing fetched from elsewhere): no serious or critical
    violation on any kind of page, with either engine."""
    page = watch.page
    page.goto(f"{server}/{base}/{path}", wait_until="networkidle")
    page.wait_for_timeout(50)  # the theme's scripts have wrapped the tables
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], "\n".join(serious)


@pytest.mark.parametrize("site", [SUBPATH, "zensical", "sharded"])
@pytest.mark.parametrize("query", ["Yuri Varenko", "Yury Varenko"])
def test_search_finds_every_article_by_any_spelling(watch, server, query, site):
    page = watch.page
    page.goto(f"{server}/{site}/", wait_until="networkidle")
    found = [p.removeprefix(f"/{site}/") for p in search(page, query)]
    assert VARENKO_ARTICLES <= set(found), found
    # The entity's own page ranks above the articles that mention it.
    assert found[0] == "entities/yury-varenko/", found
    assert watch.errors == [] and watch.foreign == []


def test_search_indexes_only_the_main_content(watch, server):
    """What cleaning removed (the folded "Removed from the original" block), the theme's
    navigation and the section indexes are never search results."""
    page = watch.page
    page.goto(f"{server}/{SUBPATH}/{STORY}", wait_until="networkidle")
    assert search(page, "photo caption") == []  # the reason cleaning gave, inside the folded block
    page.locator(".dg-search__input").first.fill("")
    assert search(page, "Subscribe") == []  # a removed template line
    page.locator(".dg-search__input").first.fill("")
    found = search(page, "Skerry Bank")
    assert found and not any(p.endswith(("/stories/", "/articles/", "/tags/", f"/{SUBPATH}/")) for p in found), found
    assert watch.errors == [] and watch.foreign == []


def test_dark_mode_toggle(watch, server):
    page = watch.page
    page.goto(f"{server}/{SUBPATH}/{STORY}", wait_until="networkidle")
    before = page.evaluate("document.body.dataset.mdColorScheme")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    after = page.evaluate("document.body.dataset.mdColorScheme")
    assert {before, after} == {"default", "slate"}
    assert watch.errors == []


@pytest.mark.parametrize("path", ["", "stories/evil-story/", "articles/etc-passwd/", "articles/title-script-id-pwn-window-pwned-1-script/", "entities/evil/", "outlets/i-class-pwn-evil-i-co/", "tags/"])
def test_hostile_content_never_executes(watch, server, path):
    page = watch.page
    response = page.goto(f"{server}/evil/{path}", wait_until="networkidle")
    assert response.status == 200
    page.mouse.move(400, 300)
    page.mouse.wheel(0, 2000)  # trigger scroll/hover handlers, if any were injected
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None
    injected = page.evaluate(
        """() => document.querySelectorAll(
            '#pwn, .pwn, [onerror], [onload], [onclick], [onmouseover], a[href^="javascript:"], article script, article style, article img, article svg:not(.md-icon svg)'
        ).length"""
    )
    assert injected == 0
    assert watch.dialogs == [] and watch.foreign == [] and watch.errors == []
    if path == "articles/etc-passwd/":
        text = page.locator("article").inner_text()
        assert '<script id="pwn">window.__pwned = 1; alert(1)</script>' in text
        assert "{{ config.site_name }}" in text and '!!! danger "Injected admonition"' in text


# --- the real pipeline on the seed articles (../shared) ------------------------------------


@pytest.fixture(scope="module")
def seeds_site(tmp_path_factory):
    """The five seed articles built by `digest build` (the whole pipeline) and served under /seeds/."""
    from conftest import shared_path

    seeds = shared_path("corpus", "seeds")
    proj = tmp_path_factory.mktemp("seeds")
    (proj / "docs").mkdir()
    shutil.copy(REPO / "digest" / "templates" / "project" / "mkdocs.yml", proj / "mkdocs.yml")
    digest_cli = Path(sys.executable).parent / "digest"
    proc = subprocess.run([str(digest_cli), "build", "--project", str(proj), "--articles", str(seeds), "-q"], capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr  # 1: the build reported input problems
    assert (proj / "site" / "index.html").is_file(), proc.stderr
    return proj


def test_seed_search_finds_ushakov_by_both_spellings(browser, seeds_site):
    data = json.loads((seeds_site / "docs" / "digest.json").read_text())
    about = {url_of(a["page"]) for a in data["articles"] if "ushakov" in json.dumps(a["paragraphs"]).lower()}
    assert len(about) >= 2
    (seeds_site / "serve").mkdir()
    (seeds_site / "serve" / "seeds").symlink_to(seeds_site / "site")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(seeds_site / "serve")))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    server = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        for query in ("Yuri Ushakov", "Yury Ushakov"):
            w = Watch(browser, server)
            try:
                w.page.goto(f"{server}/seeds/", wait_until="networkidle")
                found = {p.removeprefix("/seeds/") for p in search(w.page, query)}
                assert about <= found, (query, about - found)
                assert w.errors == [] and w.foreign == []
            finally:
                w.close()
    finally:
        httpd.shutdown()
