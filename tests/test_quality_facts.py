"""Key-facts quality gate: the seeds' gold rows (seeds.gold.yml `facts`) at or above their floors."""

from __future__ import annotations

import pytest

from digest.eval import below_floor, floors
from digest.eval.facts import measure

pytestmark = pytest.mark.slow  # runs the real stages over the five seeds (~15 s)


def test_floors_are_recorded():
    assert floors("facts")["gold_rows_correct"] == 11


def test_fact_figures_hold_their_floors(shared):
    figures = measure(shared)
    assert below_floor("facts", figures) == []
