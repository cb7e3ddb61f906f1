"""Quality gate for digest fetch: real benchmark pages served from 127.0.0.1, figures >= floors."""

from __future__ import annotations

import pytest

from digest.eval import below_floor, floors
from digest.eval.fetch import measure


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "*")  # every request stays on 127.0.0.1


def test_fetch_figures_hold_their_floors(shared):
    figures = measure(shared)
    assert set(floors("fetch")) <= set(figures)
    assert below_floor("fetch", figures) == []
