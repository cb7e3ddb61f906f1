"""digest.fetch against a real HTTP server on 127.0.0.1 (threaded http.server on port 0).

Nothing leaves the machine: every URL is 127.0.0.1, except the DNS test's host name, which
glibc rejects before any query is sent (a label starting with "-").
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.fetch import INDEX_NAME, FetchOptions, fetch_feeds, fetch_urls
from digest.fetch.cli import fetch as fetch_command
from digest.fetch.feeds import parse_feed
from digest.fetch.http import interleave_by_host, retry_after_seconds
from digest.fetch.options import FetchError
from digest.fetch.page import html_problem, rel_canonical
from digest.fetch.urls import BadURL, article_id, canonical_url, check_url, clean_url
from localhttp import ATOM, HTML, RSS, Handler, Reply, Server, page, serve  # noqa: F401 (serve: a fixture)

# Tiny delays so the whole file runs in a few seconds; politeness tests set their own. The
# timeout is generous because the machine may be busy; the timeout test sets a short one.
FAST = FetchOptions(delay=0.0, timeout=5.0, retries=1, backoff=0.01, max_bytes=100_000)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """httpx honours HTTP(S)_PROXY: make sure no request is sent to a proxy elsewhere."""
    monkeypatch.setenv("NO_PROXY", "*")


def _slow(handler: Handler) -> Reply:
    time.sleep(3)
    return 200, HTML, page("Slow")


def _flaky_factory() -> Callable[[Handler], Reply]:
    calls = {"n": 0}

    def flaky(handler: Handler) -> Reply:
        calls["n"] += 1
        if calls["n"] == 1:
            return 429, {"Retry-After": "0", "Content-Type": "text/plain"}, b"slow down"
        return 200, HTML, page("Flaky")

    return flaky


def _conditional_feed(body: bytes) -> Callable[[Handler], Reply]:
    def feed(handler: Handler) -> Reply:
        if handler.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {**RSS, "ETag": '"v1"'}, body

    return feed


@pytest.fixture
def site(serve) -> Server:
    server = serve()
    same = page("Twin", body="Exactly the same bytes under two addresses.")
    server.routes.update({
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
        "/news/a": (200, {**HTML, "Last-Modified": "Wed, 15 May 2024 18:00:00 GMT"}, page("Alpha")),
        "/news/b": (200, HTML, same),
        "/copy/b": (200, HTML, same),
        "/news/c": (200, HTML, page("Gamma")),
        "/news/e/": (200, HTML, page("Epsilon")),
        "/news/d": (200, HTML, page("Delta")),
        "/old": (301, {"Location": "/news/d"}, b""),
        "/loop1": (302, {"Location": "/loop2"}, b""),
        "/loop2": (302, {"Location": "/loop1"}, b""),
        "/amp/a": (200, HTML, page("Alpha (AMP)", '<link rel="canonical" href="/news/a?utm_source=amp">')),
        "/home-canonical": (200, HTML, page("Bad template", '<link rel="canonical" href="/">')),
        "/private/secret": (200, HTML, page("Secret")),
        "/slow": _slow,
        "/flaky": _flaky_factory(),
        "/broken": (500, {"Content-Type": "text/plain"}, b"oops"),
        # Larger than the cap and without Content-Length: refused by type before it is read.
        "/file.pdf": (200, {"Content-Type": "application/pdf", "Connection": "close"}, b"%PDF-1.4" + b"x" * 200_000),
        "/no-type": (200, {}, b"<!doctype html><html><body><p>untyped</p></body></html>"),
        "/huge": (200, HTML, b"<html>" + b"x" * 200_000),
        "/huge-stream": (200, {**HTML, "Connection": "close"}, b"<html>" + b"x" * 200_000),
    })
    return server


def sidecar(path: Path) -> dict:
    return json.loads(path.with_name(path.name.removesuffix(".html") + ".fetch.json").read_text())


def one_error(report, url: str) -> str:
    [problem] = [p for p in report.errors if p.path == url]
    assert "\n" not in problem.message and problem.severity == "error"
    return problem.message


# ---------------------------------------------------------------------------------------
# URLs: one test per canonicalisation rule


@pytest.mark.parametrize("variant", [
    "http://h.test/news/a?utm_source=rss&utm_medium=feed&utm_campaign=x",  # utm_* family
    "http://h.test/news/a?UTM_Content=x",  # case-insensitive names
    "http://h.test/news/a?fbclid=IwAR0",  # Facebook
    "http://h.test/news/a?gclid=EAIa",  # Google Ads
    "http://h.test/news/a?msclkid=1&mc_cid=2&mc_eid=3&_ga=4&igshid=5",  # other click ids
    "http://h.test/news/a#comments",  # fragment
    "http://h.test/news/a/",  # trailing slash
    "HTTP://H.TEST/news/a",  # scheme and host case
    "http://h.test:80/news/a",  # default port
    " http://h.test/news/a\n",  # pasted with blanks
])
def test_canonical_url_removes_noise(variant):
    assert canonical_url(variant) == "http://h.test/news/a"


def test_canonical_url_keeps_what_addresses_the_page():
    assert canonical_url("http://h.test/a?id=7&page=2") == "http://h.test/a?id=7&page=2"
    assert canonical_url("http://h.test/a?page=2&id=7") == "http://h.test/a?id=7&page=2"  # sorted
    assert canonical_url("http://h.test:8080/") == "http://h.test:8080/"  # other port, root slash
    assert canonical_url("http://h.test") == "http://h.test/"
    assert canonical_url("http://h.test/News/A") != canonical_url("http://h.test/news/a")  # paths are case-sensitive


def test_canonical_url_spells_international_hosts_in_ascii():
    assert canonical_url("https://Bücher.example/a/") == "https://xn--bcher-kva.example/a"
    assert canonical_url("https://xn--bcher-kva.example/a") == "https://xn--bcher-kva.example/a"
    assert canonical_url("https://bücher.example:8443/a") == "https://xn--bcher-kva.example:8443/a"


@settings(max_examples=200, deadline=None)
@given(
    host=st.sampled_from(["h.test", "H.Test", "www.h.test", "bücher.example", "127.0.0.1:8080", "[::1]"]),
    path=st.lists(st.text(alphabet="abcXYZ09-_.~%/", min_size=0, max_size=6), max_size=4).map("/".join),
    params=st.lists(st.tuples(st.sampled_from(["id", "page", "utm_source", "fbclid", "q", "gclid", "a"]),
                              st.text(alphabet="ab1 %+", max_size=3)), max_size=4),
    fragment=st.sampled_from(["", "#", "#top"]),
    slash=st.booleans(),
)
def test_canonical_url_properties(host, path, params, fragment, slash):
    query = "&".join(f"{k}={v}" for k, v in params)
    url = f"http://{host}/{path}{'/' if slash else ''}{'?' + query if query else ''}{fragment}"
    key = canonical_url(url)
    assert canonical_url(key) == key  # idempotent
    assert canonical_url(clean_url(url)) == key  # the link and the key agree
    assert "#" not in key and "utm_" not in key and "fbclid" not in key and "gclid" not in key
    assert article_id(key) == article_id(canonical_url(url))


def test_clean_url_is_a_working_link():
    # The trailing slash and parameter order survive: servers may care about them.
    assert clean_url("https://H.test/a/?z=1&utm_source=x&a=%20b#top") == "https://h.test/a/?z=1&a=%20b"
    # Spaces and non-ASCII letters are escaped as a browser would send them.
    assert clean_url("https://h.test/новости/a b?q=é x") == (
        "https://h.test/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/a%20b?q=%C3%A9%20x")


@pytest.mark.parametrize("bad", ["ftp://h.test/a", "/news/a", "mailto:x@h.test", "http:///path"])
def test_check_url_rejects(bad):
    with pytest.raises(BadURL):
        check_url(bad)


def test_article_id_is_stable_readable_and_unique():
    first = article_id("https://www.example.com/world/putin-arrives-in-china.html")
    assert first == article_id("https://www.example.com/world/putin-arrives-in-china.html")
    assert first.startswith("example-com-putin-arrives-in-china-") and len(first.rsplit("-", 1)[1]) == 8
    assert article_id("https://example.com/a?id=1") != article_id("https://example.com/a?id=2")
    assert article_id("https://example.com/") .startswith("example-com-")
    assert article_id("https://例え.jp/ニュース").endswith(tuple("0123456789abcdef"))
    assert article_id(canonical_url("https://h.test/caf%C3%A9-opens")).startswith("h-test-cafe-opens-")


def test_interleave_by_host_round_robin_keeping_order():
    urls = ["http://a.test/1", "http://a.test/2", "http://a.test/3", "http://b.test/1", "http://b.test:81/1"]
    assert interleave_by_host(urls) == ["http://a.test/1", "http://b.test/1", "http://b.test:81/1",
                                        "http://a.test/2", "http://a.test/3"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a.test", "b.test", "c.test:81"]), st.integers(0, 99)), max_size=20))
def test_interleave_keeps_every_url_and_each_host_order(pairs):
    urls = [f"http://{host}/{n}" for host, n in pairs]
    out = interleave_by_host(urls)
    assert sorted(out) == sorted(urls)
    for host in {h for h, _ in pairs}:
        assert [u for u in out if f"//{host}/" in u] == [u for u in urls if f"//{host}/" in u]


def test_retry_after_seconds():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


# ---------------------------------------------------------------------------------------
# Pages and feeds, parsed without the network


def test_rel_canonical():
    assert rel_canonical(page("x", '<link rel="canonical" href="/a/b">'), "http://h.test/amp/b") == "http://h.test/a/b"
    assert rel_canonical(page("x", '<link rel="Canonical" href="https://o.test/x">'), "http://h.test/y") == "https://o.test/x"
    assert rel_canonical(page("x", '<link rel="canonical" href="/">'), "http://h.test/story") is None  # template bug
    assert rel_canonical(page("x", '<link rel="canonical" href="javascript:x">'), "http://h.test/y") is None
    assert rel_canonical(page("x", '<link rel="stylesheet" href="/s.css">'), "http://h.test/y") is None
    assert rel_canonical(b"", "http://h.test/y") is None


def test_html_problem():
    assert html_problem("text/html", b"") is None
    assert html_problem("application/xhtml+xml", b"") is None
    assert html_problem("", b"\xef\xbb\xbf  <!DOCTYPE html><html>") is None
    assert html_problem("application/pdf", b"%PDF") == "not HTML (Content-Type: application/pdf)"
    assert html_problem("application/rss+xml", b"<rss>") == (
        "not HTML (Content-Type: application/rss+xml); if it is a feed, give it with --feed")
    assert html_problem("", b"{}") == "not HTML (Content-Type: none)"


RSS_FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Test RSS</title>
<item><title>Alpha</title><link>{base}/news/a?utm_source=rss</link>
  <pubDate>Wed, 15 May 2024 20:41:00 +0300</pubDate></item>
<item><title>Secret</title><link>{base}/private/secret</link></item>
<item><title>Relative</title><link>/news/c</link></item>
<item><title>Guid only</title><guid>{base}/news/e/</guid></item>
</channel></rss>"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Test Atom</title><id>urn:test</id><updated>2024-05-16T00:00:00Z</updated>
<entry><title>Delta</title><id>urn:d</id><link rel="alternate" href="/old"/>
  <link rel="enclosure" href="/file.pdf"/><updated>2024-05-16T10:00:00Z</updated></entry>
<entry><title>Alpha again</title><id>urn:a</id><link href="{base}/news/a#top"/>
  <updated>2024-05-16T11:00:00Z</updated></entry>
</feed>"""


