"""Key facts on real clusters: the news-cluster-dev stories against news-cluster-dev.gold.yml.

The product's own build (readers, cleaning, analysis with its cache, aggregation; no overrides)
over ../shared/corpus/news-cluster-dev, then, for the 12 events the gold describes (its header
gives the rules):

- gold facts found with exactly the right sources and status: a row whose text (label, value,
  cells) holds an option of every `match` list, that cites every `sources` article, no article
  outside `sources` + `optional`, with the gold `status`; for a conflict, each `reported`
  article's cell holds one of its words. Loosely: such a row exists and cites at least half of
  the `sources`.
- gold conflicts found with each outlet's value: the conflict facts among those found exactly.
- traps avoided: a trap is hit when a row (for `must_not: conflict`, a conflict row) has a cell
  from the trap's article whose words sit inside the trap's words, in a sentence that holds them.
- conflict precision: conflict rows of the events' stories that match a gold conflict fact.

An event's rows are those of every story holding one of its articles. Article ids in the gold are
the first four characters of the record file names. `python -m digest.eval.dev_facts [SHARED]`
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from digest import pipeline
from digest.config import Settings
from digest.model import AnalysedArticle, Digest, Fact, Overrides, Story

from . import default_shared

CORPUS = ("corpus", "news-cluster-dev")
GOLD = ("corpus", "news-cluster-dev.gold.yml")


def _norm(text: object) -> str:
    text = str(text or "").lower()
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("\u00a0", " ")):
        text = text.replace(a, b)
    return " ".join(text.split())


def _short(article_id: str) -> str:
    return article_id[:4]


@dataclass(frozen=True)
class Build:
    digest: Digest
    analysed: dict[str, AnalysedArticle]  # short id -> analysis


def build(shared: Path) -> Build:
    """The product's build of the dev corpus (see build_folder)."""
    digest, analysed = build_folder(shared.joinpath(*CORPUS), "dev")
    return Build(digest=digest, analysed={_short(k): a for k, a in analysed.items()})


def build_folder(folder: Path, name: str) -> tuple[Digest, dict[str, AnalysedArticle]]:
    """The product's build of a folder of articles (no overrides): the digest and each article's
    analysis by id, analyses cached in the system's temporary folder (keyed by the folder's path:
    the cache itself keys every entry on content, model and code)."""
    cache = Path(tempfile.gettempdir()) / "digest-eval-cache" / hashlib.sha256(str(folder).encode()).hexdigest()[:12]
    project = cache / "project"
    project.mkdir(parents=True, exist_ok=True)
    settings = Settings(project=project, articles=folder, docs=project / "docs", site=project / "site",
                        overrides=project / "overrides.yml", mkdocs_config=project / "mkdocs.yml", cache=cache)
    overrides = Overrides()
    inputs = pipeline.read_and_clean(settings, overrides)
    analyses = pipeline.analyse_cached(inputs.final, settings)
    digest = pipeline.aggregate(analyses.analysed, inputs.final, overrides, name).digest
    return digest, {a.article.id: a for a in analyses.analysed}


def _row_text(fact: Fact) -> list[str]:
    return [_norm(fact.label), _norm(fact.value)] + [_norm(s.text) for s in fact.sources]


def _matches(gold: dict, fact: Fact) -> bool:
    hay = _row_text(fact)
    return all(any(_norm(option) in h for option in (item if isinstance(item, list) else [item]) for h in hay)
               for item in gold["match"])


def _cited(fact: Fact) -> set[str]:
    return {_short(s.article) for s in fact.sources}


def check(gold: dict, fact: Fact) -> list[str]:
    """Problems of one row against one gold fact ([] = found exactly)."""
    problems = []
    cited = _cited(fact)
    required = {str(a) for a in gold.get("sources") or ()}
    allowed = required | {str(a) for a in gold.get("optional") or ()}
    if required - cited:
        problems.append(f"missing {sorted(required - cited)}")
    if cited - allowed:
        problems.append(f"stray {sorted(cited - allowed)}")
    if fact.status != gold["status"]:
        problems.append(f"status {fact.status} (gold {gold['status']})")
    for article, words in (gold.get("reported") or {}).items():
        cells = [_norm(s.text) + " " + _norm(s.value) for s in fact.sources if _short(s.article) == str(article)]
        if not any(_norm(w) in c for w in words for c in cells):
            problems.append(f"{article} cell lacks {words}")
    return problems


def _loose(gold: dict, fact: Fact) -> bool:
    required = {str(a) for a in gold.get("sources") or ()}
    return len(required & _cited(fact)) * 2 >= len(required)


def event_stories(digest: Digest, event: dict) -> list[Story]:
    wanted = {str(a) for a in event["articles"]}
    return [s for s in digest.stories if wanted & {_short(a) for a in s.articles}]


