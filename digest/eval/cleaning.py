"""Quality figures for reading and cleaning (python -m digest.eval.cleaning [SHARED_DIR]).

1. seeds: agreement of the cleaned seed articles with ../shared/corpus/seeds.gold.yml `articles`
   (title, published, standfirst, first/last words, paragraph count, must_drop);
2. article-extraction benchmark: 4-gram shingle precision/recall/F1 of our HTML reader + cleaning
   over the 181 pages, summed over pages, next to trafilatura alone (default settings), same run;
3. news-cluster-dev: known boilerplate phrases left in the cleaned text, per phrase.
Floors for the figures of `measure` are in digest/eval/baselines/cleaning.json.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from . import default_shared
from digest.cleaning import clean_article, learn_templates
from ..cleaning.text import line_key
from ..model import Article, RawArticle
from ..readers import read_folder
from ..readers.common import InputError, Source
from ..readers.extract import baseline
from ..readers.html import read_decoded

# Phrases that must not survive cleaning (matched as written in title, standfirst and body).
BOILERPLATE = (
    "Read more", "Read More", "READ MORE", "Image copyright", "Image caption", "register with your social account",
    "Media playback is", "Oops!", "Something went wrong", "Advertisement", "Continue reading",
    "Newsletter Sign Up", "Sign up for", "Thanks for subscribing", "Subscribe", "Read or Share this story",
    "Scroll down for video", "Hide Caption", "toggle caption", "JUST WATCHED", "We pay for your stories",
    "All rights reserved", "Your browser does not support", "Getty Images", "Photograph:", "(Photo:",
    "Click here", "Join the conversation", "Follow USA TODAY", "Enlarge this image", "Play slideshow",
    "Slideshow", "Skip Twitter post", "Related stories", "Scroll below for video", "Chat with us",
)
_COMMENTS_LINE = re.compile(r"^comments?$", re.IGNORECASE)
_TOKEN = re.compile(r"\w+")


def measure(shared: Path) -> dict[str, float]:
    seeds = seeds_agreement(shared)
    bench = html_benchmark(shared)
    boiler = boilerplate_left(shared)
    return {
        "seeds_articles_agreeing": float(seeds["articles_ok"]),
        "seeds_checks_agreeing_share": seeds["checks_ok"] / seeds["checks"],
        "html_f1": bench["ours"]["f1"],
        "html_precision": bench["ours"]["precision"],
        "html_recall": bench["ours"]["recall"],
        "html_f1_minus_trafilatura": bench["ours"]["f1"] - bench["trafilatura"]["f1"],
        "boilerplate_removed_share": 1 - boiler["after"] / max(1, boiler["before"]),
    }


# ---------------------------------------------------------------------------------------
# 1. Seeds against the gold file.

def _fold(text: str | None) -> str:
    return line_key(text or "")


def seed_articles(shared: Path) -> list[Article]:
    raws, _ = read_folder(shared / "corpus" / "seeds", shared)
    templates = learn_templates(raws)
    return [clean_article(raw, templates) for raw in raws]


def check_article(article: Article, gold: dict[str, Any]) -> dict[str, bool]:
    body = " ".join(article.paragraphs)
    visible = _fold(" ".join([article.standfirst or "", body]))
    checks = {
        "title": (gold["title"] is None and (article.title is None or article.title_derived))
        or (gold["title"] is not None and _fold(article.title) == _fold(gold["title"]) and not article.title_derived),
        "published": (article.published or None) == (gold["published"] or None),
        "standfirst": _fold(article.standfirst) == _fold(gold.get("standfirst")),
        "body_starts": _fold(body).startswith(_fold(gold["body_starts"])),
        "body_ends": _fold(body).endswith(_fold(gold["body_ends"])),
        "paragraphs": len(article.paragraphs) == gold["paragraphs"],
        "must_drop": all(_fold(p) not in visible for p in gold.get("must_drop") or []),
        "is_article": article.not_article is None,
    }
    if gold["title"] is None:
        checks["title_derived"] = article.title_derived and bool(article.title)
    return checks


def seeds_agreement(shared: Path) -> dict[str, Any]:
    gold = yaml.safe_load((shared / "corpus" / "seeds.gold.yml").read_text(encoding="utf-8"))["articles"]
    by_id = {a.id: a for a in seed_articles(shared)}
    per: dict[str, dict[str, bool]] = {}
    for ident, expected in gold.items():
        article = by_id.get(ident)
        per[ident] = check_article(article, expected) if article else {"read": False}
    checks = sum(len(c) for c in per.values())
    ok = sum(sum(c.values()) for c in per.values())
    return {"per_article": per, "articles_ok": sum(all(c.values()) for c in per.values()),
            "articles": len(gold), "checks": checks, "checks_ok": ok}


# ---------------------------------------------------------------------------------------
# 2. The article-extraction benchmark.

def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text.lower())
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def prf(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Precision/recall/F1 of 4-gram shingles, true/false positives summed over all pages."""
    tp = fp = fn = 0
    for truth, predicted in pairs:
        t, p = shingles(truth), shingles(predicted)
        hit = sum((t & p).values())
        tp += hit
        fp += sum(p.values()) - hit
        fn += sum(t.values()) - hit
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


