"""Loading the spaCy pipeline and analysing each cleaned article (mentions, candidates, terms).

The analysed text of an article is its title, standfirst and paragraphs joined by a blank line
(see `article_text`). A small pipeline component, `paragraph_boundaries`, runs before the parser
and marks the first token after every blank line as a sentence start, so no sentence (and no
Mention.sentence) ever spans two paragraphs; the parser respects preset boundaries.
"""

from __future__ import annotations

import bisect
from typing import Callable, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from digest.analysis.candidates import extract_candidates
from digest.analysis.mentions import mentions_of
from digest.config import DEFAULT_MODEL, FALLBACK_MODEL
from digest.model import AnalysedArticle, Article

# Characters of an article analysed at most (title and standfirst first, then whole paragraphs
# while they fit; a single paragraph longer than that is cut at a space). News articles are
# under 50,000; spaCy refuses texts over nlp.max_length (1,000,000) and needs ~2 GB and a
# minute for one that long. The cleaned article itself is kept whole: only analysis stops.
MAX_ANALYSED_CHARS = 200_000

TITLE_PARAGRAPH = -1
STANDFIRST_PARAGRAPH = -2
PARAGRAPH_SEPARATOR = "\n\n"
BOUNDARY_PIPE = "paragraph_boundaries"

# Components analyse() reads from (directly or through candidates.py). Anything else a model
# ships (textcat, custom rulers ...) is disabled: it costs time and changes nothing we use.
# "senter" stays off when a parser is present (the parser sets sentences itself).
USED_PIPES = frozenset({
    "tok2vec", "transformer", "tagger", "morphologizer", "parser", "attribute_ruler",
    "lemmatizer", "ner", "entity_ruler", "span_ruler", "trainable_lemmatizer", BOUNDARY_PIPE,
})


class ParagraphBoundaries:
    """Sets is_sent_start on the first token after a blank line; whitespace tokens never start one."""

    def __init__(self, separator: str = PARAGRAPH_SEPARATOR) -> None:
        self.separator = separator

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        last_end = 0  # end of the previous non-space token
        for i, token in enumerate(doc):
            if token.is_space:
                if i > 0:
                    token.is_sent_start = False
                continue
            if i > 0 and self.separator in text[last_end:token.idx]:
                token.is_sent_start = True
            last_end = token.idx + len(token.text)
        return doc


@Language.factory(BOUNDARY_PIPE, assigns=["token.is_sent_start"],
                  default_config={"separator": PARAGRAPH_SEPARATOR})
def make_paragraph_boundaries(nlp: Language, name: str, separator: str) -> ParagraphBoundaries:
    return ParagraphBoundaries(separator)


def prepare(nlp: Language) -> Language:
    """Add the paragraph component (before the parser) and disable unused ones. Idempotent."""
    if BOUNDARY_PIPE not in nlp.component_names:
        placement = {"before": "parser"} if "parser" in nlp.pipe_names else (
            {"before": "senter"} if "senter" in nlp.pipe_names else {"first": True})
        nlp.add_pipe(BOUNDARY_PIPE, **placement)
    for name in nlp.pipe_names:
        unused = name not in USED_PIPES and name != "senter"
        if unused or (name == "senter" and "parser" in nlp.pipe_names):
            nlp.disable_pipe(name)
    return nlp


def load_model(name: str = DEFAULT_MODEL) -> Language:
    """Load the configured model (falling back to the pip-installed en_core_web_sm copy), prepared."""
    try:
        nlp = spacy.load(name)
    except OSError:
        if name not in (DEFAULT_MODEL, FALLBACK_MODEL):
            raise
        nlp = spacy.load(FALLBACK_MODEL)
    return prepare(nlp)


def article_text(article: Article, limit: int | None = None) -> tuple[str, Callable[[int], int]]:
    """The text analysed for an article and a map from a char offset to its paragraph index;
    with `limit`, only the blocks (title, standfirst, paragraphs) that fit in that many chars."""
    blocks: list[tuple[int, str]] = []
    if article.title:
        blocks.append((TITLE_PARAGRAPH, article.title))
    if article.standfirst:
        blocks.append((STANDFIRST_PARAGRAPH, article.standfirst))
    blocks.extend(enumerate(article.paragraphs))
    starts: list[int] = []
    indexes: list[int] = []
    parts: list[str] = []
    offset = 0
    for index, text in blocks:
        if limit is not None and offset + len(text) > limit:
            if parts:
                break
            text = text[:limit].rsplit(" ", 1)[0]  # one giant block: cut it at a space
        starts.append(offset)
        indexes.append(index)
        parts.append(text)
        offset += len(text) + len(PARAGRAPH_SEPARATOR)

    def paragraph_of(char: int) -> int:
        return indexes[max(0, bisect.bisect_right(starts, char) - 1)] if indexes else 0

    return PARAGRAPH_SEPARATOR.join(parts), paragraph_of


def analyse(articles: Sequence[Article], nlp: Language, n_process: int = 1,
            batch_size: int = 32) -> list[AnalysedArticle]:
    """Run spaCy over every article (batched, optionally in n_process processes)."""
    prepare(nlp)
    texts = [article_text(a, MAX_ANALYSED_CHARS) for a in articles]
    docs = nlp.pipe((t for t, _ in texts), batch_size=batch_size, n_process=n_process)
    out: list[AnalysedArticle] = []
    for article, (_, paragraph_of), doc in zip(articles, texts, docs):
        sentences = tuple(
            (paragraph_of(s.start_char), s.text.strip()) for s in doc.sents
            if paragraph_of(s.start_char) >= 0 and s.text.strip()
        )
        terms = tuple(t.lemma_.lower() for t in doc
                      if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop and t.is_alpha)
        out.append(AnalysedArticle(
            article=article, mentions=mentions_of(doc, paragraph_of),
            candidates=extract_candidates(doc, article, paragraph_of),
            sentences=sentences, terms=terms))
    return out
