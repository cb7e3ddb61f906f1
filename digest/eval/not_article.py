"""The not-an-article judgement, both sides (python -m digest.eval.not_article [SHARED_DIR]).

1. BBC News (2,225 real articles, five category folders): every one must be kept as an article.
2. news-cluster-dev against news-cluster-dev.gold.yml: the pages the gold marks NOT A NEWS ARTICLE
   must be flagged (recall); flagged pages among those the gold describes must be such pages
   (precision); no real article of the gold may be flagged. Flagged pages the gold does not
   describe are listed for review.
3. The same records with each text glued into one paragraph (as some scrapers deliver them): a
   real article must neither be flagged nor lose most of its text to one line of furniture.
Floors are in digest/eval/baselines/not_article.json.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from . import default_shared
from ..cleaning import clean_article, learn_templates
from ..cleaning.text import word_count
from ..model import Article, RawArticle
from ..readers import read_folder

NOT_ARTICLE = "NOT A NEWS ARTICLE"
# The corpus the floors were measured on (not a floor: kept beside not_article.json).
RECORDED_CORPUS = json.loads((Path(__file__).parent / "baselines" / "not_article.corpus.json")
                             .read_text(encoding="utf-8"))["corpus_fingerprint"]
LOST_SHARE = 0.5  # a one-paragraph record keeping less than this share of its words was dropped whole


def _clean_all(raws: tuple[RawArticle, ...] | list[RawArticle]) -> list[Article]:
    templates = learn_templates(raws)
    return [clean_article(raw, templates) for raw in raws]


@functools.lru_cache(maxsize=2)
def bbc(shared: Path) -> dict[str, Any]:
    root = shared / "corpus" / "bbc-news"
    raws: list[RawArticle] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        found, _ = read_folder(folder, shared)  # ids repeat across categories: one folder at a time
        raws += [replace(r, id=f"{folder.name}/{r.id}") for r in found]
    flagged = [(a.source_path, a.not_article) for a in _clean_all(raws) if a.not_article]
    return {"articles": len(raws), "flagged": flagged}


def gold_pages(shared: Path) -> dict[str, str]:
    """Article id prefix (4 characters) -> the gold's note about it."""
    gold = yaml.safe_load((shared / "corpus" / "news-cluster-dev.gold.yml").read_text(encoding="utf-8"))
    return {str(k): str(note) for event in gold["events"].values() for k, note in event["articles"].items()}


@functools.lru_cache(maxsize=2)
def dev(shared: Path) -> dict[str, Any]:
    raws, _ = read_folder(shared / "corpus" / "news-cluster-dev", shared)
    notes = gold_pages(shared)
    articles = _clean_all(raws)
    glued = _clean_all([replace(r, text=" ".join(r.text.split())) for r in raws])
    not_pages = {k for k, note in notes.items() if NOT_ARTICLE in note}
    flagged = {a.id[:4]: a.not_article for a in articles if a.not_article}
    in_gold = {k: v for k, v in flagged.items() if k in notes}
    lost = []
    for normal, one in zip(articles, glued):
        key = normal.id[:4]
        if key not in notes or key in not_pages:
            continue
        before = sum(word_count(p) for p in normal.paragraphs)
        after = sum(word_count(p) for p in one.paragraphs)
        if one.not_article or (before and after < LOST_SHARE * before):
            lost.append((normal.id, one.not_article or f"kept {after} of {before} words"))
    real = [k for k in notes if k not in not_pages]
    return {
        "not_pages": sorted(not_pages), "flagged": flagged,
        "true_positives": sorted(k for k in in_gold if k in not_pages),
        "false_positives": sorted((k, v) for k, v in in_gold.items() if k not in not_pages),
        "missed": sorted(k for k in not_pages if k not in flagged),
        "outside_gold": sorted((k, v) for k, v in flagged.items() if k not in notes),
        "real": len(real), "one_paragraph_lost": lost,
    }


def corpus_fingerprint(shared: Path) -> str:
    """sha256 over the names and bytes of the files measured (floors hold for this corpus)."""
    digest = hashlib.sha256()
    root = shared / "corpus"
    files = [*sorted((root / "bbc-news").rglob("*.txt")), *sorted((root / "news-cluster-dev").glob("*.json")),
             root / "news-cluster-dev.gold.yml"]
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def measure(shared: Path) -> dict[str, float]:
    b, d = bbc(shared), dev(shared)
    flagged_in_gold = len(d["true_positives"]) + len(d["false_positives"])
    return {
        "bbc_kept_share": 1 - len(b["flagged"]) / b["articles"],
        "dev_real_kept_share": 1 - len(d["false_positives"]) / d["real"],
        "not_article_precision": len(d["true_positives"]) / flagged_in_gold if flagged_in_gold else 0.0,
        "not_article_recall": len(d["true_positives"]) / len(d["not_pages"]),
        "one_paragraph_real_kept_share": 1 - len(d["one_paragraph_lost"]) / d["real"],
    }


def main(argv: list[str] | None = None) -> int:
    shared = Path(argv[0]) if argv else default_shared()
    b, d = bbc(shared), dev(shared)
    print(f"1. BBC News: {len(b['flagged'])} of {b['articles']} real articles flagged as not articles")
    for path, reason in b["flagged"]:
        print(f"   {path}: {reason}")
    tp, fp = d["true_positives"], d["false_positives"]
    precision = len(tp) / (len(tp) + len(fp)) if tp or fp else 0.0
    print(f"2. news-cluster-dev vs gold: {len(d['not_pages'])} pages marked {NOT_ARTICLE}; "
          f"flagged {len(tp)} of them (recall {len(tp) / len(d['not_pages']):.3f}); "
          f"precision {precision:.3f} ({len(tp)} of {len(tp) + len(fp)} flagged gold pages)")
    print(f"   real articles of the gold flagged: {len(fp)} of {d['real']}")
    for key, reason in fp:
        print(f"   FALSE POSITIVE {key}: {reason}")
    for key in d["missed"]:
        print(f"   MISSED {key}")
    for key in tp:
        print(f"   flagged {key}: {d['flagged'][key]}")
    for key, reason in d["outside_gold"]:
        print(f"   flagged outside the gold (review) {key}: {reason}")
    lost = d["one_paragraph_lost"]
    print(f"3. news-cluster-dev glued into one paragraph per record: {len(lost)} of {d['real']} real "
          f"articles flagged or cut below {LOST_SHARE:.0%} of their words")
    for ident, why in lost:
        print(f"   {ident[:12]}: {why}")
    for name, value in measure(shared).items():
        print(f"   {name:<32} {value:.4f}")
    print(f"   corpus fingerprint {corpus_fingerprint(shared)} (floors recorded for {RECORDED_CORPUS})")
    return 0 if not b["flagged"] and not fp and not d["missed"] and not lost else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
