"""The renderer: page contents, escaping helpers, slugs, digest.json, CSV and feed."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import xml.etree.ElementTree as ET

import markdown
import pytest
import yaml

from digest.model import Digest, Entity, EntityIndex, EntityRef, Fact
from digest.render import RenderOptions, render_pages
from digest.render.context import fact_value, fmt_date
from digest.render.csv_export import HEADER
from digest.render.escape import csv_cell, md, page_title, safe_url, tag_name, yaml_str
from digest.render.paths import MAX_SLUG, RESERVED, SiteMap, assign_slugs, rel, url_of
from digest.text.slugs import slugify
from digest_fixture import make_digest

STORY = "stories/grey-heron-ferry-grounding.md"


@pytest.fixture(scope="module")
def pages() -> dict:
    return render_pages(make_digest(), RenderOptions(site_url="https://example.github.io/my-digest/"))


def front(page: str) -> dict:
    assert page.startswith("---\n")
    return yaml.safe_load(page.split("---\n", 2)[1])


def to_html(text: str) -> str:
    body = text.split("---\n", 2)[2] if text.startswith("---\n") else text
    return markdown.markdown(body, extensions=["tables", "attr_list", "admonition", "pymdownx.details", "toc", "md_in_html"])


# --- escaping helpers --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, forbidden",
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ("[x](javascript:alert(1))", "<a "),
        ("*em* _em_ **strong**", "<em>"),
        ("`code`", "<code>"),
        ("!!! danger", "admonition"),
        ("??? note", "<details"),
        ("# heading", "<h1"),
        ("> quote", "<blockquote"),
        ("- item", "<li>"),
        ("+ item", "<li>"),
        ("1984. year", "<ol>"),
        ("---", "<hr"),
        ("text {: onclick=alert(1) }", "onclick="),
        ("| a | b |", "<table"),
        ("<!-- comment -->", "<!--"),
        ("&lt;b&gt;", "<b>"),
        ("    four spaces", "<pre>"),
        ("\x02wzxhzdk:0\x03", "\x02"),
    ],
)
def test_md_keeps_syntax_inert(text, forbidden):
    html = markdown.markdown(md(text), extensions=["tables", "attr_list", "admonition", "pymdownx.details"])
    assert forbidden not in html


def test_md_roundtrips_visible_text():
    text = "AT&T said <b> costs 5*3 = 15 [sic] {not jinja} ~ ^ | # ! ?"
    html = markdown.markdown(md(text))
    import html as htmllib

    assert htmllib.unescape(re.sub(r"</?p>", "", html)) == text


def test_md_collapses_whitespace_and_controls():
    assert md("a\n\n  b\tc\x00\x07") == "a b c"
    assert md(None) == "" and md("   ") == ""


def test_yaml_str_roundtrips_anything():
    nasty = 'a "quoted" \\ back\nslash \x00\x85\u2028 \ufeff emoji 😀 \u0080 ---'
    assert yaml.safe_load(f"k: {yaml_str(nasty)}")["k"] == nasty


def test_page_title_is_html_escaped_for_themes():
    assert yaml.safe_load(f"t: {page_title('</title><script>')}")["t"] == "&lt;/title&gt;&lt;script&gt;"


def test_tag_name_is_plain():
    assert tag_name('<b onmouseover="x">Evil</b> & Co') == "b onmouseover=xEvil/b and Co"
    assert tag_name("<>") == "untitled"


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://example.com/a_b?x=1&y=2", True),
        ("http://example.com/", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example/x", False),
        ("/relative", False),
        ("https://ex ample.com", False),
        ("https://example.com/\x00", False),
        (None, False),
    ],
)
def test_safe_url(url, ok):
    assert (safe_url(url) is not None) == ok


def test_safe_url_cannot_break_out_of_links():
    url = safe_url('https://e.example/a)b"c<d>e')
    assert url is not None and not set(url) & set(')"<> ')


@pytest.mark.parametrize("value, out", [("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("-5", "-5"), ("+3.5", "+3.5"), ("-x", "'-x"), ("ok", "ok")])
def test_csv_cell_blocks_formulas(value, out):
    assert csv_cell(value) == out


# --- slugs and paths ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ["../../etc/passwd", "/etc/passwd", "C:\\Windows\\x", "..", ".", "", "index", "CON", "tags", "Путин прибыл", "a" * 500, "x/../../y", "\x00"],
)
def test_slugs_are_safe(title):
    slug = assign_slugs([("id-1", title)], "article")["id-1"]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert slug not in RESERVED and len(slug) <= 80


def test_slugs_unique_and_stable():
    items = [("b", "Same title"), ("a", "Same title"), ("c", "same  TITLE!")]
    first = assign_slugs(items, "article")
    assert len(set(first.values())) == 3
    assert first["b"] == "same-title"  # the first in priority order keeps the plain slug
    assert assign_slugs(items, "article") == first
    # Adding an article with another title changes nobody's slug.
    assert {k: v for k, v in assign_slugs(items + [("d", "Other")], "article").items() if k != "d"} == first


def test_article_slug_priority_is_publication_order():
    paths = SiteMap.build(make_digest()).articles
    assert paths["001_herald"] == "articles/ferry-runs-aground-off-port-alder-dozens-hurt.md"
    assert paths["003_ledger"].startswith("articles/ferry-runs-aground-off-port-alder-dozens-hurt-")


def test_slugify_cuts_at_word_boundary():
    assert slugify("Grey Heron ferry runs aground off Port Alder after a very long night at sea, says the coastguard",
                   max_len=MAX_SLUG) == (
        "grey-heron-ferry-runs-aground-off-port-alder-after-a-very"
    )


def test_rel_and_url_of():
    assert rel("stories/a.md", "articles/b.md") == "../articles/b.md"
    assert rel("index.md", "stories/a.md") == "stories/a.md"
    assert url_of("stories/a.md") == "stories/a/" and url_of("index.md") == "" and url_of("stories/index.md") == "stories/"
    assert url_of("stories/a.md", use_directory_urls=False) == "stories/a.html"


# --- pages -------------------------------------------------------------------------------


def test_all_page_kinds_present(pages):
    expected = {
        "index.md", "tags.md", "feed.xml", "digest.json", "assets/digest.css", STORY, "stories/grey-heron-ferry-grounding.csv",
        "stories/index.md", "articles/index.md", "entities/index.md", "outlets/index.md", "entities/yury-varenko.md",
        "outlets/harbour-herald.md", "outlets/coastal-wire.md", "outlets/northern-ledger.md",
    }  # fmt: skip
    assert expected <= set(pages)
    assert sum(p.startswith("articles/") for p in pages) == 6  # 5 articles + index
    for path, text in pages.items():
        if path.endswith(".md"):
            assert isinstance(front(text)["title"], str)


def test_story_facts_table(pages):
    page = pages[STORY]
    table = [ln for ln in page.splitlines() if ln.startswith("| ")]
    header = table[0]
    assert "Harbour Herald" in header and "Coastal Wire" in header and "Northern Ledger" in header
    assert header.startswith('| <span class="dg-facts">Fact</span> | Value | ')
    rows = table[1 : 1 + 5]
    assert "pinned" in rows[0] and "Date of the grounding" in rows[0]  # pinned first
    injured = next(r for r in rows if r.startswith("| Injured"))
    assert '<mark class="dg-differs">Fourteen people were injured</mark>' in injured
    assert "dg-conflict" in injured and "(republished)" in injured
    passengers = next(r for r in rows if r.startswith("| Passengers"))
    assert passengers.count("—") == 2  # two outlets did not report it
    edited = next(r for r in rows if r.startswith("| Inquiry reports"))
    assert "Editor's note: The ministry confirmed the deadline to us by phone." in edited and "dg-edited" in edited
    assert "The outlets reported 2026-04" in edited and "Extracted value" not in page
    assert "Vessel" not in page  # hidden row absent
    assert "[Download the key facts as CSV](grey-heron-ferry-grounding.csv)" in page
    html = to_html(page)
    assert html.count("<tr>") >= 6 and "<table>" in html


def test_conflict_shows_each_report_with_its_time_and_the_latest_marked(pages):
    injured = next(ln for ln in pages[STORY].splitlines() if ln.startswith("| Injured"))
    cells = [c.strip() for c in injured.split(" | ")]
    assert cells[1] == '**12**<br><small class="dg-when">latest report (Northern Ledger)</small>'  # no "consensus"
    herald, wire, ledger = cells[2:5]
    assert "2 March 2026, 08:15" in herald and "dg-latest" not in herald
    assert '<mark class="dg-differs">Fourteen people were injured</mark>' in wire and "2 March 2026, 11:40" in wire
    assert "2 March 2026, 13:05" in ledger and '<span class="dg-badge dg-latest">latest</span>' in ledger


def _edited_conflict(citation: str | None = "https://www.coastguard.example/notices/grey-heron?id=7"):
    """The fixture with its Injured conflict settled by an editor (as overrides.yml would)."""
    digest = make_digest()
    story = digest.stories[1]
    injured = dataclasses.replace(story.facts[0], value="14", status="edited", extracted_value="12",
                                  note="The coastguard's final count.", citation=citation)
    story = dataclasses.replace(story, facts=(injured, *story.facts[1:]))
    return dataclasses.replace(digest, stories=(digest.stories[0], story))


def test_an_edited_conflict_stays_a_conflict():
    pages = render_pages(_edited_conflict())
    injured = next(ln for ln in pages[STORY].splitlines() if ln.startswith("| Injured"))
    assert '<span class="dg-badge dg-edited">edited</span> <span class="dg-badge dg-conflict">outlets disagreed</span>' in injured
    assert injured.count('<mark class="dg-differs">') == 1 and '<span class="dg-badge dg-latest">latest</span>' in injured
    assert "Editor's note: The coastguard's final count. ([coastguard.example](https://www.coastguard.example/notices/grey-heron?id=7))" in injured
    assert "Extracted value" not in injured and "The outlets reported" not in injured  # the cells show them
    assert "**14**" in injured
    home = pages["index.md"]
    assert "1 conflict" in home and "no conflicts" not in home.split("Grey Heron")[1]
    assert "- **Injured:** 14 " in home and "outlets disagreed" in home


def test_a_repeated_label_is_listed_once_with_its_count():
    digest = make_digest()
    story = digest.stories[1]
    quotes = tuple(dataclasses.replace(story.facts[-1], id=f"quote-{i}", value=f"Words {i}") for i in range(3))
    story = dataclasses.replace(story, facts=story.facts + quotes,
                                exclusive={"Harbour Herald": ("passengers", *(q.id for q in quotes))})
    pages = render_pages(dataclasses.replace(digest, stories=(digest.stories[0], story)))
    coverage = next(ln for ln in pages[STORY].splitlines() if ln.startswith("| [Harbour Herald]"))
    assert coverage.endswith("| Passengers; Quote: Yury Varenko (3) |")
    assert "only Harbour Herald reports Passengers; Quote: Yury Varenko (3)" in pages["outlets/harbour-herald.md"]


def test_dates_read_in_one_format():
    """Timeline entries and date rows in the same words, whatever precision the date has."""
    assert fmt_date("2023-03") == "March 2023" and fmt_date("2023") == "2023" and fmt_date("2024-05-16") == "16 May 2024"
    assert fmt_date("2023-13") == "2023-13" and fmt_date("soon") == "soon"
    row = Fact("visit", "date", "Visit dates", "2024-05-16 – 2024-05-17", "agreed", ())
    assert fact_value(row) == "16 May 2024 – 17 May 2024"
    assert fact_value(dataclasses.replace(row, value="by 30 April 2026")) == "by 30 April 2026"
    assert fact_value(dataclasses.replace(row, kind="number", value="2024")) == "2024"


def test_story_sections(pages):
    page = pages[STORY]
    for heading in ("## Key facts", "## Quotes", "## Timeline", "## Coverage", "## Articles"):
        assert heading in page
    assert "- “We will find out exactly what happened” — **[Yury Varenko](../entities/yury-varenko.md)**" in page
    assert '    - [Harbour Herald](../outlets/harbour-herald.md): "We will find out exactly what happened," Varenko told reporters' in page
    assert "[Yury Varenko](../entities/yury-varenko.md)" in page
    assert "republished from [Ferry runs aground off Port Alder, dozens hurt](../articles/ferry-runs-aground-off-port-alder-dozens-hurt.md)" in page
    coverage = next(ln for ln in page.splitlines() if ln.startswith("| [Harbour Herald]"))
    assert "Passengers; Quote: Yury Varenko" in coverage
    assert "1 conflict" in page


def test_article_page(pages):
    page = pages["articles/grey-heron-ferry-grounded-14-injured-says-coastguard.md"]
    meta = front(page)
    assert meta["tags"] == ["Yury Varenko", "Port Alder", "Skerry Bank"]
    assert "[Read the original](https://coastalwire.example/002_wire)" in page
    # Every spelling of the entity is on the page, so search finds it by any of them.
    assert "Yuri Varenko" in page and "Yury Varenko" in page
    herald = pages["articles/ferry-runs-aground-off-port-alder-dozens-hurt.md"]
    assert '<summary>Removed from the original (2)</summary>' in herald
    assert "<li>File photo: the Grey Heron in 2024 <small>(photo caption)</small></li>" in herald
    assert '<span class="dg-standfirst">Coastguard says all passengers were brought ashore by noon</span>' in herald
    assert "<details" in to_html(herald)
    ledger = pages[SiteMap.build(make_digest()).articles["003_ledger"]]
    assert "republished from" in ledger


def test_an_article_wears_a_handful_of_tags_not_a_wall():
    """36 entities on a scraped page: the five most mentioned become its tags (the chips above the
    headline and its entries in the Tags index); every one stays listed at the foot of the page."""
    digest = make_digest()
    many = tuple(Entity(f"place-{i}", f"Place {i}", "place", (), articles=("001_herald",)) for i in range(36))
    refs = tuple(EntityRef(e.id, 1 + (i in (7, 20)), (e.name,), ()) for i, e in enumerate(many))
    entities = EntityIndex(entities=digest.entities.entities + many,
                           by_article={**digest.entities.by_article, "001_herald": refs})
    pages = render_pages(dataclasses.replace(digest, entities=entities))
    page = pages["articles/ferry-runs-aground-off-port-alder-dozens-hurt.md"]
    assert front(page)["tags"] == ["Place 7", "Place 20", "Place 0", "Place 1", "Place 2"]
    # Met in this article only, each is listed (with its anchor) on this page rather than its own.
    assert all(f'<span id="e-place-{i}"></span>**Place {i}**' in page for i in range(36))
    html = to_html(page)
    shown, folded = html.split("<details", 1)
    assert '<summary>31 more mentioned</summary>' in folded and 'id="e-place-35"' in folded
    assert 'id="e-place-7"' in shown and 'id="e-place-3"' not in shown


def test_non_article_flagged(pages):
    page = pages["articles/newsletter-sign-up.md"]
    assert '<p class="admonition-title">Not a news article</p>' in page and "newsletter sign-up page" in page
    assert "not an article" in pages["articles/index.md"]


def test_entity_page(pages):
    page = pages["entities/yury-varenko.md"]
    assert "**Also written:** Yuri Varenko, Varenko" in page
    assert "transport minister" in page and "[Coastal Wire](../outlets/coastal-wire.md)" in page
    assert "> Transport minister Yuri Varenko promised an inquiry into the grounding." in page
    assert "## Often mentioned with" in page and "[Port Alder](port-alder.md) (4)" in page
    assert "[Grey Heron ferry runs aground off Port Alder](../stories/grey-heron-ferry-grounding.md)" in page


def test_outlet_and_home_pages(pages):
    outlet = pages["outlets/harbour-herald.md"]
    assert "only Harbour Herald reports Passengers; Quote: Yury Varenko" in outlet
    home = pages["index.md"]
    assert home.index("Port Alder harbour reopens") < home.index("Grey Heron ferry runs aground")  # most recent first
    assert "1 conflict" in home and "- **Injured:** 12" in home
    assert "[Atom feed of the stories](feed.xml)" in home and "Vessel" not in home


def test_tags_index_is_written_by_digest(pages):
    """No Material tags plugin (it gathers tags while MkDocs builds every page, which an
    incremental build does not): digest lists every entity A to Z with its article count, a
    letter's names on one wrapped line (a list per name made a page a wall)."""
    tags = pages["tags.md"]
    assert "<!-- material/tags -->" not in tags and "pagefind: false" in tags
    assert "## Y\n\n[Yury Varenko](entities/yury-varenko.md)&nbsp;(4)\n" in tags
    assert tags.count("\n- ") == 0
    assert tags.index("## P") < tags.index("## S") < tags.index("## Y")


