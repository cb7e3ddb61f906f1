"""Candidate key facts from one analysed article: when, where, who, numbers, quotes, claims.

Called by nlp.analyse once per article with the spaCy Doc of title + standfirst + paragraphs.
Dates, numbers and quotes live in their own modules; this one finds event places and people with
roles, keeps body sentences as claims, and turns every mention into a `Candidate`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from digest.analysis.background import paragraph_background, sentence_background
from digest.analysis.dates import date_mentions
from digest.model import Article, Candidate
from digest.analysis.mentions import extend_name_left
from digest.text.names import ROLE_WORDS, same_person
from digest.analysis.numbers import number_mentions
from digest.analysis.quotes import quote_mentions

if TYPE_CHECKING:  # annotations only: the facts stage imports this module without spaCy
    from spacy.tokens import Doc, Span, Token

# Where an event happens: the place is the object of in/to/at/... under one of these, or their object.
EVENT_LEMMAS = frozenset({
    "visit", "arrive", "land", "travel", "trip", "stop", "fly", "go", "come", "hold", "take", "summit",
    "meeting", "talk", "meet", "attack", "shooting", "shoot", "crash", "explosion", "fire", "happen",
    "occur", "strike", "hit", "collide", "collision", "kill", "die", "attend", "host", "event", "ceremony",
    "conference", "parade", "game", "match", "win", "play", "launch", "fall", "stay", "return", "head",
    "tour", "gather", "rally", "protest", "festival", "concert", "massacre", "rampage", "incident",
    "blast", "storm", "service", "funeral", "wedding", "election", "vote", "open", "celebrate", "erupt", "flood", "crash", "injure",
    "arrest", "born", "found", "discover", "fire", "evacuate", "rescue", "itinerary", "journey",
    "sentence", "try", "court", "trial", "record", "fall", "spot", "capture"})
PLACE_PREPS = frozenset({"in", "to", "at", "into", "near", "outside", "inside", "over", "across", "toward",
                         "towards", "from", "off"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
ROLE_STOP = frozenset({"the", "a", "an", "his", "her", "their", "its", "mr", "mrs", "ms", "dr", "mr.",
                       "mrs.", "ms.", "dr.", "'s", "’s"})
MIN_CLAIM_WORDS = 8


def _name(text: str) -> str:
    return re.sub(r"[’']s$", "", re.sub(r"^the\s+", "", text.strip(), flags=re.I)).strip()


def _event_place(ent: Span) -> bool:
    """True when a place is where something in the story happens ("landed in Beijing")."""
    node = ent.root
    while node.dep_ == "conj" and node.head is not node:  # "Beijing and Harbin"
        node = node.head
    head = node.head
    if node.dep_ == "pobj" and head.lower_ in PLACE_PREPS:
        target = head.head
        while target.dep_ == "conj" and target.head is not target:
            target = target.head
        return target.lemma_.lower() in EVENT_LEMMAS
    if node.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in EVENT_LEMMAS:
        return True
    return False


def place_mentions(doc: Doc) -> list[tuple[str, Span]]:
    """(place name, entity) for each place where an event happens, first mention per place."""
    seen: dict[str, Span] = {}
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS and _event_place(ent):
            seen.setdefault(_name(ent.text), ent)
    return list(seen.items())


def _role(ent: Span) -> str | None:
    """Title words before a name ("Chinese President"), or an apposition (", the Kremlin aide,")."""
    doc = ent.doc
    left = [t for t in ent.root.subtree if t.i < ent.start and t.sent == ent.sent]
    i = ent.start - 1
    role: list[str] = []
    while i >= 0 and doc[i] in left and not doc[i].ent_type_ == "PERSON" and doc[i].text not in (",", "(", "“", "-", "–", "—", ":"):
        role.insert(0, doc[i].text)
        i -= 1
    if not role and ent.root.dep_ == "appos" and ent.root.head.pos_ == "NOUN":
        head = ent.root.head
        role = [t.text for t in head.subtree if t.i < ent.start and t.dep_ != "punct"]
    if not role:
        appos = next((c for c in ent.root.children if c.dep_ == "appos" and c.pos_ == "NOUN"), None)
        if appos is not None and not any(t.ent_type_ == "PERSON" for t in appos.subtree):
            role = [t.text for t in appos.subtree if t.dep_ != "punct"][:8]
    while role and role[0].lower() in ROLE_STOP:
        role.pop(0)
    words = [w for w in role if w not in ("’s", "'s")]
    if not words or len(words) > 8 or not any(w[:1].isalpha() for w in words):
        return None
    return " ".join(role).replace(" ’s", "’s").replace(" 's", "'s")


def _given_name(tok: Token, span: range) -> bool:
    return (tok.pos_ == "PROPN" and tok.dep_ == "compound" and tok.text[:1].isupper()
            and tok.lower_ not in ROLE_WORDS and tok.ent_type_ not in ("ORG", "GPE", "NORP"))


def _full_person(ent: Span) -> Span:
    """Extend a PERSON entity over given names the model left out ("aide Yury [Ushakov]")."""
    start = extend_name_left(ent.doc, ent.start, ent.end, _given_name, limit=ent.sent.start)
    return ent.doc[start:ent.end] if start != ent.start else ent


def person_mentions(doc: Doc) -> list[tuple[str, str | None, Span]]:
    """(full name, role, mention) per person: short names map to the full name used in the article."""
    ents = [_full_person(e) for e in doc.ents if e.label_ == "PERSON" and any(c.isalpha() for c in e.text)]
    full = sorted({_name(e.text) for e in ents}, key=len, reverse=True)
    chosen: dict[str, tuple[str | None, Span]] = {}
    for ent in ents:
        short = _name(ent.text)
        name = next((f for f in full if same_person(f, short, as_written=True)), short)
        role = _role(ent)
        if name not in chosen or (role and not chosen[name][0]):
            chosen[name] = (role, ent)
    return [(name, role, ent) for name, (role, ent) in chosen.items()]


def extract_candidates(doc: Doc, article: Article, paragraph_of: Callable[[int], int]) -> tuple[Candidate, ...]:
    out: list[Candidate] = []
    pub_year = int(article.published[:4]) if article.published and article.published[:4].isdigit() else None
    para_bg = paragraph_background(article.paragraphs)
    sent_no = {s.start: i for i, s in enumerate(doc.sents)}
    token_at = {t.idx: t for t in doc}

    def background(kind: str, char: int) -> str:
        para = paragraph_of(char)
        if para in para_bg:
            return para_bg[para]
        tok = token_at.get(char)
        if tok is None or kind not in ("number", "claim", "place"):
            return ""
        return sentence_background(tok.sent, pub_year, tok if kind != "claim" else None)

    def add(kind: str, key: str, value: str, text: str, char: int, sentence: str,
            approx: str | None = None, speaker: str | None = None, thing: str = "",
            qualifiers: tuple[str, ...] = ()) -> None:
        tok = token_at.get(char)
        out.append(Candidate(kind=kind, key=key, value=value, text=text, paragraph=paragraph_of(char),
                             sentence=sentence, approx=approx, speaker=speaker, thing=thing or key,
                             qualifiers=qualifiers, background=background(kind, char),
                             sentence_no=sent_no.get(tok.sent.start, -1) if tok is not None else -1))

    dates = date_mentions(doc, article.published)
    for d in dates:
        add("date", d.event or "", d.value.value, d.text, d.start_char, d.sentence, approx=d.value.approx)
    date_chars = {d.start_char for d in dates} | {
        t.idx for e in doc.ents if e.label_ == "DATE" for d in dates
        if e.start_char <= d.start_char < e.end_char for t in e}
    for n in number_mentions(doc, date_chars):
        add("number", n.key, n.value, n.text, n.start_char, n.sentence, approx=n.approx,
            thing=n.thing, qualifiers=n.qualifiers)
    for name, ent in place_mentions(doc):
        add("place", name, name, ent.text, ent.start_char, ent.sent.text.strip())
    for name, role, ent in person_mentions(doc):
        add("person", name, role or "", f"{role} {ent.text}" if role else ent.text, ent.start_char,
            ent.sent.text.strip())
    quotes = quote_mentions(doc)
    for q in quotes:
        add("quote", q.speaker or "", q.quote, q.text, q.start_char, q.sentence, speaker=q.speaker)
    quoted = [(q.start_char, q.start_char + len(q.text)) for q in quotes]
    for sent in doc.sents:
        text = sent.text.strip()
        if paragraph_of(sent.start_char) < 0 or len(re.findall(r"\w+", text)) < MIN_CLAIM_WORDS:
            continue
        inside = sum(max(0, min(e, sent.end_char) - max(s, sent.start_char)) for s, e in quoted)
        if inside > len(text) / 2:
            continue  # mostly a quote: the quote row carries it
        add("claim", "", text, text, sent[0].idx if len(sent) else sent.start_char, text)
    return tuple(out)
