"""Quality of the key-facts table on the five seed articles against seeds.gold.yml `facts`.

Runs the product's stages on ../shared/corpus/seeds (readers -> clean -> nlp.analyse ->
entities.build_index -> stories.build_stories), finds the seed story, and checks each gold row
by the gold header's rules: every `match` item occurs in the row's label, value or a source's
reported text; the row lists every `sources` article and no article outside sources+optional;
`reported` words occur in that article's cell. Prints the whole table so junk rows can be judged.
`python -m digest.eval.facts`
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

import yaml

from ..model import Fact, Story
from . import default_shared
from .stages import run_stages


def _norm(text: str) -> str:
    return (text or "").lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def _item_found(item, fact: Fact) -> bool:
    hay = [_norm(fact.label), _norm(fact.value)] + [_norm(s.text) for s in fact.sources]
    options = item if isinstance(item, list) else [item]
    return any(_norm(str(o)) in h for o in options for h in hay)


def check_row(gold: dict, fact: Fact) -> list[str]:
    """Problems of one fact row against one gold row ([] = a correct row)."""
    problems = []
    listed = {s.article[:3] for s in fact.sources}
    required = set(gold.get("sources") or [])
    allowed = required | set(gold.get("optional") or [])
    if required - listed:
        problems.append(f"missing sources {sorted(required - listed)}")
    if listed - allowed:
        problems.append(f"false sources {sorted(listed - allowed)}")
    for art, words in (gold.get("reported") or {}).items():
        cell = next((s for s in fact.sources if s.article.startswith(str(art))), None)
        if cell is None or _norm(words) not in _norm(cell.text):
            problems.append(f"{art} cell lacks {words!r}")
    return problems


def match_gold(gold_rows: Sequence[dict], facts: Sequence[Fact]) -> list[tuple[dict, Fact | None, list[str]]]:
    """For each gold row: the best fact row (a correct one if any) and its problems."""
    out = []
    for gold in gold_rows:
        candidates = [f for f in facts if all(_item_found(i, f) for i in gold["match"])]
        judged = sorted(((check_row(gold, f), f) for f in candidates), key=lambda t: len(t[0]))
        if judged:
            out.append((gold, judged[0][1], judged[0][0]))
        else:
            out.append((gold, None, ["no row matches " + repr(gold["match"])]))
    return out


def run(shared: Path) -> tuple[Story | None, tuple[Story, ...], list[dict], list[str]]:
    from digest.aggregate import build_stories

    folder = shared / "corpus" / "seeds"
    analysed, index, notes = run_stages(folder, folder.parent)
    stories = build_stories(analysed, index)
    gold = yaml.safe_load((shared / "corpus" / "seeds.gold.yml").read_text())["facts"]
    story = max(stories, key=lambda s: len(s.articles)) if stories else None
    return story, stories, gold, notes


def measure(shared: Path) -> dict[str, float]:
    story, stories, gold, _ = run(shared)
    results = match_gold(gold, story.facts if story else ())
    correct = sum(1 for _, f, p in results if f is not None and not p)
    return {
        "gold_rows_correct": correct,
        "gold_rows_correct_share": correct / len(gold),
        "seeds_in_one_story": 1.0 if len(stories) == 1 and story and len(story.articles) == 5 else 0.0,
    }


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else default_shared()
    story, stories, gold, notes = run(shared)
    if notes:
        print("WARNING: not the product's figures, stages fell back:", "; ".join(notes))
    print(f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'} from the 5 seeds"
          + (f"; the largest has {len(story.articles)} articles" if story else ""))
    if story is None:
        return
    results = match_gold(gold, story.facts)
    correct = sum(1 for _, f, p in results if f is not None and not p)
    print(f"\nGold rows found with exactly the right sources: {correct}/{len(gold)}")
    for g, fact, problems in results:
        mark = "ok " if fact is not None and not problems else "BAD"
        where = f"{fact.id} [{', '.join(s.article[:3] for s in fact.sources)}]" if fact else "-"
        print(f"  {mark} {g['id']:14} -> {where}" + (f"  ({'; '.join(problems)})" if problems else ""))
    print(f"\nStory {story.id!r}: {len(story.facts)} rows "
          f"(republished: {', '.join(f'{k[:3]}<-{v[:3]}' for k, v in story.republished.items()) or 'none'})")
    for f in story.facts:
        cells = "; ".join(f"{s.article[:3]}{'*' if s.republished_from else ''}: {s.text[:60]}" for s in f.sources)
        print(f"  {f.status:8} {f.id:44} {f.label[:28]:28} = {f.value[:40]!r}\n           {cells}")
    print("\nSummary:")
    for s in story.summary:
        print(f"  - {s.text} [{', '.join(a[:3] for a in s.articles)}]")
    print("Timeline:")
    for t in story.timeline:
        print(f"  {t.date}: {t.text} [{', '.join(a[:3] for a in t.articles)}]")


if __name__ == "__main__":
    main()
