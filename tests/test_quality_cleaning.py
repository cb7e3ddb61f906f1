"""Quality gate for reading and cleaning: every figure of digest.eval.cleaning stays at or above its
floor in digest/eval/baselines/cleaning.json (seeds 5/5, HTML benchmark, boilerplate left)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import shared_path

from digest.eval import cleaning

BASELINE = Path(cleaning.__file__).parent / "baselines" / "cleaning.json"


@pytest.fixture(scope="module")
def figures(shared: Path) -> dict[str, float]:
    for part in ("seeds", "seeds.gold.yml", "article-extraction-benchmark", "news-cluster-dev"):
        shared_path("corpus", part)  # fails under CI when a part of the corpus is missing
    return cleaning.measure(shared)


FLOORS = json.loads(BASELINE.read_text(encoding="utf-8"))


@pytest.mark.slow  # about 20 s: two trafilatura passes over 181 pages; runs in the normal suite
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_figure_not_below_floor(figures: dict[str, float], name: str):
    assert figures[name] >= FLOORS[name] - 1e-9, f"{name} = {figures[name]:.4f} fell below its floor {FLOORS[name]}"


def test_baseline_covers_every_measured_figure(figures: dict[str, float]):
    assert set(FLOORS) == set(figures)


def test_seed_report_lists_every_article(shared: Path):
    report = cleaning.seeds_agreement(shared)
    assert report["articles_ok"] == report["articles"] == 5
    assert all(all(checks.values()) for checks in report["per_article"].values())


def test_main_prints_the_three_figures(shared: Path, capsys):
    assert cleaning.main([str(shared)]) == 0
    out = capsys.readouterr().out
    assert "articles agreeing: 5/5" in out
    assert "ours" in out and "trafilatura" in out
    assert "total" in out