@functools.lru_cache(maxsize=2)  # measure() and main() in one process share the slow part
def benchmark_texts(shared: Path) -> dict[str, tuple[str, str, str]]:
    """id -> (truth, ours, trafilatura alone)."""
    root = shared / "corpus" / "article-extraction-benchmark"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages: dict[str, str] = {}
    raws: list[RawArticle] = []
    for ident in truth:
        path = root / "html" / f"{ident}.html.gz"
        data = gzip.decompress(path.read_bytes())
        pages[ident] = html = data.decode("utf-8", errors="replace")
        try:
            found, _ = read_decoded(Source(path=path, rel=path.name, stem=ident), html, data)
            raws += found
        except InputError:
            pass
    templates = learn_templates(raws)
    ours = {raw.id: "\n".join(clean_article(raw, templates).paragraphs) for raw in raws}
    return {i: (truth[i]["articleBody"], ours.get(i, ""), baseline(pages[i])) for i in truth}


def html_benchmark(shared: Path) -> dict[str, dict[str, float]]:
    texts = benchmark_texts(shared)
    return {"ours": prf([(t, o) for t, o, _ in texts.values()]),
            "trafilatura": prf([(t, b) for t, _, b in texts.values()]), "pages": {"n": float(len(texts))}}


# ---------------------------------------------------------------------------------------
# 3. Boilerplate left in news-cluster-dev.

def _count(phrase: str, texts: list[str]) -> int:
    """Occurrences as written (case-sensitive, whole words): "advertisements for" in a sentence is not
    the "Advertisement" label."""
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")
    return sum(len(pattern.findall(t)) for t in texts)


def boilerplate_left(shared: Path) -> dict[str, Any]:
    raws, _ = read_folder(shared / "corpus" / "news-cluster-dev", shared)
    templates = learn_templates(raws)
    before = [raw.text for raw in raws]
    after: list[str] = []
    for raw in raws:
        a = clean_article(raw, templates)
        after.append("\n".join([a.title or "", a.standfirst or "", *a.paragraphs]))
    per = {p: (_count(p, before), _count(p, after)) for p in BOILERPLATE}
    per["Comments (line)"] = (sum(bool(_COMMENTS_LINE.match(l)) for t in before for l in t.split("\n")),
                              sum(bool(_COMMENTS_LINE.match(l)) for t in after for l in t.split("\n")))
    return {"per_phrase": per, "before": sum(b for b, _ in per.values()), "after": sum(a for _, a in per.values())}


# ---------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """Print the three figures; argv may name the shared folder (default ../shared)."""
    shared = Path(argv[0]) if argv else default_shared()
    seeds = seeds_agreement(shared)
    print("1. Seeds vs seeds.gold.yml")
    for ident, checks in seeds["per_article"].items():
        failed = [k for k, v in checks.items() if not v]
        print(f"   {ident}: {'ok' if not failed else 'FAILED ' + ', '.join(failed)} "
              f"({sum(checks.values())}/{len(checks)} checks)")
    print(f"   articles agreeing: {seeds['articles_ok']}/{seeds['articles']}; "
          f"checks: {seeds['checks_ok']}/{seeds['checks']}")
    bench = html_benchmark(shared)
    print(f"2. HTML benchmark ({int(bench['pages']['n'])} pages, 4-gram shingles summed over pages)")
    for name in ("ours", "trafilatura"):
        m = bench[name]
        print(f"   {name:<12} precision {m['precision']:.4f}  recall {m['recall']:.4f}  F1 {m['f1']:.4f}")
    boiler = boilerplate_left(shared)
    print("3. news-cluster-dev boilerplate phrases (before -> after cleaning)")
    for phrase, (b, a) in boiler["per_phrase"].items():
        print(f"   {phrase!r:<40} {b:>4} -> {a}")
    print(f"   total {boiler['before']} -> {boiler['after']}")
    return 0 if seeds["articles_ok"] == seeds["articles"] else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