def test_parse_rss_and_atom():
    rss = parse_feed(RSS_FEED.format(base="http://h.test").encode(), "http://h.test/feeds/rss.xml", RSS)
    assert rss.title == "Test RSS" and rss.warning is None
    assert [i.link for i in rss.items] == ["http://h.test/news/a?utm_source=rss", "http://h.test/private/secret",
                                           "http://h.test/news/c", "http://h.test/news/e/"]
    assert rss.items[0].published == "2024-05-15T17:41:00Z" and rss.items[0].title == "Alpha"
    atom = parse_feed(ATOM_FEED.format(base="http://h.test").encode(), "http://h.test/feeds/atom.xml", ATOM)
    assert [i.link for i in atom.items] == ["http://h.test/old", "http://h.test/news/a#top"]  # alternate, not enclosure
    assert atom.items[0].published == "2024-05-16T10:00:00Z"


@pytest.mark.parametrize("body, message", [
    (b"this is { not a feed", "not an RSS or Atom feed: syntax error"),
    (page("A web page"), "not an RSS or Atom feed"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><item><title>x</ti',
     "malformed feed: unclosed token"),
])
def test_parse_feed_errors(body, message):
    with pytest.raises(FetchError) as caught:
        parse_feed(body, "http://h.test/f", RSS)
    assert str(caught.value).startswith(message)


