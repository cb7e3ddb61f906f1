"""Key facts on real clusters (news-cluster-dev against its gold): figures at or above their
floors, measured on the corpus the floors were recorded on; and floors never go down."""

from __future__ import annotations

import json
import subprocess

import pytest

from digest.eval import AREAS, BASELINES, below_floor, corpus_hash, floors, recorded_corpus
from digest.eval.dev_facts import CORPUS, GOLD, measure

from conftest import REPO


@pytest.mark.slow  # builds the 185 records (analyses cached between runs on one machine)
def test_dev_fact_figures_hold_their_floors(shared):
    assert recorded_corpus("dev_facts") == {
        "news-cluster-dev + gold": corpus_hash(shared.joinpath(*CORPUS), shared.joinpath(*GOLD))
    }, "the corpus changed: its floors were measured on another one"
    figures = measure(shared)
    assert below_floor("dev_facts", figures) == []


def _committed(rev: str, area: str) -> dict | None:
    path = (BASELINES / f"{area}.json").relative_to(REPO).as_posix()
    proc = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=REPO, capture_output=True, text=True)
    if proc.returncode != 0:
        return None  # no such commit (a shallow clone) or the file is new there
    return {k: v for k, v in json.loads(proc.stdout).items() if not k.startswith("_")}


@pytest.mark.parametrize("area", AREAS)
def test_floors_only_go_up(area):
    """Against the last commit (an edit in the working tree) and the last commit against its
    parent (a commit that lowered a floor): no floor is lower, none has gone."""
    pairs = [(floors(area), _committed("HEAD", area)), (_committed("HEAD", area), _committed("HEAD~1", area))]
    for now, before in pairs:
        if now is None or before is None:
            continue
        lowered = {k: (before[k], now.get(k)) for k in before if now.get(k) is None or now[k] < before[k]}
        assert lowered == {}, f"{area}: floors lowered or removed (before, now): {lowered}"