def _sentences(analysed: AnalysedArticle | None, paragraph: int) -> list[str]:
    if analysed is None:
        return []
    article = analysed.article
    if paragraph == -1:
        return [article.title or ""]
    if paragraph == -2:
        return [article.standfirst or ""]
    return [text for p, text in analysed.sentences if p == paragraph] or \
        ([article.paragraphs[paragraph]] if 0 <= paragraph < len(article.paragraphs) else [])


def trap_hits(trap: dict, facts: Sequence[Fact], analysed: dict[str, AnalysedArticle]) -> list[Fact]:
    words = _norm(trap["text"])
    hits = []
    for fact in facts:
        if trap["must_not"] == "conflict" and fact.status != "conflict":
            continue
        for source in fact.sources:
            if _short(source.article) != str(trap["article"]) or not source.text:
                continue
            cell = _norm(source.text)
            near = any(words in _norm(s) for s in _sentences(analysed.get(_short(source.article)), source.paragraph))
            if near and (cell in words or words in cell):
                hits.append(fact)
                break
    return hits


@dataclass
class EventResult:
    name: str
    found: list[tuple[dict, Fact | None, list[str]]]
    loose: int
    traps: list[tuple[dict, list[Fact]]]
    conflict_rows: list[tuple[Fact, bool]]  # (row, confirmed by a gold conflict)


def evaluate(result: Build, gold: dict) -> list[EventResult]:
    out = []
    for name, event in gold["events"].items():
        facts = [f for s in event_stories(result.digest, event) for f in s.facts]
        found, loose = [], 0
        for g in event.get("facts") or ():
            candidates = [f for f in facts if _matches(g, f)]
            judged = sorted(((check(g, f), f) for f in candidates), key=lambda t: len(t[0]))
            found.append((g, judged[0][1], judged[0][0]) if judged else (g, None, ["no row matches"]))
            loose += any(_loose(g, f) for f in candidates)
        traps = [(t, trap_hits(t, facts, result.analysed)) for t in event.get("traps") or ()]
        gold_conflicts = [g for g in event.get("facts") or () if g["status"] == "conflict"]
        conflict_rows = [(f, any(_matches(g, f) for g in gold_conflicts)) for f in facts if f.status == "conflict"]
        out.append(EventResult(name, found, loose, traps, conflict_rows))
    return out


def figures(events: Sequence[EventResult]) -> dict[str, float]:
    gold_facts = sum(len(e.found) for e in events)
    exact = sum(1 for e in events for _, f, p in e.found if f is not None and not p)
    conflicts = [(g, f, p) for e in events for g, f, p in e.found if g["status"] == "conflict"]
    traps = [hits for e in events for _, hits in e.traps]
    rows = [ok for e in events for _, ok in e.conflict_rows]
    return {
        "gold_facts_exact": exact,
        "gold_facts_exact_share": exact / gold_facts if gold_facts else 0.0,
        "gold_facts_loose": sum(e.loose for e in events),
        "gold_conflicts_found": sum(1 for _, f, p in conflicts if f is not None and not p),
        "traps_avoided": sum(1 for hits in traps if not hits),
        "traps_avoided_share": sum(1 for hits in traps if not hits) / len(traps) if traps else 1.0,
        "conflict_rows": len(rows),
        "conflict_precision": sum(rows) / len(rows) if rows else 1.0,
    }


def _gold(shared: Path) -> dict:
    return yaml.safe_load(shared.joinpath(*GOLD).read_text(encoding="utf-8"))


def measure(shared: Path) -> dict[str, float]:
    return figures(evaluate(build(shared), _gold(shared)))


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else default_shared()
    gold = _gold(shared)
    events = evaluate(build(shared), gold)
    for e in events:
        exact = sum(1 for _, f, p in e.found if f is not None and not p)
        print(f"\n{e.name}: {exact}/{len(e.found)} facts exact, {e.loose} loose; "
              f"traps hit {sum(1 for _, h in e.traps if h)}/{len(e.traps)}; "
              f"conflict rows {sum(ok for _, ok in e.conflict_rows)}/{len(e.conflict_rows)} confirmed")
        for g, fact, problems in e.found:
            mark = "ok " if fact is not None and not problems else "-- "
            row = f"{fact.id} [{fact.status}: {', '.join(sorted(_cited(fact)))}]" if fact else ""
            print(f"  {mark}{g['id']:24} {row}" + (f"  ({'; '.join(problems)})" if problems else ""))
        for trap, hits in e.traps:
            if hits:
                print(f"  TRAP {trap['article']} {trap['text']!r} ({trap['must_not']}) in {', '.join(f.id for f in hits)}")
        for fact, ok in e.conflict_rows:
            if not ok:
                cells = "; ".join(f"{_short(s.article)}: {s.text[:40]}" for s in fact.sources)
                print(f"  UNCONFIRMED CONFLICT {fact.id} ({fact.label}) {cells}")
    print()
    for name, value in figures(events).items():
        print(f"{name:<28} {value:.4f}" if isinstance(value, float) else f"{name:<28} {value}")


if __name__ == "__main__":
    main()
