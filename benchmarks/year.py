"""A digest that runs daily for a year, simulated: does each daily run stay under a minute, and
does the site stay under GitHub Pages' 1 GB?

    python benchmarks/year.py [--per-day 30] [--days 30,180,365] [--increments 3] [--out FILE]

A local site on 127.0.0.1 publishes `per_day` real BBC articles a day (then varied copies of them,
as benchmarks/run.py makes) as HTML pages with a feed of its newest items and a sitemap of all.
The project is a fresh `digest init`. For each milestone day D it first catches up in bulk (one
`digest fetch --sitemap` of every page up to day D and one `digest build`, from the warm cache of
the previous milestone: this part is set-up, not measured against the minute), then runs
`increments` ordinary days: the feed gains a day's articles, and `digest fetch` (the project's
`feeds:`, as the scheduled workflow runs it) and `digest build` (with the site) are each timed.
It prints, per milestone: articles, each day's fetch and build seconds, the site's size in total
and per article, and the number of site files.

Every run is the real CLI in its own process. The articles of "day N" carry day N's date, counted
back from today, so the site's months are real months.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BIN, ENV, bbc_files, read_bytes, vary  # noqa: E402 (benchmarks is not a package)

OUTLETS = ["Harbour Post", "Valley Courier", "Northern Ledger", "Coastal Wire", "Riverside Herald"]
FEED_ITEMS = 100  # a real feed lists its newest items only


class Pool:
    """Article i of the simulated year: BBC text (varied copies after the first 2,225), a day."""

    def __init__(self, per_day: int, today: datetime, last_day: int):
        self.files = bbc_files()
        if not self.files:
            raise SystemExit("no BBC articles under ../shared/corpus/bbc-news")
        self.per_day = per_day
        self.today = today
        self.last_day = last_day  # the simulation's last day is today: every article keeps one date
        self.published_days = 0  # the days the site has published so far

    def day_of(self, i: int) -> int:
        return i // self.per_day + 1

    def count(self) -> int:
        return self.published_days * self.per_day

    def date(self, i: int) -> datetime:
        # The articles of a day are spread over its working hours.
        return (self.today - timedelta(days=self.last_day - self.day_of(i))
                + timedelta(minutes=7 * (i % self.per_day)))

    def page(self, i: int) -> bytes:
        source = self.files[i % len(self.files)]
        text = read_bytes(source)
        round_ = i // len(self.files)
        if round_:
            text = vary(text, round_, random.Random(i))
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        title, paragraphs = lines[0], lines[1:]
        when = self.date(i).isoformat(timespec="seconds")
        outlet = OUTLETS[i % len(OUTLETS)]
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        return (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)}</title>"
                f'<meta property="og:site_name" content="{outlet}">'
                f'<meta property="article:published_time" content="{when}"></head>'
                f"<body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>").encode()

    def title(self, i: int) -> str:
        return read_bytes(self.files[i % len(self.files)]).strip().splitlines()[0].strip()


def serve(pool: Pool) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = self.path.split("?")[0]
            n = pool.count()
            if path.startswith("/a/") and path.endswith(".html") and path[3:-5].isdigit() and int(path[3:-5]) < n:
                self.reply(200, "text/html; charset=utf-8", pool.page(int(path[3:-5])))
            elif path == "/feed.xml":
                self.reply(200, "application/rss+xml", self.feed(range(n - 1, max(-1, n - 1 - FEED_ITEMS), -1)))
            elif path == "/sitemap.xml":
                urls = "".join(f"<url><loc>{base}/a/{i}.html</loc></url>" for i in range(n))
                self.reply(200, "application/xml",
                           f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                           f"{urls}</urlset>".encode())
            else:
                self.reply(404, "text/plain", b"not found")

        def feed(self, items: range) -> bytes:
            out = []
            for i in items:
                when = pool.date(i).strftime("%a, %d %b %Y %H:%M:%S +0000")
                out.append(f"<item><title>{html.escape(pool.title(i))}</title><link>{base}/a/{i}.html</link>"
                           f"<guid>{base}/a/{i}.html</guid><pubDate>{when}</pubDate></item>")
            return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Simulated news</title>'
                    f"<link>{base}/</link>{''.join(out)}</channel></rss>").encode()

        def reply(self, status: int, ctype: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that hangs up early (digest fetch's size checks) is no news here

    server = Server(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


def run(cmd: list[str], cwd: Path) -> float:
    env = dict(ENV, NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # 1: the build went through with warnings
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed


def site_size(site: Path) -> tuple[int, int]:
    total = files = 0
    for root, _, names in os.walk(site):
        for name in names:
            total += os.path.getsize(os.path.join(root, name))
            files += 1
    return total, files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-day", type=int, default=30)
    parser.add_argument("--days", default="30,180,365", help="milestone days, comma-separated")
    parser.add_argument("--increments", type=int, default=3, help="daily runs timed at each milestone")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the project folder (printed)")
    args = parser.parse_args()
    milestones = sorted(int(d) for d in args.days.split(","))
    today = datetime.now(timezone.utc).replace(hour=6, minute=0, second=0, microsecond=0)
    pool = Pool(args.per_day, today, milestones[-1] + args.increments)
    server, base = serve(pool)
    folder = Path(tempfile.mkdtemp(prefix="digest-year-"))
    project = folder / "news"
    digest = str(BIN / "digest")
    results = []
    try:
        run([digest, "init", str(project)], folder)
        (project / "digest.yml").write_text(f"feeds:\n  - {base}/feed.xml\n", encoding="utf-8")
        fetch = [digest, "fetch", "--delay", "0", "--quiet", "--max-per-source", "1000000"]
        build = [digest, "build", "--quiet"]
        print(f"simulated year: {args.per_day} articles a day, milestones {milestones}, project {project}")
        for day in milestones:
            pool.published_days = day
            bulk_fetch = run([*fetch, "--sitemap", f"{base}/sitemap.xml"], project) if day else 0.0
            bulk_build = run(build, project) if day else 0.0
            days = []
            for _ in range(args.increments):
                pool.published_days += 1
                f = run(fetch, project)
                b = run(build, project)
                days.append({"fetch_s": round(f, 1), "build_s": round(b, 1)})
            size, files = site_size(project / "site")
            articles = pool.count()
            row = {"day": day, "articles": articles, "bulk_fetch_s": round(bulk_fetch, 1),
                   "bulk_build_s": round(bulk_build, 1), "daily": days, "site_bytes": size,
                   "site_files": files, "kb_per_article": round(size / 1024 / articles, 1)}
            results.append(row)
            daily = ", ".join(f"fetch {d['fetch_s']} s + build {d['build_s']} s" for d in days)
            print(f"day {day}: {articles} articles; caught up in {bulk_fetch:.0f} s + {bulk_build:.0f} s; "
                  f"daily runs: {daily}; site {size / 1e6:.0f} MB ({row['kb_per_article']} KB/article, "
                  f"{files} files)", flush=True)
    finally:
        server.shutdown()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    worst = max(d["build_s"] + d["fetch_s"] for r in results for d in r["daily"])
    biggest = max(r["site_bytes"] for r in results)
    print(f"slowest daily run (fetch + build): {worst:.1f} s (target < 60); largest site: "
          f"{biggest / 1e9:.2f} GB (target < 1)")
    if args.out:
        args.out.write_text(json.dumps({"per_day": args.per_day, "results": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
