"""Readers: formats, encodings, metadata mapping and every kind of bad input (issue 3, issue 9)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from digest.readers.encoding import DecodeError, decode, guess_single_byte
from digest.readers import REGISTRY, read_folder
from digest.readers.common import HTML_MAX_BYTES, TEXT_MAX_BYTES
from digest.readers.html import published_time

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
ARTICLE = (
    "Harbour bridge reopens after repairs\n\n"
    "The harbour bridge reopened to traffic on Monday after six months of repairs, the city said.\n\n"
    "Engineers replaced the cables and repainted the steel deck.\n"
)
RUSSIAN = "Мост через гавань открылся после ремонта. Инженеры заменили тросы и покрасили настил."


def read(folder: Path, root: Path | None = None):
    articles, problems = read_folder(folder, root or folder.parent)
    return {a.id: a for a in articles}, problems


def messages(problems, severity=None):
    return [str(p) for p in problems if severity is None or p.severity == severity]


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    return folder


# --- encodings ------------------------------------------------------------------------

@pytest.mark.parametrize("data, encoding", [
    (ARTICLE.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "utf-8-sig"),
    ("Café owners said the café’s “new” menu costs £5.".encode("cp1252"), "cp1252"),
    (RUSSIAN.encode("cp1251"), "cp1251"),
    (ARTICLE.encode("utf-16"), "utf-16"),
])
def test_decode_detects_encodings(data, encoding):
    text, name = decode(data)
    assert name == encoding
    assert not text.startswith("\ufeff")


def test_cp1251_and_cp1252_are_told_apart_by_their_words():
    assert guess_single_byte(RUSSIAN.encode("cp1251")) == "cp1251"
    assert guess_single_byte("Le café était fermé à Noël.".encode("cp1252")) == "cp1252"
    # One pound sign in English text decodes to a lone Cyrillic letter in cp1251: still cp1252.
    assert guess_single_byte("a \xa315.8m signing".encode("latin-1")) == "cp1252"


def test_latin1_bytes_undefined_in_cp1252_still_decode():
    text, name = decode(b"caf\xe9 au lait, " * 20 + b"\x81 ok")
    assert name == "latin-1" and text.startswith("café")


def test_damaged_utf8_file_is_read_with_a_warning(articles_dir: Path):
    (articles_dir / "cut.txt").write_bytes(ARTICLE.replace("bridge", "brücke").encode() + b"\xe2\x80")
    found, problems = read(articles_dir)
    assert "brücke" in found["cut"].text
    assert messages(problems) == ["articles/cut.txt: warning: 1 invalid UTF-8 byte sequence(s) replaced by \ufffd"]


def test_mostly_utf8_with_a_broken_byte_stays_utf8():
    text, name = decode("Café “quotes” déjà vu".encode() + b"\xff end")
    assert name == "utf-8 (damaged)" and text.startswith("Café “quotes” déjà vu")


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02binary\x00" * 20,  # NUL bytes
    bytes(range(1, 32)) * 50,  # control characters
    bytes(range(0x80, 0x100)) * 8,  # high bytes only: undecodable as text (C1 controls in latin-1)
])
def test_binary_bytes_are_refused(data):
    with pytest.raises(DecodeError):
        decode(data)


def test_each_encoding_reads_through_the_folder(articles_dir: Path):
    (articles_dir / "bom.txt").write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    (articles_dir / "western.txt").write_bytes(("Caf\u00e9 news\n\n" + ARTICLE).encode("cp1252"))
    (articles_dir / "cyrillic.txt").write_bytes(RUSSIAN.encode("cp1251"))
    found, problems = read(articles_dir)
    assert not problems
    assert found["bom"].text.startswith("Harbour bridge")
    assert found["western"].text.startswith("Café news")
    assert found["cyrillic"].text == RUSSIAN


def test_bbc_file_that_is_not_utf8_is_read(shared: Path):
    folder = shared / "corpus" / "bbc-news" / "sport"
    found, problems = read_folder(folder, shared)
    mutu = next(a for a in found if a.id == "199")
    assert "£15.8m" in mutu.text
    assert not [p for p in problems if p.severity == "error"]


# --- bad input: one message naming the file, the rest goes on ---------------------------

def test_empty_and_whitespace_files_are_errors(articles_dir: Path):
    (articles_dir / "empty.txt").write_bytes(b"")
    (articles_dir / "blank.md").write_text("  \n\n \t\n")
    (articles_dir / "good.txt").write_text(ARTICLE)
    found, problems = read(articles_dir)
    assert list(found) == ["good"]
    assert sorted(messages(problems, "error")) == [
        "articles/blank.md: error: empty file", "articles/empty.txt: error: empty file"]


def test_binary_file_with_text_suffix_is_rejected_naming_it(articles_dir: Path):
    (articles_dir / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    found, problems = read(articles_dir)
    assert not found
    assert messages(problems) == ["articles/photo.txt: error: binary file (contains NUL bytes), not text"]


def test_huge_files_are_refused_quickly_with_a_size_message(articles_dir: Path):
    for name, size in (("huge.txt", 50 * 1024 * 1024), ("huge.html", 20 * 1024 * 1024)):
        with open(articles_dir / name, "wb") as handle:  # sparse: no 70 MB written to disk
            handle.truncate(size)
    assert TEXT_MAX_BYTES < 50 * 1024 * 1024 and HTML_MAX_BYTES < 20 * 1024 * 1024
    started = time.monotonic()
    found, problems = read(articles_dir)
    assert time.monotonic() - started < 2
    assert not found
    assert messages(problems) == [
        "articles/huge.html: error: file is 20.0 MB, over the 15.0 MB limit for html input; not read",
        "articles/huge.txt: error: file is 50.0 MB, over the 5.0 MB limit for txt input; not read",
    ]


def test_malformed_json_names_line_and_column(articles_dir: Path):
    (articles_dir / "bad.json").write_text('{\n  "title": "x",\n  "text": \n}\n')
    _, problems = read(articles_dir)
    assert messages(problems) == ["articles/bad.json:4:1: error: invalid JSON: Expecting value"]


def test_json_record_without_text_is_an_error(articles_dir: Path):
    (articles_dir / "notext.json").write_text('{"title": "Only a title"}')
    _, problems = read(articles_dir)
    assert messages(problems) == ["articles/notext.json: error: record has no text"]


def test_one_bad_jsonl_line_keeps_the_others():
    found, problems = read(FIXTURES)
    assert {"batch-1", "batch-3"} <= set(found)
    assert "batch-2" not in found
    assert [str(p) for p in problems if "batch" in p.path] == [
        "readers/batch.jsonl:2:1: error: invalid JSON: Expecting value"]
    assert found["batch-1"].content_hash != found["batch-3"].content_hash


def test_html_without_body_is_an_error(articles_dir: Path):
    (articles_dir / "head-only.html").write_text("<html><head><title>Nothing here</title></head></html>")
    (articles_dir / "empty-body.html").write_text("<html><head><title>T</title></head><body>\n</body></html>")
    found, problems = read(articles_dir)
    assert not found
    assert messages(problems) == [
        "articles/empty-body.html: error: no article text found in the HTML page",
        "articles/head-only.html: error: HTML without a <body>: no article text to read",
    ]


def test_duplicate_ids_name_both_files(articles_dir: Path):
    (articles_dir / "story.txt").write_text(ARTICLE)
    (articles_dir / "sub").mkdir()
    (articles_dir / "sub" / "story.md").write_text(ARTICLE)
    found, problems = read(articles_dir)
    assert found["story"].source_path == "articles/story.txt"
    assert messages(problems) == [
        "articles/sub/story.md: error: duplicate article id 'story': already read from articles/story.txt; "
        "this one is skipped (rename one of the two files)"]


def test_unknown_extensions_readmes_and_hidden_files(articles_dir: Path):
    (articles_dir / "story.txt").write_text(ARTICLE)
    (articles_dir / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (articles_dir / "notes").write_text("no suffix")
    (articles_dir / "README.md").write_text("# These articles are fictional\n")
    (articles_dir / ".DS_Store").write_bytes(b"\x00\x01")
    found, problems = read(articles_dir)
    assert list(found) == ["story"]
    assert all(p.severity == "note" for p in problems)
    text = messages(problems)
    assert text[0] == "articles/README.md: note: README files document the folder and are not articles; skipped"
    assert text[1].startswith("articles/notes: note: unknown file type '(no suffix)'; skipped")
    assert text[2].startswith("articles/photo.jpg: note: unknown file type '.jpg'; skipped (articles are ")


def test_symlinks_leaving_the_folder_are_not_followed(tmp_path: Path, articles_dir: Path):
    outside = tmp_path / "secret.txt"
    outside.write_text(ARTICLE)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.txt").write_text(ARTICLE)
    (articles_dir / "inside.txt").write_text(ARTICLE)
    os.symlink(outside, articles_dir / "leak.txt")
    os.symlink(tmp_path / "elsewhere", articles_dir / "leakdir")
    os.symlink(articles_dir / "inside.txt", articles_dir / "alias.txt")  # stays inside: read once
    (articles_dir / "sub").mkdir()
    (articles_dir / "sub" / "deep.txt").write_text(ARTICLE)
    os.symlink(articles_dir / "sub", articles_dir / "a-link-to-sub")
    os.symlink(articles_dir / "missing.txt", articles_dir / "broken.txt")
    os.symlink(articles_dir, articles_dir / "loop")
    found, problems = read(articles_dir)
    assert list(found) == ["inside", "deep"]  # once each, under their own names, though the links sort first
    assert messages(problems) == [
        "articles/broken.txt: warning: broken symbolic link; skipped",
        "articles/leak.txt: warning: symbolic link leads outside the articles folder; not followed",
        "articles/leakdir: warning: symbolic link leads outside the articles folder; not followed",
    ]


def test_names_with_spaces_and_non_ascii_work(articles_dir: Path):
    (articles_dir / "Putin in Peking – Ausgabe ä.txt").write_text(ARTICLE)
    (articles_dir / "報道 2024.md").write_text(ARTICLE)
    found, problems = read(articles_dir)
    assert not problems
    assert set(found) == {"Putin in Peking – Ausgabe ä", "報道 2024"}
    assert found["報道 2024"].source_path == "articles/報道 2024.md"


def test_paths_are_relative_to_the_root_when_inside_it(articles_dir: Path):
    (articles_dir / "a.txt").write_text(ARTICLE)
    found, _ = read_folder(articles_dir, articles_dir.parent)
    assert found[0].source_path == "articles/a.txt"
    found, _ = read_folder(articles_dir, Path("/nonexistent-root"))
    assert found[0].source_path == str(articles_dir / "a.txt")


# --- formats and metadata ---------------------------------------------------------------

def test_registry_covers_every_format():
    assert {s: r.format for s, r in REGISTRY.items()} == {
        ".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".xhtml": "html",
        ".json": "json", ".jsonl": "json", ".ndjson": "json", ".md": "md", ".markdown": "md"}


def test_txt_is_read_verbatim_with_unix_newlines(articles_dir: Path):
    (articles_dir / "crlf.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode())
    found, _ = read(articles_dir)
    raw = found["crlf"]
    assert raw.format == "txt" and raw.text == ARTICLE and len(raw.content_hash) == 64


def test_txt_that_is_an_html_page_goes_to_the_html_reader(articles_dir: Path):
    shutil.copy(FIXTURES / "page.html", articles_dir / "saved.txt")
    found, _ = read(articles_dir)
    assert found["saved"].format == "html"
    assert found["saved"].meta.title == "Lighthouse keepers return to Cape Orrin"


def test_news_please_json_maps_every_field():
    found, _ = read(FIXTURES)
    meta = found["record"].meta
    assert found["record"].format == "json"
    assert meta.title == "Night ferry approved for Lumen Bay"
    assert meta.published == "2025-03-04T09:15"
    assert meta.outlet == "example-gazette.test"
    assert meta.url == "https://example-gazette.test/2025/03/04/night-ferry"
    assert meta.author == "Ada Quill, Ben Marsh"
    assert meta.standfirst.startswith("The harbour ferry will run all night")
    assert found["batch-1"].meta.published == "2025-05-02"  # midnight in metadata = date only


def test_json_list_of_records_and_jsonl_under_json_suffix(articles_dir: Path):
    (articles_dir / "list.json").write_text('[{"text": "First."}, {"text": "Second."}]')
    (articles_dir / "lines.json").write_text('{"text": "One."}\n{"text": "Two."}\n')
    found, problems = read(articles_dir)
    assert not problems
    assert found["list-2"].text == "Second."
    assert found["lines-2"].text == "Two."


def test_html_reader_extracts_text_and_metadata_and_merges_the_sidecar():
    found, problems = read(FIXTURES)
    raw = found["page"]
    assert raw.format == "html"
    assert raw.meta.title == "Lighthouse keepers return to Cape Orrin"
    assert raw.meta.outlet == "Example Gazette"
    assert raw.meta.author == "Ada Quill"
    assert raw.meta.published == "2025-06-10T08:30:00+00:00"  # the time from article:published_time, offset kept
    assert raw.meta.url == "https://example-gazette.test/news/cape-orrin-keepers"  # the sidecar wins
    assert "three hundred applicants" in raw.text
    assert "Home" not in raw.text.split("\n")  # navigation is not article text
    assert "page.fetch" not in found and not [p for p in problems if "fetch" in p.path]


@pytest.mark.parametrize("tag,found,expected", [
    ('<meta property="article:published_time" content="2025-10-15T11:40:00+02:00">', "2025-10-15", "2025-10-15T11:40:00+02:00"),
    ("<meta content='2025-10-15T11:40:00Z' itemprop=datePublished>", "2025-10-15", "2025-10-15T11:40:00+00:00"),
    ('<meta property="article:published_time" content="2025-10-16T11:40:00+02:00">', "2025-10-15", "2025-10-15"),
    ('<meta property="article:published_time" content="2025-10-15T00:00:00">', "2025-10-15", "2025-10-15"),
    ('<meta property="article:modified_time" content="2025-10-15T18:00:00">', "2025-10-15", "2025-10-15"),
    ('<meta property="article:published_time" content="2025-10-15T11:40">', None, None),
], ids=["open-graph", "microdata", "other-day", "midnight", "modified-only", "no-date"])
def test_html_publication_time_comes_from_the_page_metadata(tag, found, expected):
    # The extractor gives the day; the page's own metadata may add the time of that same day.
    assert published_time(f"<html><head>{tag}</head><body></body></html>", found) == expected


def test_sidecar_without_page_is_a_note(articles_dir: Path):
    (articles_dir / "lost.fetch.json").write_text('{"url": "https://example.test/"}')
    found, problems = read(articles_dir)
    assert not found
    assert messages(problems) == ["articles/lost.fetch.json: note: fetch sidecar without its .html page; ignored"]


def test_markdown_front_matter_becomes_metadata():
    found, problems = read(FIXTURES)
    raw = found["note"]
    assert raw.meta.title == "Orchard festival draws record crowd"
    assert raw.meta.published == "2025-09-20"
    assert raw.meta.outlet == "Valley Courier"
    assert raw.meta.author == "Ben Marsh"
    assert raw.meta.standfirst == "Twelve thousand visitors came to taste the new apple varieties"
    assert raw.meta.story == "orchard-festival-2025"
    assert raw.text.split("\n") == [
        "The orchard festival in Lindenfeld drew twelve thousand visitors on Saturday, a record for the "
        "annual event, the organisers said.",
        "Growers showed four new apple varieties bred for dry summers.",
        '"We have never sold out of cider before," said organiser Petra Lang.',
    ]
    assert "readers/note.md: note: unknown front matter key 'tags' ignored" in messages(problems)


def test_markdown_heading_is_the_title_without_front_matter(articles_dir: Path):
    (articles_dir / "h.md").write_text("# Storm closes ferry\n\nThe ferry stopped running on *Friday*.\n")
    found, _ = read(articles_dir)
    assert found["h"].meta.title == "Storm closes ferry"
    assert found["h"].text == "The ferry stopped running on Friday."


def test_markdown_front_matter_errors_carry_line_and_column(articles_dir: Path):
    (articles_dir / "bad.md").write_text("---\ntitle: ok\ndate: [unclosed\n---\nBody.\n")
    (articles_dir / "open.md").write_text("---\ntitle: never closed\nBody.\n")
    _, problems = read(articles_dir)
    text = messages(problems)
    assert text[0].startswith("articles/bad.md:4:1: error: invalid YAML front matter:")
    assert text[1] == "articles/open.md: error: front matter opened with '---' on line 1 is never closed"


# --- bounded fuzz: any bytes under any suffix give articles or problems, never an exception ----

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SEEDS = [ARTICLE.encode(), b'{"text": "x"}', b'---\ntitle: t\n---\nBody', b"<html><body><p>Hi</p></body></html>",
          b'{"text": "a"}\n{bad\n', RUSSIAN.encode("cp1251")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from(sorted(REGISTRY)),
       data=st.one_of(st.binary(max_size=300), st.sampled_from(_SEEDS),
                      st.builds(lambda s, b: s[: len(s) // 2] + b, st.sampled_from(_SEEDS), st.binary(max_size=40))))
def test_readers_never_crash(tmp_path_factory, suffix, data):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / f"input{suffix}").write_bytes(data)
    found, problems = read_folder(folder, folder)
    for problem in problems:
        assert problem.path.startswith("input") and problem.message
    for article in found:
        assert article.id.startswith("input") and isinstance(article.text, str)


@pytest.mark.parametrize("title, site, expected", [
    ("Best tech gadgets of 2019 | ZDNet", None, "Best tech gadgets of 2019"),
    ("Meal Prep for A Little More Obsessed | The Beachbody Blog", None, "Meal Prep for A Little More Obsessed"),
    ("Storm closes ferry - Example Gazette", "Example Gazette", "Storm closes ferry"),
    ("Putin - Xi talks end in Beijing", "Example Gazette", "Putin - Xi talks end in Beijing"),
    ("Short | Site", None, "Short | Site"),
])
def test_site_name_is_stripped_from_html_titles(title, site, expected):
    from digest.readers.html import strip_site_name

    assert strip_site_name(title, site) == expected


# --- outlet names --------------------------------------------------------------------------------

def test_outlet_names_from_site_metadata_known_domains_and_merged_subdomains():
    from digest.readers.outlets import outlet_name, registrable

    assert outlet_name("Example Gazette", "www.example-gazette.test") == "Example Gazette"
    assert outlet_name(None, "www.dailymail.co.uk") == "Daily Mail"
    assert outlet_name(None, "usa.chinadaily.com.cn") == outlet_name(None, "europe.chinadaily.com.cn") == "China Daily"
    assert outlet_name(None, "news.harbour-times.test") == outlet_name(None, "www.harbour-times.test") == "harbour-times.test"
    assert outlet_name("www.harbour-times.test", None) == "harbour-times.test"  # a site name that is only a domain
    assert outlet_name(None, None, "https://live.harbour-times.co.uk/x") == "harbour-times.co.uk"
    assert outlet_name(None, "abcnews.go.com") == "ABC News" and outlet_name(None, "games.go.com") == "games.go.com"
    assert outlet_name(None, None) is None and outlet_name(None, "not a domain") is None
    assert registrable("a.b.example.co.uk") == "example.co.uk" and registrable("example.com") == "example.com"


def test_json_record_outlet_is_named(articles_dir: Path):
    (articles_dir / "r.json").write_text('{"text": "Body.", "source_domain": "www.theguardian.com"}')
    found, _ = read(articles_dir)
    assert found["r"].meta.outlet == "The Guardian"


def test_markdown_with_control_characters_beside_dropped_html_is_read(tmp_path):
    """Found by the fuzz run: a control character in a block after raw HTML that the reader drops
    made lxml refuse the tree (ValueError) instead of reading the file."""
    from digest.readers import read_folder

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.markdown").write_bytes(b"---\n---\nValdoria Valdoria Valdoria\n\n<div>\n\n"
                                        b"Valdoria Valdoria Valdoria \x1f\n\n<script>x</script>\n\n# Title")
    raws, problems = read_folder(folder, tmp_path)
    assert [p for p in problems if p.severity == "error"] == []
    assert len(raws) == 1 and "\x1f" not in raws[0].text
