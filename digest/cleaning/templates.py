"""Site templates learned across documents: a line that recurs in several unrelated articles.

The icon line of two seed pages is such a line. The danger is shared content: two outlets
running the same wire story share whole paragraphs, and outlets covering one story quote the
same tweet. So a line only counts as template when (1) the articles holding it are otherwise
different (they share few other lines), (2) it sits at the edge of the text (first or last
EDGE lines: page chrome, sign-offs) in those articles, and (3) a full sentence needs three
such articles, a label without a final period two; prose and headline-like lines must come
from articles about different stories (little shared vocabulary: not a quote or headline every
outlet ran). Boilerplate in the middle of a text is the rules' job.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

import re

from .header import TITLE_MAX_WORDS, dateline
from .text import ends_sentence, line_key, lines_of, word_count

COPY_OVERLAP = 0.2  # two articles sharing more than this share of lines are copies of each other
MAX_DOCS_COMPARED = 60  # bound the pairwise check for very common lines
EDGE = 3
SAME_STORY = 0.12  # vocabulary Jaccard above which two articles are about the same story
_WORDS = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True)
class Templates:
    """Line keys (see text.line_key) recognised as template text, with how many articles had them."""

    lines: Mapping[str, int] = field(default_factory=dict)

    def count(self, line: str) -> int:
        return self.lines.get(template_key(line), 0)


# Dates and numbers change from page to page inside the same template line ("date 2024-05-15 icon ...").
_VARIABLE = re.compile(r"\b(?:date|updated|published|posted)\b:?|\d[\d:./-]*")


def template_key(line: str) -> str:
    return " ".join(_VARIABLE.sub(" ", line_key(line)).split())


def learn(texts: Sequence[str]) -> Templates:
    lines = [[line for line in lines_of(text) if not dateline(line)] for text in texts]
    holders: dict[str, list[int]] = defaultdict(list)  # key -> articles where it is at an edge
    for index, kept in enumerate(lines):
        edges = kept if len(kept) <= 2 * EDGE else kept[:EDGE] + kept[-EDGE:]
        for key in {template_key(line) for line in edges}:
            if _has_letters(key, 4):
                holders[key].append(index)
    # Every line's key and every text's vocabulary only for texts that share an edge line:
    # on a large corpus they are few, and computing them for all was most of the time.
    keysets = _Lazy(lambda i: frozenset(template_key(line) for line in lines[i]))
    vocab = _Lazy(lambda i: frozenset(w.lower() for w in _WORDS.findall(texts[i])))
    found: dict[str, int] = {}
    for key, docs in holders.items():
        if len(docs) < 2 or not key:
            continue
        sentence = _sentence_like(key)
        # Prose and title-like lines must come from different stories (two outlets may give one
        # story the same headline); only long label lists (icon fonts, menus) may not.
        strict = sentence or word_count(key) <= TITLE_MAX_WORDS
        independent = _independent(key, docs[:MAX_DOCS_COMPARED], keysets, vocab if strict else None)
        needed = 3 if sentence else 2
        if independent >= needed:
            found[key] = len(docs)
    return Templates(dict(sorted(found.items())))  # sorted: its repr is part of a cache key


class _Lazy(dict):
    """index -> value, computed on first use."""

    def __init__(self, compute: Callable[[int], frozenset[str]]):
        super().__init__()
        self.compute = compute

    def __missing__(self, index: int) -> frozenset[str]:
        value = self[index] = self.compute(index)
        return value


def _has_letters(key: str, wanted: int) -> bool:
    # Stops at the wanted count: keys can be whole paragraphs, and counting every letter of
    # every edge line was most of the learning time on a large corpus.
    for c in key:
        if c.isalpha():
            wanted -= 1
            if wanted == 0:
                return True
    return wanted <= 0


def _sentence_like(key: str) -> bool:
    """Prose or a quotation (any sentence end or quote mark), as opposed to a label or icon list."""
    return word_count(key) >= 4 and (ends_sentence(key) or bool(re.search(r"[.!?]['\"]?\s|\"", key)))


def _independent(key: str, docs: Iterable[int], keysets: Mapping[int, frozenset[str]],
                 vocab: Mapping[int, frozenset[str]] | None) -> int:
    """How many of `docs` are not copies of one another (nor, with `vocab`, about one story)."""
    own = frozenset(w.lower() for w in _WORDS.findall(key))  # the line's own words do not count
    kept: list[int] = []
    for doc in docs:
        mine = keysets[doc]
        if all(_overlap(mine, keysets[other], key) <= COPY_OVERLAP
               and (vocab is None or _jaccard(vocab[doc] - own, vocab[other] - own) <= SAME_STORY)
               for other in kept):
            kept.append(doc)
    return len(kept)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _overlap(a: frozenset[str], b: frozenset[str], key: str) -> float:
    shared = len(a & b) - 1  # the line under test does not count
    smaller = min(len(a), len(b)) - 1
    return shared / smaller if smaller > 0 else 1.0
