"""digest fetch's sources beyond single feeds: OPML files, sitemaps (index, news, text, gzip),
feed discovery from a site's page, retention (max_age_days), the per-source limit, and bad
input (a feed that is down, malformed OPML, a sitemap of 50,000 URLs, a redirect loop), all
against a real HTTP server on 127.0.0.1 (tests/localhttp.py)."""

from __future__ import annotations

import gzip
import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.config import ConfigError, load_settings
from digest.fetch import FetchOptions, fetch_sources
from digest.fetch.cli import fetch as fetch_command
from digest.fetch.opml import OpmlError, parse_opml
from digest.fetch.sitemaps import parse_sitemap, w3c_datetime
from localhttp import HTML, RSS, Handler, Reply, Server, page, serve  # noqa: F401 (serve: a fixture)

FAST = FetchOptions(delay=0.0, timeout=5.0, retries=0, backoff=0.01, max_bytes=100_000)
XML = {"Content-Type": "application/xml"}
NOW = datetime.now(timezone.utc)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "*")


def ago(days: float) -> str:
    return (NOW - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc822(days: float) -> str:
    return (NOW - timedelta(days=days)).strftime("%a, %d %b %Y %H:%M:%S +0000")


def rss(*items: tuple[str, float | None]) -> bytes:
    """An RSS feed of (link, age in days or None for undated) items."""
    body = "".join(f"<item><title>{link}</title><link>{link}</link>"
                   + (f"<pubDate>{rfc822(age)}</pubDate>" if age is not None else "") + "</item>"
                   for link, age in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{body}</channel></rss>'.encode()


def urlset(*entries: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            + "".join(entries) + "</urlset>").encode()


def url_entry(loc: str, lastmod: str | None = None, news_title: str | None = None,
              news_date: str | None = None) -> str:
    news = ""
    if news_title:
        news = (f"<news:news><news:publication><news:name>Harbour Post</news:name><news:language>en"
                f"</news:language></news:publication><news:publication_date>{news_date}</news:publication_date>"
                f"<news:title>{news_title}</news:title></news:news>")
    return f"<url><loc>{loc}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + news + "</url>"


@pytest.fixture
def site(serve) -> Server:
    server = serve()
    server.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    server.fallback = lambda handler: (
        (200, HTML, page(handler.path.rsplit("/", 1)[-1])) if handler.path.startswith(("/news/", "/s/"))
        else (404, {"Content-Type": "text/plain"}, b"not found"))
    return server


def saved_urls(report) -> list[str]:
    return [json.loads(p.with_name(p.stem + ".fetch.json").read_text())["canonical_url"] for p in report.saved]


def sidecar(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".fetch.json").read_text())


def one_line(problems, path: str) -> str:
    [problem] = [p for p in problems if p.path == path]
    assert "\n" not in str(problem)
    return problem.message


# ---------------------------------------------------------------------------------------
# OPML


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Desk subscriptions</title></head>
  <body>
    <outline text="Harbour">
      <outline text="Harbour Post" type="rss" xmlUrl="{base}/feed-a.xml" htmlUrl="{base}/"/>
      <outline text="Second folder"><outline text="Tide Times" type="rss" xmlUrl="{base}/feed-b.xml"/></outline>
    </outline>
    <outline text="Relative" type="rss" xmlUrl="feed-c.xml"/>
    <outline text="Just a link" type="link" url="{base}/about"/>
  </body>
</opml>
"""


def test_parse_opml_nested_outlines_and_relative_urls():
    opml = parse_opml(OPML.format(base="http://h.test").encode(), "subs.opml")
    assert opml.feeds == ("http://h.test/feed-a.xml", "http://h.test/feed-b.xml")
    [warning] = opml.problems
    assert str(warning) == ("subs.opml:9: warning: outline 'Relative': xmlUrl is not an http(s) URL: "
                            "'feed-c.xml'; left out")
    from_url = parse_opml(OPML.format(base="http://h.test").encode(), "http://h.test/subs.opml",
                          base="http://h.test/subs.opml")
    assert from_url.feeds[-1] == "http://h.test/feed-c.xml" and not from_url.problems


@pytest.mark.parametrize("data, message, line", [
    (b'<opml version="2.0"><body>\n<outline xmlUrl="http://h.test/f">\n</body></opml>',
     "malformed OPML: Opening and ending tag mismatch: outline line 2 and body", 3),
    (b'<?xml version="1.0"?>\n<rss version="2.0"/>', "not an OPML file (the root element is <rss>)", 2),
    (b"", "malformed OPML: Document is empty", 1),
    # An external entity is never read.
    (b'<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]><opml><body><outline xmlUrl="&x;"/></body></opml>',
     "malformed OPML: Attribute references external entity 'x'", 1),
])
def test_parse_opml_errors_name_the_line(data, message, line):
    with pytest.raises(OpmlError) as caught:
        parse_opml(data, "subs.opml")
    assert str(caught.value) == message and caught.value.line == line


def test_opml_file_feeds_are_fetched(site, tmp_path):
    site.routes["/feed-a.xml"] = (200, RSS, rss((site.url("/news/a1"), 1)))
    site.routes["/feed-b.xml"] = (200, RSS, rss((site.url("/news/b1"), 1), (site.url("/news/a1"), 1)))
    opml = tmp_path / "subs.opml"
    opml.write_text(OPML.format(base=site.base))
    report = fetch_sources(tmp_path / "articles", opml=[str(opml)], options=FAST)
    assert sorted(saved_urls(report)) == [site.url("/news/a1"), site.url("/news/b1")]
    assert report.ok and [w.line for w in report.warnings] == [9]


def test_malformed_opml_is_one_line_and_the_run_goes_on(site, tmp_path):
    site.routes["/feed.xml"] = (200, RSS, rss((site.url("/news/x"), 1)))
    bad = tmp_path / "bad.opml"
    bad.write_text('<?xml version="1.0"?>\n<opml version="2.0"><body>\n  <outline text="a" xmlUrl="x">\n</opml>\n')
    report = fetch_sources(tmp_path / "articles", opml=[str(bad), str(tmp_path / "missing.opml")],
                           feeds=[site.url("/feed.xml")], options=FAST)
    assert [str(p) for p in report.errors] == [
        f"{bad}:4:8: error: malformed OPML: Opening and ending tag mismatch: outline line 3 and opml",
        f"{tmp_path / 'missing.opml'}: error: cannot read: No such file or directory",
    ]
    assert saved_urls(report) == [site.url("/news/x")]


def test_opml_by_url_and_in_settings(site, tmp_path):
    site.routes["/feed-a.xml"] = (200, RSS, rss((site.url("/news/a1"), 1)))
    site.routes["/feed-b.xml"] = (404, {"Content-Type": "text/plain"}, b"gone")
    site.routes["/subs.opml"] = (200, {"Content-Type": "text/x-opml"}, OPML.format(base=site.base).encode())
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "desk.opml").write_text(OPML.format(base=site.base))
    (tmp_path / "digest.yml").write_text("opml: lists/desk.opml\n")
    assert load_settings(tmp_path, articles=tmp_path).opml == (str(tmp_path / "lists" / "desk.opml"),)
    result = CliRunner().invoke(fetch_command, ["--project", str(tmp_path), "--delay", "0", "--retries", "0"])
    assert result.exit_code == 1, result.output  # feed-b is gone: one line, the rest saved
    assert f"{site.url('/feed-b.xml')}: error: HTTP 404 Not Found" in result.stderr
    assert result.stdout.splitlines()[-1] == "1 saved, 0 skipped, 1 failed"
    result = CliRunner().invoke(fetch_command, ["--project", str(tmp_path), "--opml", site.url("/subs.opml"),
                                                "--delay", "0", "--retries", "0", "-q"])
    # feed-c.xml resolves against the OPML's URL; it does not exist either
    assert f"{site.url('/feed-c.xml')}: error: HTTP 404 Not Found" in result.stderr
    assert result.stdout == "0 saved, 1 skipped, 2 failed\n"


# ---------------------------------------------------------------------------------------
# Sitemaps


def test_parse_sitemap_news_dates_titles_and_short_dates():
    sitemap = parse_sitemap(urlset(
        url_entry("http://h.test/a", "2024-05", "Ferry collision:\n  five dead", "2024-05-15T17:41:00+02:00"),
        "<url><loc>http://h.test/b</loc><lastmod>not a date</lastmod>"
        "<image:image xmlns:image='http://www.google.com/schemas/sitemap-image/1.1'>"
        "<image:title>A photo</image:title></image:image></url>"), "http://h.test/sitemap.xml")
    first, second = sitemap.items
    assert (first.link, first.title, first.published, first.lastmod) == (
        "http://h.test/a", "Ferry collision: five dead", "2024-05-15T15:41:00Z", "2024-05-01T00:00:00Z")
    assert (second.title, second.date) == (None, None)  # an image title is not the page's; a bad date is none
    assert not sitemap.index


@pytest.mark.parametrize("text, expected", [
    ("2024", "2024-01-01T00:00:00Z"), ("2024-05-15", "2024-05-15T00:00:00Z"),
    ("2024-05-15T17:41Z", "2024-05-15T17:41:00Z"), ("2024-05-15T17:41:00.5-01:00", "2024-05-15T18:41:00Z"),
    ("yesterday", None), ("", None),
])
def test_w3c_datetime(text, expected):
    assert w3c_datetime(text) == expected


def test_malformed_sitemap_names_line_and_column(site, tmp_path):
    site.routes["/sitemap.xml"] = (200, XML, b'<?xml version="1.0"?>\n<urlset>\n<url><loc>x</lo></url></urlset>')
    site.routes["/feed.xml"] = (200, RSS, rss((site.url("/news/ok"), 1)))
    report = fetch_sources(tmp_path, sitemaps=[site.url("/sitemap.xml")], feeds=[site.url("/feed.xml")],
                           options=FAST)
    assert one_line(report.errors, site.url("/sitemap.xml")) == (
        "malformed sitemap: line 3, column 17: Opening and ending tag mismatch: loc line 3 and lo")
    assert saved_urls(report) == [site.url("/news/ok")]


def test_news_sitemap_pages_are_saved_with_the_sitemap_in_the_sidecar(site, tmp_path):
    site.routes["/news-sitemap.xml"] = (200, XML, urlset(
        url_entry(site.url("/news/ferry"), ago(0.5), "Ferry collision", ago(0.6)),
        url_entry(site.url("/private/memo"), ago(0.5))))
    report = fetch_sources(tmp_path, sitemaps=[site.url("/news-sitemap.xml")], options=FAST)
    [path] = report.saved
    meta = sidecar(path)
    assert meta["sitemap"] == site.url("/news-sitemap.xml") and meta["feed"] is None
    assert meta["title"] == "Ferry collision" and meta["published"] == ago(0.6) and meta["lastmod"] == ago(0.5)
    assert [w.message for w in report.warnings] == [  # robots.txt: a warning for a listed page
        f"disallowed by robots.txt (listed by {site.url('/news-sitemap.xml')})"]


def test_sitemap_index_reads_recent_children_gzip_included(site, tmp_path):
    site.routes["/sitemap-index.xml"] = (200, XML, (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.url('/sitemaps/2020-01.xml')}</loc><lastmod>2020-01-31</lastmod></sitemap>"
        f"<sitemap><loc>{site.url('/sitemaps/recent.xml.gz')}</loc><lastmod>{ago(1)}</lastmod></sitemap>"
        f"<sitemap><loc>{site.url('/sitemaps/nested.xml')}</loc></sitemap>"
        f"<sitemap><loc>{site.url('/sitemaps/missing.xml')}</loc></sitemap>"
        "</sitemapindex>").encode())
    site.routes["/sitemaps/recent.xml.gz"] = (200, {"Content-Type": "application/gzip"}, gzip.compress(urlset(
        url_entry(site.url("/news/new-one"), ago(1)), url_entry(site.url("/news/old-one"), ago(400)))))
    site.routes["/sitemaps/nested.xml"] = site.routes["/sitemap-index.xml"]
    options = FetchOptions(**{**FAST.__dict__, "max_age_days": 30})
    report = fetch_sources(tmp_path, sitemaps=[site.url("/sitemap-index.xml")], options=options)
    assert saved_urls(report) == [site.url("/news/new-one")] and report.too_old == 1
    assert "/sitemaps/2020-01.xml" not in site.paths()  # a child older than max_age_days is not read
    assert one_line(report.errors, site.url("/sitemaps/nested.xml")) == (
        f"a sitemap index inside a sitemap index is not read (listed by {site.url('/sitemap-index.xml')})")
    assert one_line(report.errors, site.url("/sitemaps/missing.xml")) == (
        f"HTTP 404 Not Found (listed by {site.url('/sitemap-index.xml')})")


def test_text_sitemap_and_rss_given_as_a_sitemap(site, tmp_path):
    site.routes["/sitemap.txt"] = (200, {"Content-Type": "text/plain"},
                                   f"{site.url('/news/t1')}\n\n{site.url('/news/t2')}\n".encode())
    site.routes["/rss-sitemap.xml"] = (200, RSS, rss((site.url("/news/r1"), 1)))
    report = fetch_sources(tmp_path, sitemaps=[site.url("/sitemap.txt"), site.url("/rss-sitemap.xml")], options=FAST)
    assert sorted(saved_urls(report)) == [site.url(f"/news/{n}") for n in ("r1", "t1", "t2")]


def test_sitemap_of_50000_urls_is_taken_in_portions(site, tmp_path):
    """Legal (the protocol's maximum) but a day of fetching: one line, the newest pages first,
    the rest in later runs; the sitemap is read again each run until none are left."""
    entries = [url_entry(site.url(f"/s/{n}"), ago(n / 1000)) for n in range(50_000)]
    body = urlset(*entries)
    assert len(body) > FAST.max_bytes  # over the page cap, within the sitemap cap
    site.routes["/big-sitemap.xml"] = (200, {**XML, "ETag": '"v1"'}, body)
    options = FetchOptions(**{**FAST.__dict__, "max_per_source": 3})
    started = time.monotonic()
    report = fetch_sources(tmp_path, sitemaps=[site.url("/big-sitemap.xml")], options=options)
    assert time.monotonic() - started < 60
    assert saved_urls(report) == [site.url(f"/s/{n}") for n in (0, 1, 2)]  # the newest
    assert report.deferred == 49_997 and report.ok
    assert one_line(report.warnings, site.url("/big-sitemap.xml")) == (
        "50000 new pages listed; fetching the 3 newest now and the rest in later runs (max_per_source)")
    again = fetch_sources(tmp_path, sitemaps=[site.url("/big-sitemap.xml")], options=options)
    assert "if-none-match" not in [h for h in site.hits if h.path == "/big-sitemap.xml"][-1].headers
    assert saved_urls(again) == [site.url(f"/s/{n}") for n in (3, 4, 5)] and len(again.skipped) == 3


def test_sitemap_over_the_size_cap_and_a_gzip_bomb(site, tmp_path):
    site.routes["/huge.xml"] = (200, XML, b"<urlset>" + b" " * 300_000 + b"</urlset>")
    site.routes["/bomb.xml.gz"] = (200, {"Content-Type": "application/gzip"}, gzip.compress(b" " * 300_000))
    options = FetchOptions(**{**FAST.__dict__, "max_source_bytes": 200_000})
    report = fetch_sources(tmp_path, sitemaps=[site.url("/huge.xml"), site.url("/bomb.xml.gz")], options=options)
    assert one_line(report.errors, site.url("/huge.xml")).startswith("larger than the size cap")
    assert one_line(report.errors, site.url("/bomb.xml.gz")) == (
        "larger than the size cap once decompressed (over 200000 bytes)")


def test_unchanged_sitemap_costs_one_conditional_request(site, tmp_path):
    body = urlset(url_entry(site.url("/news/s1")))

    def conditional(handler: Handler) -> Reply:
        if handler.headers.get("If-None-Match") == '"s1"':
            return 304, {"ETag": '"s1"'}, b""
        return 200, {**XML, "ETag": '"s1"'}, body

    site.routes["/sitemap.xml"] = conditional
    assert len(fetch_sources(tmp_path, sitemaps=[site.url("/sitemap.xml")], options=FAST).saved) == 1
    before = len(site.paths())
    second = fetch_sources(tmp_path, sitemaps=[site.url("/sitemap.xml")], options=FAST)
    assert second.saved == () and site.paths()[before:] == ["/sitemap.xml"]


# ---------------------------------------------------------------------------------------
# Feed discovery, retention, bad input


def test_feed_discovered_from_the_home_page(site, tmp_path):
    site.routes["/"] = (200, HTML, page("Harbour Post", '<link rel="alternate" type="application/rss+xml" '
                                                       'href="/feed.xml" title="News">'
                                                       '<link rel="alternate" type="application/rss+xml" '
                                                       'href="/comments.xml" title="Comments">'))
    site.routes["/feed.xml"] = (200, RSS, rss((site.url("/news/d1"), 1)))
    lines: list[str] = []
    report = fetch_sources(tmp_path, feeds=[site.url("/")], options=FAST, log=lambda e: lines.append(str(e)))
    assert saved_urls(report) == [site.url("/news/d1")] and report.ok
    assert sidecar(report.saved[0])["feed"] == site.url("/feed.xml")
    assert (f"{site.url('/')}: not a feed; reading the feed it names: {site.url('/feed.xml')} "
            f"(it also names {site.url('/comments.xml')})") in lines
    assert "/comments.xml" not in site.paths()
    site.routes["/feed.xml"] = (500, {"Content-Type": "text/plain"}, b"down")
    down = fetch_sources(tmp_path, feeds=[site.url("/")], options=FAST)
    assert one_line(down.errors, site.url("/")) == f"the feed it names, {site.url('/feed.xml')}: HTTP 500 Internal Server Error"


def test_max_age_days_leaves_out_old_items_and_keeps_undated_ones(site, tmp_path):
    site.routes["/feed.xml"] = (200, RSS, rss((site.url("/news/fresh"), 2), (site.url("/news/stale"), 45),
                                              (site.url("/news/undated"), None)))
    (tmp_path / "digest.yml").write_text(f"feeds: [{site.url('/feed.xml')}]\nmax_age_days: 30\n")
    result = CliRunner().invoke(fetch_command, ["--project", str(tmp_path), "--delay", "0"])
    assert result.exit_code == 0, result.output
    assert f"{site.url('/feed.xml')}: 1 item(s) older than 30 day(s) left out (max_age_days)" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 saved, 0 skipped, 0 failed (1 older than 30 day(s) left out)"
    assert "/news/stale" not in site.paths()
    # The command line wins over digest.yml.
    result = CliRunner().invoke(fetch_command, ["--project", str(tmp_path), "--delay", "0", "-q",
                                                "--max-age-days", "60"])
    assert result.exit_code == 0 and result.stdout == "1 saved, 2 skipped, 0 failed\n"


def test_max_per_source_from_settings_and_option(site, tmp_path):
    site.routes["/feed.xml"] = (200, RSS, rss(*[(site.url(f"/news/p{n}"), n) for n in range(5)]))
    (tmp_path / "digest.yml").write_text(f"feeds: [{site.url('/feed.xml')}]\nmax_per_source: 2\n")
    result = CliRunner().invoke(fetch_command, ["--project", str(tmp_path), "--delay", "0", "-q"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "2 saved, 0 skipped, 0 failed (3 left for later runs)\n"
    assert result.stderr == (f"{site.url('/feed.xml')}: warning: 5 new pages listed; fetching the 2 newest now and "
                             "the rest in later runs (max_per_source)\n")
    result = CliRunner().invoke(fetch_command, ["--project", str(tmp_path), "--delay", "0", "-q",
                                                "--max-per-source", "10"])
    assert result.stdout == "3 saved, 2 skipped, 0 failed\n"


@pytest.mark.parametrize("setting, message", [
    ("max_age_days: 0", "'max_age_days': expected a whole number of at least 1"),
    ("max_per_source: many", "'max_per_source': expected a whole number of at least 1"),
    ("opml: 5", "'opml': expected a list of strings"),
    ("sitemaps: http://h.test/s.xml", "'sitemaps': expected a list of strings"),
])
def test_settings_are_validated_with_their_line(tmp_path, setting, message):
    (tmp_path / "digest.yml").write_text(f"feeds: []\n{setting}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, articles=tmp_path)
    [problem] = caught.value.problems
    assert problem.line == 2 and problem.message == message


def test_bad_sources_are_one_line_each_and_the_run_goes_on(site, serve, tmp_path):
    """A feed that is down, a redirect loop, a malformed feed: one line each naming the source;
    the good source's pages are saved, the summary counts the failures, exit status 1."""
    down = serve()
    down_url = down.url("/feed.xml")
    down.shutdown()
    down.server_close()  # nothing listens there any more: connection refused
    site.routes["/loop-a"] = (302, {"Location": "/loop-b"}, b"")
    site.routes["/loop-b"] = (302, {"Location": "/loop-a"}, b"")
    site.routes["/broken.xml"] = (200, RSS, b"<rss><channel><item><title>cut")
    site.routes["/good.xml"] = (200, RSS, rss((site.url("/news/good"), 1)))
    result = CliRunner().invoke(fetch_command, [
        "--project", str(tmp_path), "--delay", "0", "--retries", "0", "--timeout", "5", "-q",
        "--feed", down_url, "--feed", site.url("/loop-a"), "--feed", site.url("/broken.xml"),
        "--sitemap", site.url("/loop-b"), "--feed", site.url("/good.xml")])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 4, lines
    assert lines[0] == f"{down_url}: error: robots.txt unreachable (connection failed: [Errno 111] Connection refused); not fetched"
    assert lines[1] == (f"{site.url('/loop-a')}: error: redirect loop: "
                        f"{site.url('/loop-a')} -> {site.url('/loop-b')} -> {site.url('/loop-a')}")
    assert lines[2] == f"{site.url('/broken.xml')}: error: malformed feed: no element found"
    assert lines[3].startswith(f"{site.url('/loop-b')}: error: redirect loop: ")
    assert result.stdout == "1 saved, 0 skipped, 4 failed\n"
    assert "Traceback" not in result.output