def test_a_page_given_as_feed_names_the_feeds_it_links_to():
    head = ('<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
            '<link rel="alternate" type="application/atom+xml" href="https://h.test/atom">'
            '<link rel="alternate" hreflang="de" href="/de/">')
    with pytest.raises(FetchError) as caught:
        parse_feed(page("Home", head), "http://h.test/", HTML)
    assert str(caught.value) == "not an RSS or Atom feed; the page links to: http://h.test/rss.xml, https://h.test/atom"


def test_parse_feed_does_not_expand_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
            f'<rss version="2.0"><channel><item><link>http://h.test/a</link><title>t&x;</title></item>'
            f"</channel></rss>").encode()
    [item] = parse_feed(body, "http://h.test/f", RSS).items
    assert "TOP-SECRET" not in (item.title or "")


def test_parse_feed_recovers_items_from_a_broken_feed_with_a_warning():
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>http://h.test/a</link></item><item><ti'
    feed = parse_feed(body, "http://h.test/f", RSS)
    assert [i.link for i in feed.items] == ["http://h.test/a"]
    assert feed.warning == "feed is not well-formed (unclosed token); read 1 item(s) anyway"


# ---------------------------------------------------------------------------------------
# Fetching pages from the local server


def test_saves_html_and_sidecar(site, tmp_path):
    url = site.url("/news/a?utm_source=newsletter#top")
    report = fetch_urls([url], tmp_path, options=FAST)
    assert report.ok and not report.skipped
    [path] = report.saved
    assert path.parent == tmp_path and path.suffix == ".html"
    assert path.read_bytes() == page("Alpha")
    meta = sidecar(path)
    assert meta["url"] == site.url("/news/a")  # tracking parameters and fragment gone
    assert meta["requested_url"] == url
    assert meta["final_url"] == site.url("/news/a?utm_source=newsletter")  # fragments are never sent
    assert meta["canonical_url"] == site.url("/news/a")
    assert meta["last_modified"] == "2024-05-15T18:00:00Z"
    # http.server sends its own clock as Date: both stamps are "now", in UTC.
    now = datetime.now(timezone.utc)
    for stamp in (meta["http_date"], meta["fetched"]):
        assert abs((datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc) - now).total_seconds()) < 10
    assert meta["content_type"] == "text/html" and meta["charset"] == "utf-8"
    assert meta["content_hash"] == hashlib.sha256(page("Alpha")).hexdigest()
    assert meta["feed"] is None
    assert path.stem == article_id(site.url("/news/a"))
    assert (tmp_path / INDEX_NAME).exists()


