"""The analysis cache is keyed by everything the analysis depends on, and nothing more."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from digest import cache
from digest.cache import AnalysisCache, analysis_key
from digest.model import Article


def test_the_analysis_code_version_covers_every_module_the_analysis_imports():
    code = ("import sys, digest.analysis.nlp; "
            "print(' '.join(sorted(m.__file__ for n, m in sys.modules.items() if n.startswith('digest.') "
            "and getattr(m, '__file__', None))))")
    imported = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  check=True).stdout.split())
    covered = {str(path) for path in cache._sources("analysis")}
    # config.py holds only the model names, read by load_model: they are not analysis output.
    assert imported - covered <= {str(cache.PACKAGE / "config.py"), str(cache.PACKAGE / "__init__.py")}, \
        imported - covered


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


def test_key_covers_exactly_what_the_analysis_reads(nlp):
    """Fields outside ANALYSED_FIELDS may change (an override renames the outlet; a template line
    shared by one more article changes the dropped parts' reasons) without running spaCy again:
    the analysis must not depend on them."""
    from dataclasses import fields

    from digest.cache import ANALYSED_FIELDS
    from digest.model import Dropped
    from digest.analysis.nlp import analyse

    text = article(title="Ferry hits cargo ship off Corvenna", published="2025-10-14T21:05",
                   paragraphs=("The ferry Morning Lark was struck by a cargo ship on Tuesday, Mayor Augustin "
                               "Pell said, and 27 people were injured.",))
    other = replace(text, id="b", source_path="articles/b.html", format="html", title_derived=True,
                    outlet="Harbour Times", url="https://harbour.example/a", author="Ada Quill",
                    dropped=(Dropped("Comments", "template line (repeated in 5 articles)"),),
                    not_article="a list of links", story_hint="ferry", content_hash="x", path_title="Ferry")
    differing = {f.name for f in fields(Article) if getattr(text, f.name) != getattr(other, f.name)}
    assert differing == {f.name for f in fields(Article)} - set(ANALYSED_FIELDS)  # all the others
    assert analysis_key(text, "m", "c") == analysis_key(other, "m", "c")
    [first], [second] = analyse([text], nlp), analyse([other], nlp)
    assert replace(first, article=other) == second
    for name in ANALYSED_FIELDS:  # and each analysed field is part of the key
        changed = replace(text, **{name: ("y",) if name == "paragraphs" else "2024-01-01" if name == "published" else "Y"})
        assert analysis_key(changed, "m", "c") != analysis_key(text, "m", "c"), name


def test_code_version_is_a_hash_of_the_analysis_sources():
    assert len(cache.analysis_code_version()) == 16
    assert cache.analysis_code_version() == cache.analysis_code_version()


def test_corrupt_entries_are_misses(tmp_path):
    store = AnalysisCache(tmp_path)
    path = store._path("ab" * 32)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    assert store.get("ab" * 32) is None
