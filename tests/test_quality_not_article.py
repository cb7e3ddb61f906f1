"""Quality gate for the not-an-article judgement: every figure of digest.eval.not_article stays at
or above its floor in digest/eval/baselines/not_article.json (no BBC article flagged, no real
article of news-cluster-dev flagged or lost when glued into one paragraph, every page the gold
marks NOT A NEWS ARTICLE flagged)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import shared_path

from digest.eval import not_article

BASELINE = Path(not_article.__file__).parent / "baselines" / "not_article.json"
FLOORS = json.loads(BASELINE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def figures(shared: Path) -> dict[str, float]:
    for part in ("bbc-news", "news-cluster-dev", "news-cluster-dev.gold.yml"):
        shared_path("corpus", part)  # fails under CI when a part of the corpus is missing
    return not_article.measure(shared)


@pytest.mark.slow  # about 15 s: cleans the 2,225 BBC articles and news-cluster-dev twice
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_figure_not_below_floor(figures: dict[str, float], name: str):
    assert figures[name] >= FLOORS[name] - 1e-9, f"{name} = {figures[name]:.4f} fell below its floor {FLOORS[name]}"


def test_baseline_covers_every_measured_figure(figures: dict[str, float]):
    assert set(FLOORS) == set(figures)


def test_main_prints_both_sides(shared: Path, capsys):
    assert not_article.main([str(shared)]) == 0
    out = capsys.readouterr().out
    assert "0 of 2225 real articles flagged" in out
    assert "recall 1.000" in out and "precision 1.000" in out


def test_floors_were_recorded_for_this_corpus(shared: Path):
    assert not_article.corpus_fingerprint(shared) == not_article.RECORDED_CORPUS, (
        "the corpus changed since the floors were recorded: re-measure them (python -m digest.eval.not_article)")
