"""Fetch quality on real pages: the 181 pages of the article-extraction benchmark, served from a
local HTTP server (127.0.0.1 only), fetched with digest.fetch and read back with digest.readers.

`python -m digest.eval.fetch [SHARED]` prints the figures:
- saved_ratio: pages saved on the first run (every page is HTML and under the size cap);
- variants_skipped_unrequested_ratio: the same pages asked for again with tracking parameters
  and a fragment, skipped without a request (canonicalisation);
- copies_skipped_ratio: the same bytes under a second path, fetched but not saved again
  (rel=canonical, else the content hash);
- distinct_ids_ratio: distinct article ids / pages (no two articles wrongly merged into one);
- canonical_found_ratio: pages whose rel=canonical was found and believed;
- canonical_confirms_url_ratio: of those, the share whose canonical equals the benchmark's
  recorded URL after canonicalisation (the rest are syndicated or moved pages: data, not bugs,
  but a parser that mangles URLs drops this figure);
- reader_url_ratio: saved pages the HTML reader reads with the sidecar's url and content hash.
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Mapping

from ..fetch import FetchOptions, fetch_urls
from ..fetch.page import rel_canonical
from ..fetch.urls import canonical_url

BENCHMARK = ("corpus", "article-extraction-benchmark")


def _pages(shared: Path) -> dict[str, tuple[str, bytes]]:
    """key -> (recorded URL, page bytes)."""
    root = shared.joinpath(*BENCHMARK)
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    return {key: (entry["url"], gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes()))
            for key, entry in sorted(truth.items())}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        server: _Server = self.server  # type: ignore[assignment]
        path = self.path.split("?", 1)[0]
        server.requested.append(path)
        key = path.rsplit("/", 1)[-1].removesuffix(".html")
        body = server.bodies.get(key) if path.startswith(("/page/", "/copy/")) else None
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, bodies: Mapping[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.bodies = bodies
        self.requested: list[str] = []


def _reader_figure(articles: Path, saved: list[Path]) -> float:
    from ..readers import read_folder

    raws, _ = read_folder(articles, articles)
    by_id = {raw.id: raw for raw in raws}
    good = 0
    for path in saved:
        side = json.loads(path.with_name(path.stem + ".fetch.json").read_text(encoding="utf-8"))
        raw = by_id.get(path.stem)
        good += bool(raw and raw.meta.url == side["url"] and raw.content_hash == side["content_hash"])
    return good / len(saved) if saved else 0.0


def measure(shared: Path) -> dict[str, float]:
    pages = _pages(shared)
    found = confirms = 0
    for url, body in pages.values():
        declared = rel_canonical(body, url)
        if declared:
            found += 1
            confirms += canonical_url(declared) == canonical_url(url)
    server = _Server({key: body for key, (_, body) in pages.items()})
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    options = FetchOptions(delay=0.0, timeout=10.0, retries=0)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            articles = Path(tmp)
            first = fetch_urls([f"{base}/page/{key}.html" for key in pages], articles, options=options)
            before = len(server.requested)
            variants = fetch_urls([f"{base}/page/{key}.html?utm_source=eval#x" for key in pages], articles,
                                  options=options)
            variant_requests = [p for p in server.requested[before:] if p.startswith("/page/")]
            copies = fetch_urls([f"{base}/copy/{key}.html" for key in pages], articles, options=options)
            saved = list(first.saved)
            reader = _reader_figure(articles, saved)
    finally:
        server.shutdown()
        server.server_close()
    n = len(pages)
    variants_skipped = sum(s.reason == "already fetched" for s in variants.skipped) - len(variant_requests)
    return {
        "saved_ratio": len(saved) / n,
        "variants_skipped_unrequested_ratio": max(variants_skipped, 0) / n,
        "copies_skipped_ratio": len(copies.skipped) / n,
        "distinct_ids_ratio": len({p.stem for p in saved}) / n,
        "canonical_found_ratio": found / n,
        "canonical_confirms_url_ratio": confirms / found if found else 0.0,
        "reader_url_ratio": reader,
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    shared = Path(args[0]) if args else Path(__file__).resolve().parents[2].parent / "shared"
    figures = measure(shared)
    for name, value in figures.items():
        print(f"{name:<36} {value:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
