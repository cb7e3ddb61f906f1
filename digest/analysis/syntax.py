"""Small dependency-parse helpers shared by the candidate extractors (dates, numbers, quotes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the facts stage imports this module without spaCy
    from spacy.tokens import Token


# Verbs that carry no event of their own: the event is their object or the noun they modify
# ("pay a visit", "take place", "scheduled to", "expected to").
LIGHT_VERBS = frozenset({"be", "have", "take", "hold", "make", "pay", "schedule", "expect", "plan",
                         "set", "due", "go", "come", "begin", "start", "include", "feature",
                         "mark", "announce", "say", "tell", "report", "confirm", "reveal"})
FUTURE_MARKERS = frozenset({"will", "would", "'ll", "shall", "going", "scheduled", "expected", "due",
                            "planned", "set", "upcoming", "next"})


def tense_of(token: Token) -> str | None:
    """'past' | 'future' | None for the clause a token belongs to (walks up to its verb)."""
    node = token
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX"):
            break
        if node.head is node:
            break
        node = node.head
    if node.pos_ not in ("VERB", "AUX"):
        return None
    for tok in (node, *node.children, *(node.head.children if node.dep_ == "xcomp" else ())):
        if tok.lower_ in FUTURE_MARKERS or tok.tag_ == "MD" and tok.lower_ in ("will", "would", "'ll"):
            return "future"
    if node.dep_ in ("xcomp", "acl") and node.head.lower_ in FUTURE_MARKERS:
        return "future"
    if node.tag_ == "VBD" or any(c.tag_ == "VBD" and c.dep_ in ("aux", "auxpass") for c in node.children):
        return "past"
    if node.tag_ == "VBN" and any(c.lemma_ == "have" for c in node.children):
        return "past"
    return None


def event_head(token: Token) -> Token | None:
    """The event a modifier (a date, a place) belongs to: its verb or event noun, past light verbs."""
    if token.head is token:
        return None
    node = token.head
    if node.dep_ == "prep" or node.pos_ == "ADP":
        node = node.head
    for _ in range(5):
        if node.pos_ in ("NOUN", "PROPN") and node.lemma_ != "place":
            return node
        if node.pos_ in ("VERB", "AUX", "ADJ"):
            if node.lemma_ not in LIGHT_VERBS:
                return node
            obj = next((c for c in node.children if c.dep_ in ("dobj", "attr", "nsubjpass")
                        and c.pos_ == "NOUN" and c.lemma_ != "place"), None)
            if obj is not None:
                return obj
        if node.head is node:
            return node if node.pos_ in ("VERB", "NOUN") else None
        node = node.head
    return None


def compound_text(token: Token) -> str:
    """A noun with its compound and adjective modifiers ("bilateral documents", "BRICS summit")."""
    mods = [c for c in token.lefts if c.dep_ in ("compound", "amod") and c.is_alpha
            and c.lower_ not in ("next", "last", "first", "same", "new", "such", "many", "several")]
    return " ".join(t.text for t in (*mods, token))
