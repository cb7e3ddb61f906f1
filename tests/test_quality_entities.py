"""Entity quality gate: every figure of digest.eval.entities at or above its committed floor,
and the labelled samples behind the false-merge and junk-name figures."""

from __future__ import annotations

import pytest

from digest.eval import below_floor, floors
from digest.eval.entities import (LABELS, SAMPLE_MERGES, SAMPLE_NAMES, fingerprint, load_labels, measure, samples,
                                  sample_scores)
from digest.model import Entity, EntityIndex

SAMPLE_FIGURES = ("cluster_sample_merge_precision", "cluster_sample_name_precision", "bbc_sample_merge_precision",
                  "bbc_sample_name_precision")


def test_floors_are_recorded():
    recorded = floors("entities")
    assert recorded["seeds_checks_ratio"] == 1.0
    assert all(name in recorded for name in SAMPLE_FIGURES)


def test_labels_are_committed():
    merges, names = load_labels("entity_merges"), load_labels("entity_names")
    assert len(merges) >= SAMPLE_MERGES and len(names) >= SAMPLE_NAMES
    assert "Reviewer:" in (LABELS / "entity_names.yml").read_text(encoding="utf-8")


def _index(n: int) -> EntityIndex:
    entities = tuple(Entity(f"e{i:03d}", f"Name {i}", "person", (f"N{i}",) if i % 2 else (),
                            articles=("a", "b") if i % 3 else ("a",)) for i in range(n))
    return EntityIndex(entities=entities, by_article={})


def test_the_draw_depends_only_on_the_seed_and_the_index():
    index = _index(300)
    assert samples(index, 7) == samples(index, 7) and samples(index, 7) != samples(index, 8)
    multi, any_size = samples(index, 7)
    assert len(multi) == SAMPLE_MERGES and len(any_size) == SAMPLE_NAMES
    assert all(len(e.articles) > 1 for e in multi)
    assert fingerprint(index.entities[1]) == "Name 1 | N1"


def test_an_entity_nobody_labelled_counts_as_false():
    index = _index(300)
    multi, any_size = samples(index, 7)
    merges = {fingerprint(e): True for e in multi[1:]}
    names = {fingerprint(e): True for e in any_size[2:]} | {fingerprint(any_size[0]): False}
    scores = sample_scores(index, merges, names, 7)
    assert [e.id for e in scores["false_merges"]] == [multi[0].id]
    assert [e.id for e in scores["junk"]] == [any_size[0].id, any_size[1].id]
    assert scores["unlabelled"] == 2


@pytest.mark.slow  # analyses the seeds, the 185 news-cluster-dev articles and 350 BBC articles (~2 min)
def test_entity_figures_hold_their_floors(shared):
    figures = measure(shared)
    assert below_floor("entities", figures) == []
    assert figures["seeds_checks_passed"] == 25
