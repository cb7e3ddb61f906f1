"""Rendering the pages on every core.

Forked workers claim batches of pages (render.page_batches) as they go, so the processes finish
together however the work and the machine's load fall; the parent keeps the site-wide pages.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import traceback
from typing import Any

from digest.gcpause import gc_paused
from digest.render.pages import page_batches, render_pages


# What forked render workers share with the parent, set just before forking: the batches of
# render.page_batches, and a shared [first, end) range of the batches nobody has claimed yet.
_render_job: tuple[list, Any] | None = None


def _claim(from_front: bool) -> int | None:
    """The next unclaimed batch: the parent takes them from the front, workers from the back."""
    assert _render_job is not None
    bounds = _render_job[1]
    with bounds.get_lock():
        first, end = bounds
        if first >= end:
            return None
        if from_front:
            bounds[0] = first + 1
            return first
        bounds[1] = end - 1
        return end - 1


def _render_worker(results) -> None:
    """A forked render worker: renders the last unclaimed batch until none is left, sending each
    batch's pages as soon as they are done (the queue's feeder thread writes them while this one
    renders on), then None, or the error."""
    gc.disable()  # as gcpause.gc_paused; the process ends with the render
    assert _render_job is not None
    try:
        while (i := _claim(from_front=False)) is not None:
            results.put((i, _render_job[0][i]()))
    except BaseException:
        results.put(RuntimeError("render worker failed:\n" + traceback.format_exc()))
    else:
        results.put(None)


def _take(result, done: dict[int, dict]) -> int:
    """Store one message of a render worker; 1 if it was the worker's last."""
    if isinstance(result, BaseException):
        raise result
    if result is None:
        return 1
    done[result[0]] = result[1]
    return 0


def _next_result(results, workers: list) -> object:
    while True:
        try:
            return results.get(timeout=1.0)
        except queue.Empty:
            if all(w.exitcode is not None for w in workers):  # exited without saying goodbye
                raise RuntimeError("a render worker died") from None


def render_parallel(digest, options, processes: int, min_items: int = 400) -> dict:
    """render.render_pages over every core. The processes claim batches of pages as they go, so
    they finish together however the work and the machine's load fall. The parent takes the
    site-wide pages at the front, with digest.json, the largest page: it need not be shipped back.
    Between its batches it takes in the pages the workers sent meanwhile, so little is left to
    receive at the end."""
    global _render_job
    items = len(digest.articles) + len(digest.entities.entities) + len(digest.stories)
    processes = max(1, min(processes, os.cpu_count() or 1))
    if processes == 1 or items < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return render_pages(digest, options)
    context = multiprocessing.get_context("fork")
    batches = page_batches(digest, options)
    _render_job = (batches, context.Array("q", [0, len(batches)]))
    results = context.Queue()
    workers = [context.Process(target=_render_worker, args=(results,), daemon=True) for _ in range(processes - 1)]
    done: dict[int, dict] = {}
    try:
        for worker in workers:
            worker.start()
        running = len(workers)
        with gc_paused():
            while (i := _claim(from_front=True)) is not None:
                done[i] = batches[i]()
                while running and not results.empty():
                    running -= _take(results.get(), done)
            while running:
                running -= _take(_next_result(results, workers), done)
    finally:
        _render_job = None
        for worker in workers:
            if worker.pid is not None:
                worker.terminate()  # a no-op once it has finished
                worker.join()
    pages: dict = {}
    for i in range(len(batches)):  # render_pages's order
        pages.update(done[i])
    return pages