def test_same_url_is_never_fetched_twice_unless_refresh(site, tmp_path):
    first = fetch_urls([site.url("/news/e/")], tmp_path, options=FAST)
    [path] = first.saved
    variants = [site.url("/news/e"), site.url("/news/e/#x"), site.url("/news/e?fbclid=1&gclid=2"),
                site.url("/news/e/?utm_source=x&utm_medium=y")]
    second = fetch_urls(variants, tmp_path, options=FAST)
    assert not second.saved and not second.errors
    assert [s.reason for s in second.skipped] == ["already fetched"] * 4
    assert {s.article for s in second.skipped} == {path.stem}
    assert site.paths() == ["/news/e/"]  # the variants cost the server nothing
    third = fetch_urls([site.url("/news/e/?utm_source=x")], tmp_path, refresh=True, options=FAST)
    assert third.saved == (path,)  # same id, overwritten
    assert site.paths() == ["/news/e/", "/news/e/?utm_source=x"]


def test_rel_canonical_makes_one_article(site, tmp_path):
    report = fetch_urls([site.url("/news/a"), site.url("/amp/a")], tmp_path, options=FAST)
    assert len(report.saved) == 1
    [skip] = report.skipped
    assert skip.url == site.url("/amp/a") and skip.reason == f"same page as {report.saved[0].stem}"
    again = fetch_urls([site.url("/amp/a?utm_source=x")], tmp_path, options=FAST)  # alias remembered
    assert again.skipped[0].reason == "already fetched" and site.paths().count("/amp/a") == 1


def test_rel_canonical_sets_the_link_when_fetched_first(site, tmp_path):
    [path] = fetch_urls([site.url("/amp/a")], tmp_path, options=FAST).saved
    assert sidecar(path)["url"] == site.url("/news/a")  # utm_source=amp dropped from the canonical
    assert path.stem == article_id(site.url("/news/a"))


def test_canonical_pointing_at_home_page_is_ignored(site, tmp_path):
    [path] = fetch_urls([site.url("/home-canonical")], tmp_path, options=FAST).saved
    assert sidecar(path)["canonical_url"] == site.url("/home-canonical")


def test_same_content_under_two_urls_is_saved_once(site, tmp_path):
    report = fetch_urls([site.url("/news/b"), site.url("/copy/b")], tmp_path, options=FAST)
    assert len(report.saved) == 1 and not report.errors
    assert report.skipped[0].reason == f"duplicate content of {report.saved[0].stem}"
    assert fetch_urls([site.url("/copy/b")], tmp_path, options=FAST).skipped[0].reason == "already fetched"


def test_redirect_is_followed_and_both_addresses_remembered(site, tmp_path):
    [path] = fetch_urls([site.url("/old")], tmp_path, options=FAST).saved
    meta = sidecar(path)
    assert meta["final_url"] == site.url("/news/d") and meta["requested_url"] == site.url("/old")
    assert fetch_urls([site.url("/news/d")], tmp_path, options=FAST).skipped[0].reason == "already fetched"


def test_redirect_limit(site, tmp_path):
    for n in range(1, 8):
        site.routes[f"/hop{n}"] = (302, {"Location": f"/hop{n + 1}"}, b"")
    report = fetch_urls([site.url("/hop1")], tmp_path, options=FAST)
    assert one_error(report, site.url("/hop1")) == f"more than 5 redirects (last to {site.url('/hop7')})"
    assert site.paths() == [f"/hop{n}" for n in range(1, 7)]  # the first request and 5 redirects


def test_redirect_loop_is_one_line_after_one_round(site, tmp_path):
    report = fetch_urls([site.url("/loop1"), site.url("/news/c")], tmp_path, options=FAST)
    loop = " -> ".join(site.url(p) for p in ("/loop1", "/loop2", "/loop1"))
    assert one_error(report, site.url("/loop1")) == f"redirect loop: {loop}"
    assert site.paths().count("/loop1") == 1 and len(report.saved) == 1  # and the run went on


