"""The precision audit's fingerprints and scoring (no build: made-up rows)."""

from __future__ import annotations

from digest.eval.audit import fingerprint, score
from digest.model import Fact, FactSource, Story


def _fact(value="12", text="12 people were killed"):
    return Fact(id="number-killed", kind="number", label="Killed", value=value, status="single",
                sources=(FactSource(article="a", text=text, value=value),), key="killed")


def test_fingerprint_changes_with_the_sources_words_not_the_order():
    story = Story(id="s", title="t", articles=("a",))
    assert fingerprint(story, _fact()) == fingerprint(story, _fact())
    assert fingerprint(story, _fact()) != fingerprint(story, _fact(text="12 people died"))


def test_unlabelled_rows_count_as_wrong_and_conflicts_must_be_real():
    rows = [{"fingerprint": "a"}, {"fingerprint": "b"}, {"fingerprint": "c"}, {"fingerprint": "d"}]
    labels = {"a": {"label": "correct"}, "b": {"label": "junk", "reason": "lemma label"}, "c": {"label": "correct"}}
    figures = score(rows, [{"fingerprint": "a"}, {"fingerprint": "x"}], labels)
    assert figures["audit_precision"] == 0.5
    assert figures["audit_rows_labelled"] == 3
    assert figures["audit_conflicts_real"] == 0.5
