"""Direct quotes and who said them.

A quote is text between quote marks with at least four words (shorter ones are scare quotes:
"informal", "old friend"). Its speaker is the subject of a speech verb (said, told, noted, ...) in
the same sentence outside the marks, or the object of "according to". A described speaker ("the
Kremlin aide") resolves to the closest person named before whose role or description shares the
noun ("aide"); "he"/"she" to the only person who may be of that gender named in the last few sentences (the
gender from a form of address, a gendered noun, or he/she beside the name). Otherwise the speaker
is unknown: a quote credited to the wrong person is worse than no quote row.
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
    "acknowledge", "admit", "reply", "respond", "continue", "conclude", "recall", "ask",
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


# Words that say a person's gender when they stand right before or beside the name.
MALE_WORDS = frozenset("""mr sir lord king prince duke earl baron father son brother husband uncle nephew
    boyfriend widower grandfather man boy spokesman chairman congressman businessman actor he his him""".split())
FEMALE_WORDS = frozenset("""mrs ms miss lady dame queen princess duchess countess baroness mother daughter
    sister wife aunt niece girlfriend widow grandmother woman girl spokeswoman chairwoman congresswoman
    businesswoman actress she her hers""".split())
PRONOUN_GENDER = {"he": "m", "she": "f"}
ANTECEDENT_SENTENCES = 3  # a pronoun looks back this many sentences (its own included)


@dataclass(frozen=True)
class Person:
    start_char: int
    name: str
    context: str  # lowercased words around the mention (for "the aide" -> the person called aide)
    sentence: int  # index of the sentence in the Doc


def _genders(doc: Doc, people: list[Person]) -> dict[str, set[str]]:
    """Per name, the genders the text gives it: a form of address or a gendered noun beside the
    name ("Mrs", "actress", "his wife"), or he/she in a sentence that names only this person."""
    out: dict[str, set[str]] = {}
    by_sentence: dict[int, set[str]] = {}
    for p in people:
        by_sentence.setdefault(p.sentence, set()).add(p.name)
    sents = list(doc.sents)
    for p in people:
        words = set(re.findall(r"[a-z]+", p.context))
        found = out.setdefault(p.name, set())
        if words & (MALE_WORDS - {"he", "his", "him"}):
            found.add("m")
        if words & (FEMALE_WORDS - {"she", "her", "hers"}):
            found.add("f")
        if len(by_sentence[p.sentence]) == 1:
            lowered = {t.lower_ for t in sents[p.sentence]}
            if lowered & {"he", "his", "him"}:
                found.add("m")
            if lowered & {"she", "her", "hers"}:
                found.add("f")
    return out


def _same(a: str, b: str) -> bool:
    from digest.text.names import same_person
    return a == b or same_person(a, b, as_written=True) or same_person(b, a, as_written=True)


def _resolve(subj: Token, before: int, people: list[Person], genders: dict[str, set[str]]) -> str | None:
    """A named speaker as is; a description ("the Kremlin aide") -> the closest earlier person it
    described; he/she -> the one person of that gender named in the last ANTECEDENT_SENTENCES
    sentences. Anything else, or more than one candidate, is unknown: a wrong speaker is worse
    than none."""
    if subj.pos_ == "PROPN" or subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return _entity_text(subj)
    earlier = [p for p in people if p.start_char < before]
    if not earlier:
        return None
    if subj.pos_ == "NOUN":  # "the Kremlin aide": someone described with "aide" before
        for p in reversed(earlier):
            if subj.lemma_.lower() in p.context:
                return p.name
        return None
    gender = PRONOUN_GENDER.get(subj.lower_)
    if gender is None:
        return None
    own = next(i for i, s in enumerate(subj.doc.sents) if s.start == subj.sent.start)
    window = [p for p in earlier if p.sentence > own - ANTECEDENT_SENTENCES]
    names: list[str] = []
    for p in reversed(window):  # one entry per person ("Jack Straw" and "Straw")
        if not any(_same(p.name, n) for n in names):
            names.append(p.name)

    def known(name: str) -> set[str]:
        return set().union(*(genders.get(n, set()) for n in (p.name for p in people) if _same(n, name)))

    possible = [n for n in names if not (known(n) - {gender})]  # none said to be of the other gender
    return possible[0] if len(possible) == 1 else None


def quote_mentions(doc: Doc) -> list[QuoteMention]:
    """Quotes in a Doc with their speakers."""
    # Each person with the words around its mention (for "the aide" -> the person called aide).
    people: list[Person] = []
    sent_no = {s.start: i for i, s in enumerate(doc.sents)}
    for ent in doc.ents:
        # A name modifying a noun ("Corvenna mayor", "Trump administration") is no one a pronoun refers to.
        if ent.label_ == "PERSON" and ent.root.dep_ != "compound":
            lo, hi = max(ent.sent.start, ent.start - 4), min(ent.sent.end, ent.end + 6)
            after = doc[ent.end:hi].text if ent.end < len(doc) and doc[ent.end].text == "," else ""
            people.append(Person(ent.start_char, ent.text, f"{doc[lo:ent.start].text} {after}".lower(),
                                 sent_no[ent.sent.start]))
    genders = _genders(doc, people)
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
                speaker = _resolve(subj, start, people, genders)
                break
        out.append(QuoteMention(text=text[start:end], quote=inner, speaker=speaker,
                                start_char=start, sentence=span.sent.text.strip()))
    return out
