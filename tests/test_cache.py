"""The analysis cache is keyed by everything the analysis depends on, and nothing more."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from digest import pipeline
from digest.cache import AnalysisCache, analysis_key
from digest.model import Article


def test_analysis_modules_list_every_module_the_analysis_imports():
    code = ("import sys, digest.nlp, digest.candidates; "
            "print(' '.join(sorted(m.split('.', 1)[1] for m in sys.modules if m.startswith('digest.'))))")
    imported = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert imported <= set(pipeline.ANALYSIS_MODULES), imported - set(pipeline.ANALYSIS_MODULES)


def article(**changes) -> Article:
    base = Article(id="a", source_path="articles/a.txt", format="txt", title="T", title_derived=False,
                   published=None, outlet=None, url=None, author=None, standfirst=None, paragraphs=("x",))
    return replace(base, **changes)


def test_key_changes_with_content_model_and_code_only():
    key = analysis_key(article(), "m==1", "c1")
    assert key == analysis_key(article(), "m==1", "c1")
    assert key != analysis_key(article(paragraphs=("y",)), "m==1", "c1")
    assert key != analysis_key(article(), "m==2", "c1")
    assert key != analysis_key(article(), "m==1", "c2")


def test_code_version_is_a_hash_of_the_analysis_sources():
    assert len(pipeline.analysis_code_version()) == 16
    assert pipeline.analysis_code_version() == pipeline.analysis_code_version()


def test_corrupt_entries_are_misses(tmp_path):
    store = AnalysisCache(tmp_path)
    path = store._path("ab" * 32)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    assert store.get("ab" * 32) is None
