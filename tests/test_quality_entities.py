"""Entity quality gate: every figure of digest.eval.entities at or above its committed floor."""

from __future__ import annotations

import pytest

from digest.eval import below_floor, floors
from digest.eval.entities import measure

pytestmark = pytest.mark.slow  # analyses the seeds and the 185 news-cluster-dev articles (~1 min)


def test_floors_are_recorded():
    assert floors("entities")["seeds_checks_ratio"] == 1.0


def test_entity_figures_hold_their_floors(shared):
    figures = measure(shared)
    assert below_floor("entities", figures) == []
    assert figures["seeds_checks_passed"] == 25