def test_robots_txt_disallow(site, tmp_path):
    url = site.url("/private/secret")
    report = fetch_urls([url, site.url("/news/c")], tmp_path, options=FAST)
    assert one_error(report, url) == "disallowed by robots.txt"  # asked for by the user: an error
    assert len(report.saved) == 1
    assert "/private/secret" not in site.paths()
    assert [h.path for h in site.hits].count("/robots.txt") == 1  # read once per run and origin


def test_robots_txt_server_error_means_keep_out(serve, tmp_path):
    down = serve()
    down.routes["/robots.txt"] = (503, {}, b"")
    down.routes["/a"] = (200, HTML, page("A"))
    report = fetch_urls([down.url("/a")], tmp_path, options=FAST)
    assert one_error(report, down.url("/a")) == "robots.txt unavailable (HTTP 503); not fetched"
    assert down.paths() == []


def test_missing_robots_txt_allows_everything(serve, tmp_path):
    open_site = serve()  # /robots.txt answers 404
    open_site.routes["/a"] = (200, HTML, page("A"))
    assert len(fetch_urls([open_site.url("/a")], tmp_path, options=FAST).saved) == 1


def test_timeout_is_retried_then_reported(site, tmp_path):
    url = site.url("/slow")
    options = FetchOptions(delay=0, timeout=0.4, retries=1, backoff=0.01)
    started = time.monotonic()
    report = fetch_urls([url, site.url("/news/c")], tmp_path, options=options)
    assert one_error(report, url) == "timed out (timeout 0.4s) (after 2 attempts)"
    assert len(report.saved) == 1  # the rest goes on
    assert site.paths().count("/slow") == 2
    assert time.monotonic() - started < 2.9  # did not wait for the server's 3 s


def test_trickling_response_is_cut_off(site, tmp_path):
    # Each chunk arrives well within the timeout, but the whole takes far longer than 3x it.
    site.routes["/trickle"] = (200, {**HTML, "Connection": "close"}, [b"<html>"] + [b"x" * 10] * 40)
    options = FetchOptions(delay=0, timeout=0.4, retries=0)
    started = time.monotonic()
    report = fetch_urls([site.url("/trickle")], tmp_path, options=options)
    assert one_error(report, site.url("/trickle")) == "timed out (timeout 0.4s)"
    assert time.monotonic() - started < 3.5  # not the 4 s the server would take


def test_429_then_200_is_retried(site, tmp_path):
    report = fetch_urls([site.url("/flaky")], tmp_path, options=FAST)
    assert report.ok and len(report.saved) == 1
    assert site.paths() == ["/flaky", "/flaky"]


def test_429_asking_for_too_long_a_wait_is_not_retried_early(site, tmp_path):
    site.routes["/busy"] = (429, {"Retry-After": "3600"}, b"")
    report = fetch_urls([site.url("/busy")], tmp_path, options=FAST)
    assert one_error(report, site.url("/busy")) == "HTTP 429 Too Many Requests (Retry-After: 3600)"
    assert site.paths() == ["/busy"]


def test_500_is_retried_then_reported(site, tmp_path):
    options = FetchOptions(delay=0, timeout=1, retries=2, backoff=0.01)
    report = fetch_urls([site.url("/broken")], tmp_path, options=options)
    assert one_error(report, site.url("/broken")) == "HTTP 500 Internal Server Error (after 3 attempts)"
    assert site.paths() == ["/broken"] * 3


def test_404_is_not_retried(site, tmp_path):
    report = fetch_urls([site.url("/nowhere")], tmp_path, options=FAST)
    assert one_error(report, site.url("/nowhere")) == "HTTP 404 Not Found"
    assert site.paths() == ["/nowhere"]


def test_non_html_content_is_refused(site, tmp_path):
    report = fetch_urls([site.url("/file.pdf"), site.url("/no-type")], tmp_path, options=FAST)
    assert one_error(report, site.url("/file.pdf")) == "not HTML (Content-Type: application/pdf)"
    assert len(report.saved) == 1  # untyped but clearly HTML
    assert not list(tmp_path.glob("*.pdf*"))


@pytest.mark.parametrize("path, message", [
    ("/huge", "larger than the size cap (200006 > 100000 bytes)"),  # says so up front
    ("/huge-stream", "larger than the size cap (over 100000 bytes)"),  # no Content-Length
])
def test_size_cap(site, tmp_path, path, message):
    report = fetch_urls([site.url(path)], tmp_path, options=FAST)
    assert one_error(report, site.url(path)) == message
    assert report.saved == ()


def test_size_cap_counts_decompressed_bytes(site, tmp_path):
    import gzip

    bomb = gzip.compress(b"<html>" + b"0" * 1_000_000)  # about 1 KB on the wire
    site.routes["/bomb"] = (200, {**HTML, "Content-Encoding": "gzip"}, bomb)
    report = fetch_urls([site.url("/bomb")], tmp_path, options=FAST)
    assert one_error(report, site.url("/bomb")) == "larger than the size cap (over 100000 bytes)"


