"""Candidate key facts from one analysed article (v0 stub; owned by the facts work)."""

from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc

from .model import Article, Candidate

CANDIDATES_VERSION = "0"


def extract_candidates(doc: Doc, article: Article, paragraph_of: Callable[[int], int]) -> tuple[Candidate, ...]:
    return ()