def test_an_entity_met_in_one_article_lives_on_that_article_page(pages):
    from dataclasses import replace

    from digest.model import Entity, EntityRef
    from digest.render import render_pages
    from digest.render.paths import SiteMap

    digest = make_digest()
    lone = Entity("grey-heron-crew", "Grey Heron crew", "organization", ("the crew",), articles=("001_herald",))
    by_article = dict(digest.entities.by_article)
    by_article["001_herald"] = (*by_article["001_herald"], EntityRef(lone.id, 1, ("the crew",), ()))
    digest = replace(digest, entities=replace(digest.entities, entities=(*digest.entities.entities, lone),
                                              by_article=by_article))
    pages = render_pages(digest)
    paths = SiteMap.build(digest)
    single = [e for e in digest.entities.entities if len(e.articles) == 1]
    assert single == [lone]
    assert f"- [Grey Heron crew]({paths.entities[lone.id].removeprefix('articles/')})" not in pages["tags.md"]
    assert "[Grey Heron crew](articles/" in pages["tags.md"]
    for e in single:
        target, _, anchor = paths.entities[e.id].partition("#")
        assert f"entities/{e.id}.md" not in pages and target == paths.articles[e.articles[0]]
        assert f'<span id="{anchor}"></span>**' in pages[target]
    assert all(f"entities/{e.id}.md" in pages for e in digest.entities.entities if len(e.articles) > 1)