def test_redirect_into_a_disallowed_path_is_refused(site, tmp_path):
    site.routes["/to-private"] = (302, {"Location": "/private/secret"}, b"")
    report = fetch_urls([site.url("/to-private")], tmp_path, options=FAST)
    assert one_error(report, site.url("/to-private")) == "disallowed by robots.txt"
    assert "/private/secret" not in site.paths()


def test_dns_failure(tmp_path):
    url = "http://-no-such-host-.invalid/news"  # rejected by the resolver library, never sent
    report = fetch_urls([url], tmp_path, options=FAST)
    assert one_error(report, url).startswith(
        "robots.txt unreachable (DNS lookup failed for -no-such-host-.invalid: ")  # then the resolver's words


def test_tls_failure(site, tmp_path):
    url = f"https://127.0.0.1:{site.server_address[1]}/news/a"  # TLS handshake with a plain-HTTP server
    message = one_error(fetch_urls([url], tmp_path, options=FAST), url)
    assert message.startswith("robots.txt unreachable (TLS handshake failed: ")


def test_connection_refused(tmp_path):
    import socket

    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/a"
    message = one_error(fetch_urls([url], tmp_path, options=FAST), url)
    assert message.startswith("robots.txt unreachable (connection failed: ") and "refused" in message


def test_bad_url_is_one_error(tmp_path):
    report = fetch_urls(["not a url", "ftp://h.test/x"], tmp_path, options=FAST)
    assert [p.message for p in report.errors] == ["not an absolute URL", "not an http(s) URL"]


# ---------------------------------------------------------------------------------------
# Feeds


def test_fetch_feeds_rss_and_atom(site, tmp_path):
    site.routes["/feeds/rss.xml"] = (200, RSS, RSS_FEED.format(base=site.base).encode())
    site.routes["/feeds/atom.xml"] = (200, ATOM, ATOM_FEED.format(base=site.base).encode())
    report = fetch_feeds([site.url("/feeds/rss.xml"), site.url("/feeds/atom.xml")], tmp_path, options=FAST)
    saved = {sidecar(p)["canonical_url"]: sidecar(p) for p in report.saved}
    assert set(saved) == {site.url(p) for p in ("/news/a", "/news/c", "/news/e", "/news/d")}
    alpha = saved[site.url("/news/a")]
    assert alpha["feed"] == site.url("/feeds/rss.xml")
    assert alpha["title"] == "Alpha" and alpha["published"] == "2024-05-15T17:41:00Z"
    assert saved[site.url("/news/d")]["feed"] == site.url("/feeds/atom.xml")
    # The site lists it but forbids it: a warning, so that the feed does not fail every run.
    assert report.ok
    assert [(w.path, w.message) for w in report.warnings] == [
        (site.url("/private/secret"), f"disallowed by robots.txt (listed by {site.url('/feeds/rss.xml')})")]
    assert [s.url for s in report.skipped] == [site.url("/news/a#top")]  # in both feeds
    assert "/file.pdf" not in site.paths()  # an enclosure is not the item's page


def test_item_in_two_feeds_failing_is_one_error_and_one_request(site, tmp_path):
    item = f'<rss version="2.0"><channel><item><link>{site.base}/broken</link></item></channel></rss>'.encode()
    site.routes["/f1"] = site.routes["/f2"] = (200, RSS, item)
    report = fetch_feeds([site.url("/f1"), site.url("/f2")], tmp_path, options=FAST)
    assert [p.path for p in report.errors] == [site.url("/broken")]
    assert site.paths().count("/broken") == 2  # first attempt and one retry, once


def test_refresh_fetches_a_url_listed_twice_once(site, tmp_path):
    report = fetch_urls([site.url("/news/c"), site.url("/news/c#again")], tmp_path, refresh=True, options=FAST)
    assert len(report.saved) == 1 and report.skipped[0].reason == "already fetched"
    assert site.paths() == ["/news/c"]


def test_unchanged_feed_costs_one_conditional_request(site, tmp_path):
    body = RSS_FEED.format(base=site.base).replace("/private/secret", "/news/b").encode()
    site.routes["/feed"] = _conditional_feed(body)
    first = fetch_feeds([site.url("/feed")], tmp_path, options=FAST)
    assert len(first.saved) == 4 and first.ok
    umask = os.umask(0)
    os.umask(umask)
    assert {p.stat().st_mode & 0o777 for p in tmp_path.iterdir()} == {0o666 & ~umask}  # ordinary files
    before = len(site.paths())
    second = fetch_feeds([site.url("/feed")], tmp_path, options=FAST)
    assert second.saved == () and second.skipped == () and second.ok
    assert site.paths()[before:] == ["/feed"]
    assert site.hits[-1].headers["if-none-match"] == '"v1"'
    third = fetch_feeds([site.url("/feed")], tmp_path, refresh=True, options=FAST)
    assert len(third.saved) == 4  # --refresh: no conditional request, pages fetched again


