"""Running the per-article analysis on every core.

spaCy's own `n_process` parallelises the model but ships every Doc back to the parent, where our
mention and candidate extraction would then run on one core. Instead each worker process runs the
whole per-article analysis (model + extraction) on a chunk of articles and returns the small
frozen results. Workers are forked after the model is loaded, so they share its weights
copy-on-write instead of loading it again.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from digest.model import AnalysedArticle, Article

if TYPE_CHECKING:  # annotations only: importing this module must not import spaCy
    from spacy.language import Language

# The one model a forked worker uses; set in the parent just before forking (a pool initializer
# cannot receive a Language object cheaply). Read-only after that.
_worker_model: Language | None = None


def _analyse_chunk(articles: Sequence[Article]) -> list[AnalysedArticle]:
    from digest.analysis import nlp

    assert _worker_model is not None
    return nlp.analyse(articles, _worker_model)


def _chunks(items: Sequence[Article], size: int) -> Iterator[Sequence[Article]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def analyse_parallel(articles: Sequence[Article], model: Language, processes: int,
                     on_chunk: Callable[[int], None] = lambda n: None, chunk_size: int = 16) -> list[AnalysedArticle]:
    """Analyses in input order. Falls back to one process when forking is unavailable or not worth it."""
    from digest.analysis import nlp

    global _worker_model
    processes = max(1, min(processes, os.cpu_count() or 1))
    if processes == 1 or len(articles) < 2 * chunk_size or "fork" not in multiprocessing.get_all_start_methods():
        out: list[AnalysedArticle] = []
        for chunk in _chunks(articles, chunk_size):
            out.extend(nlp.analyse(chunk, model))
            on_chunk(len(chunk))
        return out
    _worker_model = model
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            out = []
            for result in pool.imap(_analyse_chunk, list(_chunks(articles, chunk_size))):
                out.extend(result)
                on_chunk(len(result))
            return out
    finally:
        _worker_model = None
