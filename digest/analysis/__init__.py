"""Analysis stage: Article -> AnalysedArticle with spaCy (entity mentions, candidate key facts,
sentences and terms), one article at a time.

Entry points (called by pipeline.py): `load_model(name)`, then `analyse_parallel(articles, model,
processes)`; or, for a few articles, a `ModelPreloader` that loaded the model in another process
while the build read its inputs. Helpers beside them: nlp.py (the spaCy pipeline and `analyse`),
mentions.py (named entities), candidates.py with dates.py, numbers.py, quotes.py and syntax.py
(the candidate facts), parallel.py and preload.py (processes).

Importing this package does not import spaCy (nlp.py does, only when a model is loaded): a
build with nothing new to analyse never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from digest.analysis.parallel import analyse_parallel
from digest.analysis.preload import MAX_ARTICLES, ModelPreloader, available as preload_available

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["MAX_ARTICLES", "ModelPreloader", "analyse_parallel", "load_model", "preload_available"]


def load_model(name: str) -> Language:
    """The spaCy pipeline, prepared for `analyse` (see nlp.load_model for the fallback)."""
    from digest.analysis import nlp  # imports spaCy: only when articles need analysing

    return nlp.load_model(name)
