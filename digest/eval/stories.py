"""Quality of story grouping: B-cubed precision/recall/F1 against news-cluster's human events.

Runs the product's stages on ../shared/corpus/news-cluster-dev (readers -> clean -> nlp.analyse ->
entities.build_index -> stories.build_stories) and compares each article's story with the
`newsCluster.Event` label of its record. Also lists the conflicts the key-facts tables found there,
for review by eye. `python -m digest.eval.stories`
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Mapping, Sequence

from ..model import Story
from . import default_shared
from .stages import event_of, run_stages

CORPUS = ("corpus", "news-cluster-dev")


def bcubed(predicted: Mapping[str, str], truth: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering (item -> cluster) against the truth."""
    items = [i for i in truth if i in predicted]
    if not items:
        return 0.0, 0.0, 0.0
    pred_size = Counter(predicted[i] for i in items)
    true_size = Counter(truth[i] for i in items)
    both = Counter((predicted[i], truth[i]) for i in items)
    precision = sum(both[(predicted[i], truth[i])] / pred_size[predicted[i]] for i in items) / len(items)
    recall = sum(both[(predicted[i], truth[i])] / true_size[truth[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def truth_of(folder: Path) -> dict[str, str]:
    return {p.stem: event_of(json.loads(p.read_text())) for p in sorted(folder.glob("*.json"))}


def run(shared: Path) -> tuple[tuple[Story, ...], dict[str, str], list[str], dict]:
    from digest.aggregate import build_stories

    folder = shared.joinpath(*CORPUS)
    analysed, index, notes = run_stages(folder, folder.parent)
    stories = build_stories(analysed, index)
    articles = {a.article.id: a.article for a in analysed}
    return stories, truth_of(folder), notes, articles


def measure(shared: Path) -> dict[str, float]:
    stories, truth, _, _ = run(shared)
    return _figures(stories, truth)


def _figures(stories: Sequence[Story], truth: Mapping[str, str]) -> dict[str, float]:
    # An article left out of every story (flagged not_article by cleaning) counts as a story of
    # its own: leaving it out of the measure would flatter the figures.
    predicted = {a: f"(alone) {a}" for a in truth} | {a: s.id for s in stories for a in s.articles}
    p, r, f = bcubed(predicted, truth)
    grouped = {a: s.id for s in stories for a in s.articles}
    only = bcubed(grouped, {a: t for a, t in truth.items() if a in grouped})[2]
    return {"bcubed_precision": round(p, 4), "bcubed_recall": round(r, 4), "bcubed_f1": round(f, 4),
            "bcubed_f1_grouped_articles": round(only, 4)}


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else default_shared()
    stories, truth, notes, articles = run(shared)
    figures = _figures(stories, truth)
    if notes:
        print("WARNING: not the product's figures, stages fell back:", "; ".join(notes))
    in_stories = {a for s in stories for a in s.articles}
    print(f"{len(stories)} stories for {len(set(truth.values()))} true events, {len(truth)} articles")
    left = [a for a in truth if a not in in_stories]
    if left:
        print(f"{len(left)} articles in no story (not_article: {', '.join(sorted(articles[a].not_article or '?' for a in left))}); "
              "each counts as a story of its own")
    for name, value in figures.items():
        print(f"{name}: {value:.4f}")
    print("\nStories (id: size, true events):")
    for s in stories:
        events = Counter(truth.get(a, "?") for a in s.articles)
        print(f"  {s.id}: {len(s.articles)}  {dict(events)}")
    conflicts = [(s, f) for s in stories for f in s.facts if f.status == "conflict"]
    print(f"\nConflicts found: {len(conflicts)} (review each: is it a real disagreement?)")
    for n, (s, f) in enumerate(conflicts, 1):
        print(f"\n[{n}] {s.id} / {f.id}: {f.label} -> {f.value}")
        for src in f.sources:
            art = articles[src.article]
            copy = f" (republished from {src.republished_from})" if src.republished_from else ""
            print(f"    {art.published or 'undated':19} {art.outlet or src.article}{copy}: "
                  f"{src.value!r} in {src.text!r}")


if __name__ == "__main__":
    main()
