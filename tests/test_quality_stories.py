"""Story grouping quality gate: B-cubed against news-cluster-dev's human events, at or above floors."""

from __future__ import annotations

import pytest

from digest.eval import below_floor, floors
from digest.eval.stories import bcubed, measure

pytestmark = pytest.mark.slow  # runs the real stages over 185 articles (~1 min)


def test_bcubed_by_hand():
    p, r, f = bcubed({"a": 1, "b": 1, "c": 2}, {"a": "x", "b": "y", "c": "y"})
    assert (round(p, 4), round(r, 4)) == (round(2 / 3, 4), round(2 / 3, 4)) and round(f, 4) == round(2 / 3, 4)
    assert bcubed({"a": 1, "b": 1}, {"a": "x", "b": "x"}) == (1.0, 1.0, 1.0)


def test_floors_are_recorded():
    assert floors("stories")["bcubed_f1"] >= 0.90  # the acceptance line


def test_story_figures_hold_their_floors(shared):
    assert below_floor("stories", measure(shared)) == []
