"""Direct quotes and who said them.

A quote is text between quote marks with at least four words (shorter ones are scare quotes:
"informal", "old friend"). Its speaker is the subject of a speech verb (said, told, noted, ...) in
the same sentence outside the marks, or the object of "according to". A pronoun or a described
speaker ("the Kremlin aide", "he") resolves to the closest person named before the quote,
preferring one whose role or earlier description shares the noun ("aide").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the facts stage imports this module without spaCy
    from spacy.tokens import Doc, Span, Token


SPEECH_VERBS = frozenset({
    "say", "tell", "note", "add", "state", "write", "announce", "explain", "insist", "warn", "stress",
    "claim", "declare", "remark", "argue", "emphasize", "emphasise", "tweet", "post", "comment",
    "acknowledge", "admit", "report", "reply", "respond", "continue", "conclude", "recall", "ask",
    "urge", "suggest", "describe", "call", "predict", "promise", "vow", "confirm", "caution"})
# “...”, "...", and «...»; the closing mark may be missing at the end of a paragraph.
QUOTE_RX = re.compile(r"[“\"«](?P<q>[^“”\"«»\n]{3,}?)(?:[”\"»]|(?=\n|$))")
MIN_WORDS = 4


@dataclass(frozen=True)
class QuoteMention:
    text: str  # the quote as printed, marks included
    quote: str  # the words inside the marks, trailing punctuation removed
    speaker: str | None  # surface name ("Ushakov", "Kremlin"), None when unknown
    start_char: int
    sentence: str


def find_quotes(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of every quote with at least MIN_WORDS words."""
    out = []
    for m in QUOTE_RX.finditer(text):
        inner = m.group("q").strip()
        if len(re.findall(r"\w+", inner)) >= MIN_WORDS:
            out.append((m.start(), m.end(), inner.rstrip(" ,.;:")))
    return out


def _entity_text(tok: Token) -> str:
    if tok.ent_type_:
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None:
            return re.sub(r"^the\s+", "", re.sub(r"[’']s$", "", ent.text), flags=re.I)
    parts = [c for c in tok.lefts if c.dep_ == "compound"] + [tok]
    return " ".join(t.text for t in parts)


def _speech_subject(sent: Span, q_start: int, q_end: int) -> Token | None:
    """The subject of a speech verb outside the quote marks, or the object of 'according to'."""
    outside = [t for t in sent if not (q_start <= t.idx < q_end)]
    for tok in outside:
        if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ in ("VERB", "AUX"):
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")
                         and not (q_start <= c.idx < q_end)), None)
            if subj is not None:
                return subj
        if tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if obj is not None:
                return obj
    return None


def _resolve(subj: Token, before: int, people: list[tuple[int, str, str]]) -> str | None:
    """A named speaker as is; a pronoun or description -> the closest earlier person."""
    if subj.pos_ == "PROPN" or subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return _entity_text(subj)
    earlier = [(i, name, context) for i, name, context in people if i < before]
    if not earlier:
        return None
    if subj.pos_ == "NOUN":  # "the Kremlin aide": someone described with "aide" before
        for _, name, context in reversed(earlier):
            if subj.lemma_.lower() in context:
                return name
    return earlier[-1][1]


def quote_mentions(doc: Doc) -> list[QuoteMention]:
    """Quotes in a Doc with their speakers."""
    # Each person with the words around its mention (for "the aide" -> the person called aide).
    people: list[tuple[int, str, str]] = []
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            lo, hi = max(ent.sent.start, ent.start - 4), min(ent.sent.end, ent.end + 6)
            after = doc[ent.end:hi].text if ent.end < len(doc) and doc[ent.end].text == "," else ""
            people.append((ent.start_char, ent.text, f"{doc[lo:ent.start].text} {after}".lower()))
    out: list[QuoteMention] = []
    text = doc.text  # built on each access: read once
    for start, end, inner in find_quotes(text):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        sents = {t.sent.start: t.sent for t in span} | {span.sent.start: span.sent}
        last = doc[min(span.end, len(doc) - 1)].sent
        sents[last.start] = last
        speaker = None
        for sent in sorted(sents.values(), key=lambda s: s.start):
            subj = _speech_subject(sent, start, end)
            if subj is not None:
                speaker = _resolve(subj, start, people)
                break
        out.append(QuoteMention(text=text[start:end], quote=inner, speaker=speaker,
                                start_char=start, sentence=span.sent.text.strip()))
    return out