def test_feed_with_a_failed_item_is_read_again_next_time(site, tmp_path):
    body = RSS_FEED.format(base=site.base).replace("/private/secret", "/broken").encode()
    site.routes["/feed"] = _conditional_feed(body)
    assert not fetch_feeds([site.url("/feed")], tmp_path, options=FAST).ok
    again = fetch_feeds([site.url("/feed")], tmp_path, options=FAST)
    assert "if-none-match" not in [h for h in site.hits if h.path == "/feed"][-1].headers
    assert one_error(again, site.url("/broken")).startswith("HTTP 500")  # not hidden by a 304


def test_malformed_feed_and_broken_feed(site, tmp_path):
    site.routes["/bad.xml"] = (200, RSS, b"<rss><channel><title>Cut</title><item><title>x</ti")
    site.routes["/html-feed"] = (200, HTML, page("Not a feed"))
    site.routes["/partial.xml"] = (200, RSS, f'<rss version="2.0"><channel><item><link>{site.base}/news/c</link>'
                                             f"</item><item><ti".encode())
    feeds = [site.url("/bad.xml"), site.url("/html-feed"), site.url("/partial.xml"), site.url("/gone.xml")]
    report = fetch_feeds(feeds, tmp_path, options=FAST)
    assert one_error(report, site.url("/bad.xml")) == "malformed feed: unclosed token"
    assert one_error(report, site.url("/html-feed")).startswith("not an RSS or Atom feed")
    assert one_error(report, site.url("/gone.xml")) == "HTTP 404 Not Found"
    [warning] = report.warnings
    assert warning.path == site.url("/partial.xml") and "not well-formed" in warning.message
    assert [sidecar(p)["canonical_url"] for p in report.saved] == [site.url("/news/c")]


# ---------------------------------------------------------------------------------------
# Politeness


def test_user_agent_and_per_host_delay(serve, tmp_path):
    a, b = serve(), serve()
    for server in (a, b):
        for n in range(3):
            server.routes[f"/{n}"] = (200, HTML, page(f"{server.base}/{n}"))
    options = FetchOptions(delay=0.2, timeout=2, retries=0, user_agent="digest-test/1 (+http://127.0.0.1/)")
    urls = [a.url("/0"), a.url("/1"), a.url("/2"), b.url("/0"), b.url("/1")]
    report = fetch_urls(urls, tmp_path, options=options)
    assert len(report.saved) == 5
    for server in (a, b):
        assert {h.headers["user-agent"] for h in server.hits} == {"digest-test/1 (+http://127.0.0.1/)"}
        starts = [h.at for h in server.hits]  # robots.txt counts as a request too
        assert all(later - earlier >= 0.19 for earlier, later in zip(starts, starts[1:]))
    # Interleaved: b's first page did not wait for all of a's.
    order = sorted([(h.at, "a", h.path) for h in a.hits] + [(h.at, "b", h.path) for h in b.hits])
    assert [f"{s}{p}" for _, s, p in order if p != "/robots.txt"] == ["a/0", "b/0", "a/1", "b/1", "a/2"]


def test_robots_crawl_delay_is_honoured(serve, tmp_path):
    server = serve()
    # The group for our product token wins over "*"; FAST has no delay of its own.
    server.routes["/robots.txt"] = (200, {}, b"User-agent: *\nCrawl-delay: 5\n\n"
                                             b"User-agent: digest\nCrawl-delay: 0.3\nDisallow:\n")
    server.routes["/x"] = (200, HTML, page("x"))
    server.routes["/y"] = (200, HTML, page("y"))
    fetch_urls([server.url("/x"), server.url("/y")], tmp_path, options=FAST)
    robots, first, second = [h.at for h in server.hits]
    assert first - robots >= 0.29 and second - first >= 0.29 and second - first < 4


def test_robots_wildcards_and_longest_match(serve, tmp_path):
    server = serve()
    server.routes["/robots.txt"] = (200, {}, b"User-agent: *\nDisallow: /*?print=\nDisallow: /a\n"
                                             b"Allow: /a/ok$\n")
    for path in ("/story", "/a/ok", "/a/no"):
        server.routes[path] = (200, HTML, page(path))
    urls = [server.url(p) for p in ("/story?print=1", "/story", "/a/ok", "/a/no", "/a/ok/more")]
    report = fetch_urls(urls, tmp_path, options=FAST)
    assert [p.path for p in report.errors] == [urls[0], urls[3], urls[4]]
    assert sorted(server.paths()) == ["/a/ok", "/story"]


# ---------------------------------------------------------------------------------------
# State


def test_index_is_rebuilt_from_sidecars(site, tmp_path):
    [path] = fetch_urls([site.url("/old")], tmp_path, options=FAST).saved
    (tmp_path / INDEX_NAME).write_text("{not json")
    report = fetch_urls([site.url("/old"), site.url("/news/d/")], tmp_path, options=FAST)
    assert [s.reason for s in report.skipped] == ["already fetched", "already fetched"]
    [warning] = report.warnings
    assert warning.message.startswith("fetch index unreadable (") and warning.severity == "warning"
    (tmp_path / INDEX_NAME).unlink()
    assert fetch_urls([site.url("/old")], tmp_path, options=FAST).skipped[0].article == path.stem