def test_digest_json_contract(pages):
    data = json.loads(pages["digest.json"])
    assert data["version"] == 1
    art = next(a for a in data["articles"] if a["id"] == "001_herald")
    for key in ("id", "source_path", "title", "title_derived", "published", "outlet", "url", "author", "standfirst", "paragraphs", "dropped", "page", "story", "entities"):
        assert key in art
    assert art["page"] == "articles/ferry-runs-aground-off-port-alder-dozens-hurt.md" and art["story"] == "grey-heron-ferry-grounding"
    assert art["dropped"][0] == {"text": "File photo: the Grey Heron in 2024", "reason": "photo caption"}
    assert art["entities"][0]["entity"] == "yury-varenko" and art["entities"][0]["surface"] == ["Yury Varenko", "Varenko"]
    ent = next(e for e in data["entities"] if e["id"] == "yury-varenko")
    assert ent["label"] == "person" and ent["aliases"] == ["Yuri Varenko", "Varenko"] and ent["page"] == "entities/yury-varenko.md"
    story = next(s for s in data["stories"] if s["id"] == "grey-heron-ferry-grounding")
    assert story["page"] == STORY
    fact = next(f for f in story["facts"] if f["id"] == "injured")
    assert fact["sources"] == {"001_herald": "injuring 12 people", "002_wire": "Fourteen people were injured", "003_ledger": "injuring 12 people"}
    assert fact["status"] == "conflict" and fact["speaker"] is None and fact["note"] is None
    assert any(f["status"] == "hidden" for f in story["facts"])  # the data keeps hidden rows
    for path in [a["page"] for a in data["articles"]] + [e["page"] for e in data["entities"]] + [s["page"] for s in data["stories"]]:
        assert path in pages


