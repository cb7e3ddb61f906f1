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
from typing import Callable, Iterator, Sequence

from spacy.language import Language

from .model import AnalysedArticle, Article

# The one model a forked worker uses; set in the parent just before forking (a pool initializer
# cannot receive a Language object cheaply). Read-only after that.
_worker_model: Language | None = None


def _analyse_chunk(articles: Sequence[Article]) -> list[AnalysedArticle]:
    from . import nlp

    assert _worker_model is not None
    return nlp.analyse(articles, _worker_model)


def _chunks(items: Sequence[Article], size: int) -> Iterator[Sequence[Article]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def analyse_parallel(articles: Sequence[Article], model: Language, processes: int,
                     on_chunk: Callable[[int], None] = lambda n: None, chunk_size: int = 16) -> list[AnalysedArticle]:
    """Analyses in input order. Falls back to one process when forking is unavailable or not worth it."""
    from . import nlp

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


# The digest and options a forked render worker reads; set in the parent just before forking.
_render_job: tuple | None = None


def _render_shard(shard: tuple[int, int]) -> dict:
    from . import render

    assert _render_job is not None
    digest, options = _render_job
    return render.render_pages(digest, options, shard=shard)


def render_parallel(digest, options, processes: int, min_items: int = 400) -> dict:
    """render.render_pages over every core: workers render interleaved slices of the pages
    while the parent renders its own slice (pages are pure functions of the digest)."""
    from . import render

    global _render_job
    items = len(digest.articles) + len(digest.entities.entities) + len(digest.stories)
    processes = max(1, min(processes, os.cpu_count() or 1))
    if processes == 1 or items < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return render.render_pages(digest, options)
    _render_job = (digest, options)
    try:
        with multiprocessing.get_context("fork").Pool(processes - 1) as pool:
            pending = pool.map_async(_render_shard, [(i, processes) for i in range(1, processes)])
            pages = render.render_pages(digest, options, shard=(0, processes))
            for part in pending.get():
                pages.update(part)
        return pages
    finally:
        _render_job = None