def test_hand_written_sidecar_with_only_a_url_counts(site, tmp_path):
    (tmp_path / "saved-by-hand.html").write_bytes(page("By hand"))
    (tmp_path / "saved-by-hand.fetch.json").write_text(json.dumps({"url": site.url("/news/c/")}))
    (tmp_path / "broken.fetch.json").write_text("{")
    report = fetch_urls([site.url("/news/c")], tmp_path, options=FAST)
    assert report.skipped[0].article == "saved-by-hand" and site.paths() == []
    [warning] = report.warnings
    assert warning.path == str(tmp_path / "broken.fetch.json") and warning.message.startswith("fetch sidecar unreadable")


def test_interrupted_run_keeps_what_it_saved(site, tmp_path):
    def stop_after_first_save(event):
        if isinstance(event, str) and ": saved " in event:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fetch_urls([site.url("/news/c"), site.url("/news/d")], tmp_path, options=FAST, log=stop_after_first_save)
    index = json.loads((tmp_path / INDEX_NAME).read_text())
    assert list(index["urls"]) == [site.url("/news/c")]
    assert not list(tmp_path.glob(".*.tmp"))  # no half-written file left behind


def test_options_are_validated():
    with pytest.raises(ValueError, match="timeout must be > 0"):
        FetchOptions(timeout=0)
    with pytest.raises(ValueError, match="delay must be >= 0"):
        FetchOptions(delay=-1)


# ---------------------------------------------------------------------------------------
# CLI


def test_cli_fetches_and_exits_1_on_any_error(site, tmp_path):
    result = CliRunner().invoke(fetch_command, [
        site.url("/news/a"), site.url("/nowhere"), "--project", str(tmp_path), "--delay", "0",
        "--timeout", "5", "--retries", "0"])
    assert result.exit_code == 1, result.output
    assert f"{site.url('/nowhere')}: error: HTTP 404 Not Found" in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1 saved, 0 skipped, 1 failed"
    assert len(list((tmp_path / "articles").glob("*.html"))) == 1  # articles/ created
    again = CliRunner().invoke(fetch_command, [site.url("/news/a"), "--project", str(tmp_path), "-q"])
    assert again.exit_code == 0 and again.output == "0 saved, 1 skipped, 0 failed\n"


def test_cli_reads_feeds_and_articles_folder_from_settings(site, tmp_path):
    site.routes["/feed"] = (200, RSS, f'<rss version="2.0"><channel><item><link>{site.base}/news/c</link>'
                                      f"</item></channel></rss>".encode())
    (tmp_path / "digest.yml").write_text(f"articles: input\nfeeds:\n  - {site.url('/feed')}\n")
    result = CliRunner().invoke(fetch_command, ["--project", str(tmp_path), "--delay", "0"])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "input").glob("*.html"))) == 1
    elsewhere = tmp_path / "elsewhere"
    result = CliRunner().invoke(fetch_command, ["--project", str(tmp_path), "--articles", str(elsewhere)])
    assert result.exit_code == 0 and len(list(elsewhere.glob("*.html"))) == 1  # its own index: fetched again


def test_cli_user_agent_from_settings_and_option(site, tmp_path):
    (tmp_path / "digest.yml").write_text('user_agent: "Example Newsroom (+https://newsroom.example/bot)"\n')
    result = CliRunner().invoke(fetch_command, [site.url("/news/a"), "--project", str(tmp_path), "--delay", "0"])
    assert result.exit_code == 0, result.output
    assert {h.headers["user-agent"] for h in site.hits} == {"Example Newsroom (+https://newsroom.example/bot)"}
    before = len(site.hits)
    result = CliRunner().invoke(fetch_command, [site.url("/news/b"), "--project", str(tmp_path), "--delay", "0",
                                                "--user-agent", "desk-bot/2"])
    assert result.exit_code == 0, result.output
    assert {h.headers["user-agent"] for h in site.hits[before:]} == {"desk-bot/2"}  # the option wins


def test_cli_usage_errors(tmp_path):
    result = CliRunner().invoke(fetch_command, ["--project", str(tmp_path)])
    assert result.exit_code == 2
    assert ("nothing to fetch: give URLs, --feed, --opml or --sitemap, or list `feeds:`, `opml:` or "
            "`sitemaps:` in digest.yml") in result.output
    (tmp_path / "digest.yml").write_text("feeds: http://one.test/feed\n")
    result = CliRunner().invoke(fetch_command, ["--project", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / 'digest.yml'}:1:8: error: 'feeds': expected a list of strings\n"


def test_main_cli_has_the_fetch_command():
    from digest.cli import main

    assert main.get_command(None, "fetch") is fetch_command
