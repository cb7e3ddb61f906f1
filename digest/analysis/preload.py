"""Loading the spaCy model in a second process while the build reads and cleans.

A rebuild after one article changed analyses that one article, yet importing spaCy and loading
the model take over a second: longer than everything the build does before it needs the
analysis. So when a build starts, a forked helper loads the model at once, on the other core,
and then analyses the few articles that turn out to be new. When none is new (only the
overrides changed) the helper is stopped unused; for many new articles the usual parallel path
(parallel.py) runs instead and the helper is stopped too.

This module must not import spaCy: the parent only imports it in the helper.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from typing import Sequence

from digest.model import AnalysedArticle, Article

# Up to this many new articles go to the helper (above it the parallel path is faster).
MAX_ARTICLES = 32


def available(processes: int) -> bool:
    """Worth starting: a second core is allowed and processes can be forked here."""
    return processes > 1 and (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def _serve(model_name: str, conn) -> None:
    # Ctrl-C in a terminal reaches the whole process group: the parent handles it and stops
    # us; a traceback from here would garble its one-line message.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent stops us with SIGTERM; a handler forked from it (`digest serve` turns SIGTERM into
    # an exception) would print a traceback from here when the stop lands as we finish.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        from digest.analysis import nlp

        model = nlp.load_model(model_name)
    except Exception:  # the parent loads the model itself and reports the real error
        model = None
    try:
        articles = conn.recv()
        if model is None:
            conn.send(None)
            return
        try:
            conn.send(nlp.analyse(articles, model))
        except Exception:
            conn.send(None)
    except (EOFError, OSError):
        return  # the parent went away or needed nothing


class ModelPreloader:
    """A forked process holding the loaded model, used at most once."""

    def __init__(self, model_name: str):
        context = multiprocessing.get_context("fork")
        self._conn, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(model_name, child_end), daemon=True,
                                        name="digest-model-preload")
        self._process.start()
        child_end.close()

    def analyse(self, articles: Sequence[Article]) -> list[AnalysedArticle] | None:
        """Analyses in input order, or None when the helper could not load the model or failed
        (the caller then analyses in this process, where any error is reported properly)."""
        try:
            self._conn.send(list(articles))
            result = self._conn.recv()
        except (EOFError, OSError):
            result = None
        finally:
            self.close()
        if isinstance(result, list) and len(result) == len(articles):
            return result
        return None

    def close(self) -> None:
        """Stop the helper (idempotent)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._conn.close()

    def __enter__(self) -> "ModelPreloader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
