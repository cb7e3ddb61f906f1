"""How long the site search takes to show its first results, in a real browser.

    python benchmarks/search_latency.py SITE_DIR [QUERY ...]

Serves SITE_DIR under /sub/ on 127.0.0.1 and drives Debian's Chromium (Playwright with
executable_path; never `playwright install`). For each query, a fresh page is loaded, the
search box clicked, the query typed key by key (as a reader does, 60 ms apart), and the time
from the last key to the first result on screen measured. Prints one JSON object.

Works with digest's Pagefind search (`.dg-search`) and with Material's lunr search (the sites
built before it), so the two can be compared side by side.
"""

from __future__ import annotations

import functools
import http.server
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(site: Path):
    """An HTTP server for `site` under /sub/; returns (base URL, stop function)."""
    root = Path(tempfile.mkdtemp(prefix="digest-search-"))
    (root / "sub").symlink_to(site.resolve())
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        httpd.shutdown()
        (root / "sub").unlink()
        root.rmdir()
    return f"http://127.0.0.1:{httpd.server_address[1]}/sub/", stop


def measure(site: Path, queries: list[str], page: str = "") -> dict:
    from playwright.sync_api import sync_playwright

    base, stop = serve(site)
    out: dict = {"queries": {}}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                for query in queries:
                    out["queries"][query] = _one(browser, base + page, query)
            finally:
                browser.close()
    finally:
        stop()
    times = [q["seconds"] for q in out["queries"].values()]
    out["max_seconds"] = max(times)
    return out


def _one(browser, url: str, query: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    host = urlsplit(url).netloc
    foreign: list[str] = []

    def route(r):
        if urlsplit(r.request.url).netloc != host:
            foreign.append(r.request.url)
            return r.abort()
        return r.continue_()

    context.route("**/*", route)
    page = context.new_page()
    try:
        page.goto(url, wait_until="networkidle")
        if page.locator(".dg-search__input").count():
            box, result = page.locator(".dg-search__input").first, ".dg-search__result a"
            box.click()
        else:  # Material's lunr search
            page.locator("label.md-search__icon, .md-search__input").first.click()
            box, result = page.locator("input.md-search__input"), ".md-search-result__item a"
        box.press_sequentially(query[:-1], delay=60)
        start = time.perf_counter()
        box.press(query[-1])
        page.wait_for_selector(result, timeout=120_000)
        seconds = time.perf_counter() - start
        hrefs = page.locator(result).evaluate_all("els => els.map(e => e.getAttribute('href'))")
        return {"seconds": round(seconds, 3), "results": hrefs, "foreign_requests": foreign}
    finally:
        context.close()


if __name__ == "__main__":
    site = Path(sys.argv[1])
    print(json.dumps(measure(site, sys.argv[2:] or ["Yury Ushakov"]), indent=1))
