"""The key-facts precision audit (digest/eval/audit.py): rows drawn at random from builds the
rules were not shaped on, judged by an independent reviewer (labels committed in
digest/eval/labels/fact_audit.yml, an unlabelled row counting as wrong), at or above their floors."""

from __future__ import annotations

import pytest

from digest.eval import below_floor, corpus_hash, recorded_corpus
from digest.eval.audit import measure


@pytest.mark.slow  # builds the 22 unlabelled news-cluster-dev events and 400 BBC articles (cached analyses)
def test_audit_figures_hold_their_floors(shared):
    corpus = shared / "corpus"
    assert recorded_corpus("audit") == {
        "news-cluster-dev + gold + bbc-news": corpus_hash(corpus / "news-cluster-dev", corpus / "news-cluster-dev.gold.yml",
                                                          corpus / "bbc-news")
    }, "the corpus changed: its floors were measured on another one"
    figures = measure(shared)
    assert figures["audit_rows"] == 200
    assert below_floor("audit", figures) == []