def test_csv(pages):
    """A row per report, in the shape `digest facts --format csv` prints (one writer): any number
    of outlets fits one header; booleans are true/false; the latest report of a conflict marked."""
    text = pages["stories/grey-heron-ferry-grounding.csv"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.startswith(",".join(HEADER) + "\r\n")
    assert rows[0]["fact"] == "date" and rows[0]["pinned"] == "true"  # the page's order: pinned first
    assert "vessel" not in {r["fact"] for r in rows}  # hidden, as on the page
    injured = [r for r in rows if r["fact"] == "injured"]
    assert [(r["outlet"], r["reported"], r["latest"]) for r in injured] == [
        ("Harbour Herald", "injuring 12 people", "false"), ("Coastal Wire", "Fourteen people were injured", "false"),
        ("Northern Ledger", "injuring 12 people", "true")]
    assert injured[1]["published"] == "2026-03-02T11:40:00" and injured[2]["republished_from"] == "001_herald"
    edited = next(r for r in rows if r["fact"] == "inquiry-report")
    assert edited["note"] == "The ministry confirmed the deadline to us by phone." and edited["citation"] == ""
    assert {r["disputed"] for r in rows} == {"false"}


def test_feed_is_valid_atom(pages):
    root = ET.fromstring(pages["feed.xml"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 2
    links = [e.find("a:link", ns).get("href") for e in entries]
    assert links[1] == "https://example.github.io/my-digest/stories/grey-heron-ferry-grounding/"
    assert root.find("a:updated", ns).text == "2026-03-03T09:00:00Z"


def test_feed_without_site_url_is_relative():
    root = ET.fromstring(render_pages(make_digest())["feed.xml"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.find("a:entry/a:link", ns).get("href") == "stories/port-alder-harbour-reopens/"


def test_render_is_deterministic():
    assert render_pages(make_digest()) == render_pages(make_digest())


def test_empty_digest_renders():
    pages = render_pages(Digest(articles=(), entities=EntityIndex((), {}), stories=()))
    assert {"index.md", "digest.json", "feed.xml", "tags.md"} <= set(pages)
    assert json.loads(pages["digest.json"])["articles"] == []


def test_options_from_settings(tmp_path, monkeypatch):
    from types import SimpleNamespace

    conf = tmp_path / "mkdocs.yml"
    conf.write_text(
        'site_name: "News: a digest"\nsite_description: About things\nsite_url: !ENV [SITE_URL, "https://x.example/d/"]\n'
        "use_directory_urls: false\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    )
    monkeypatch.delenv("SITE_URL", raising=False)
    opts = RenderOptions.from_settings(SimpleNamespace(title=None, mkdocs_config=conf))
    assert (opts.site_title, opts.site_url, opts.description, opts.use_directory_urls) == ("News: a digest", "https://x.example/d/", "About things", False)
    monkeypatch.setenv("SITE_URL", "https://y.example/")
    assert RenderOptions.from_settings(SimpleNamespace(title="Mine", mkdocs_config=conf)).site_url == "https://y.example/"
    assert RenderOptions.from_settings(SimpleNamespace(title="Mine", mkdocs_config=tmp_path / "none.yml")) == RenderOptions(site_title="Mine")


def test_digest_json_fact_sources_carry_every_field(pages):
    """json_export lists FactSource's fields by hand (asdict is ten times slower): a new field
    must not go missing from digest.json."""
    from dataclasses import asdict, fields

    from digest.model import FactSource
    from digest_fixture import make_digest

    data = json.loads(pages["digest.json"])
    shown = [s for story in data["stories"] for f in story["facts"] for s in f["source_details"]]
    assert shown and all(set(s) == {f.name for f in fields(FactSource)} for s in shown)
    first = next(src for story in make_digest().stories for f in story.facts for src in f.sources)
    assert shown[0] == asdict(first)


def test_home_page_tells_the_news_first_and_never_repeats_a_label():
    """Per story: conflicts first, then counts, dates and places; a row whose value only repeats
    its label ("Beijing: Beijing") is not news and never shows."""
    from dataclasses import replace

    from digest.model import Fact, FactSource
    from digest.render.home import says_something

    digest = make_digest()
    story = digest.stories[0]
    src = (FactSource(story.articles[0], "w", "w"), FactSource(story.articles[-1], "w", "w"))
    rows = (Fact("place-beijing", "place", "Beijing", "Beijing", "agreed", src),
            Fact("place-port", "place", "Where", "Port Alder", "agreed", src),
            Fact("date-day", "date", "Date of the grounding", "2026-03-02", "agreed", src),
            Fact("number-injured", "number", "Injured", "12", "conflict", src),
            Fact("number-passengers", "number", "Passengers", "230", "agreed", src))
    digest = replace(digest, stories=(replace(story, facts=rows), *digest.stories[1:]))
    home = render_pages(digest)["index.md"]
    section = home.split("### ")[1]
    shown = [line.split("**")[1].rstrip(":") for line in section.splitlines() if line.startswith("- **")]
    assert shown[:4] == ["Injured", "Passengers", "Date of the grounding", "Where"], shown
    assert "Beijing" not in shown
    assert not says_something(rows[0]) and says_something(rows[1])
    for page, text in render_pages(make_digest()).items():  # the example digest too
        if page == "index.md":
            for line in text.splitlines():
                if line.startswith("- **"):
                    label, value = line[4:].split(":**", 1)
                    assert value.split("<span")[0].strip().casefold() != label.strip().casefold(), line


# --- the archive by month (issue 20) ---------------------------------------------------------


def test_archive_pages_by_month(pages):
    """An index of the months (newest first, undated last) and a page per month with that
    month's stories and its articles day by day, newest first."""
    index = pages["archive/index.md"]
    assert front(index)["pagefind"] is False
    assert "| [March 2026](2026-03.md) | 4 | 2 |" in index
    assert index.index("2026-03.md") < index.index("[Undated articles](undated.md) | 1 | 0 |")
    month = pages["archive/2026-03.md"]
    assert front(month)["title"] == "March 2026"
    assert "| [Grey Heron ferry runs aground off Port Alder](../stories/grey-heron-ferry-grounding.md) | 3 | 3 |" in month
    assert month.index("### 3 March 2026") < month.index("### 2 March 2026")
    assert "- [Port Alder harbour reopens after ferry grounding](../articles/port-alder-harbour-reopens-after-ferry-grounding.md) · [Coastal Wire](../outlets/coastal-wire.md)" in month
    assert "Newsletter sign-up" not in month
    undated = pages["archive/undated.md"]
    assert "[Newsletter sign-up](../articles/newsletter-sign-up.md)" in undated and "###" not in undated
    assert "[The archive by month](archive/index.md)" in pages["index.md"]
    html = to_html(month)
    assert '<a href="../stories/grey-heron-ferry-grounding.md">' in html


def test_indexes_list_the_recent_items_and_point_to_the_archive():
    """No index page grows without bound: past RECENT items the Articles, Stories and outlet
    pages stop and link to the archive, where every month keeps its own page."""
    from digest.render.archive import RECENT
    from digest_fixture import _article

    extra = tuple(_article(f"9{i:03d}_x", f"Daily item {i}", "Coastal Wire",
                           f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00", ("Text.",)) for i in range(RECENT + 20))
    many = render_pages(make_digest(extra))
    articles = many["articles/index.md"]
    assert articles.count("\n| ") - 1 == RECENT  # the header, then a row per article
    assert f"The {RECENT} most recent of {RECENT + 25} articles; older ones are in [the archive by month](../archive/index.md)." in articles
    outlet = many["outlets/coastal-wire.md"]
    assert "older ones are in [the archive by month](../archive/index.md)" in outlet
    months = [p for p in many if p.startswith("archive/2025-")]
    assert len(months) == 12
    listed = sum(many[p].count("\n- [Daily item") for p in months)
    assert listed == RECENT + 20  # every article on its month's page, once
    assert "older ones" not in render_pages(make_digest())["articles/index.md"]
