"""Named-entity mentions of one parsed article: clean names, roles, real sentences.

spaCy's small model gets names roughly right but not their edges: it includes titles
("President Xi"), sometimes splits a name in two ("Yury" ORG + "Ushakov" PERSON), and leaves
possessives to the next token. This module fixes the edges with the parse and records the
title or apposition in front of a person's name as the mention's role.
"""

from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc, Span, Token

from digest.model import Mention
from digest.text.names import HONORIFICS, NAME_SUFFIXES, TITLE_NOUNS, TITLE_WORDS, clean_surface, strip_possessive, tidy_role

# Named labels only: numbers and dates are facts (candidates.py reads them from the Doc).
NAMED_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                          "WORK_OF_ART", "LAW", "LANGUAGE"})
# Entity types a name part may carry when the model split a person's name in two.
_SPLIT_NAME_LABELS = frozenset({"", "PERSON", "ORG", "PRODUCT", "WORK_OF_ART"})
_ROLE_STOP_DEPS = frozenset({"det", "poss", "case", "cc", "punct", "prep", "predet"})
_ROLE_POS = frozenset({"NOUN", "PROPN", "ADJ", "ADV", "VERB"})
_MAX_ROLE_TOKENS = 6
_POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
_ROLE_ENTITIES = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})  # "Bank of Russia head"
_TRAILING_JUNK_POS = frozenset({"ADP", "CCONJ", "DET", "PART", "PUNCT", "SPACE"})
# Nouns that say what kind of thing a name is when written next to it ("Xinhua news agency",
# "news agency Xinhua", "the city of Harbin"): stronger evidence than the small model's guess.
ORG_NOUNS = frozenset("""
    agency newspaper daily broadcaster network channel company firm corporation group party
    ministry department bank university college institute council committee organisation
    organization alliance bloc union federation association club team airline outlet
    shares stock shareholders stake subsidiary headquarters users account accounts app apps platform
""".split())
PLACE_NOUNS = frozenset("city town village province region district county country capital port".split())


def _is_name_part(token: Token) -> bool:
    return (token.pos_ == "PROPN" and token.text[:1].isupper() and token.is_alpha
            and token.lower_ not in TITLE_WORDS and token.ent_type_ in _SPLIT_NAME_LABELS)


def extend_name_left(doc: Doc, start: int, end: int, is_part: Callable[[Token, range], bool], limit: int = 0) -> int:
    """Where a person's name starts once the name parts the model left out before doc[start:end]
    are added: tokens are taken while `is_part(token, current span)` holds, never before `limit`."""
    while start > limit and is_part(doc[start - 1], range(start, end)):
        start -= 1
    return start


def _name_part_of(token: Token, span: range) -> bool:
    return _is_name_part(token) and token.head.i in span and token.dep_ == "compound"


def _repair_person(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Extend a PERSON span over name parts the model left outside ('Yury' [ORG] 'Ushakov')."""
    root = doc[start:end].root
    start = extend_name_left(doc, start, end, _name_part_of)
    while end < len(doc) and _is_name_part(doc[end]) and root.head.i == end and root.dep_ == "compound":
        root = doc[end]
        end += 1
    # "Moon Jae" + "-in": a hyphenated given name the model cut (no spaces around the hyphen)
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
            and not doc[end].whitespace_ and doc[end + 1].is_alpha and doc[end + 1].is_lower \
            and len(doc[end + 1]) <= 3:
        end += 2
    return start, end


def entity_spans(doc: Doc) -> list[Span]:
    """doc.ents with PERSON spans repaired; spans swallowed by a repair are dropped."""
    spans: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            start, end = _repair_person(doc, ent.start, ent.end)
            spans.append((start, end, "PERSON"))
            taken.update(range(start, end))
    for ent in doc.ents:
        if ent.label_ != "PERSON" and not taken.intersection(range(ent.start, ent.end)):
            spans.append((ent.start, ent.end, ent.label_))
    return [Span(doc, s, e, label=label) for s, e, label in sorted(spans)]


def _name_tokens(span: Span) -> tuple[int, int]:
    """Token range of the name proper: leading article, titles and adjectives ('Russian
    President') and a trailing possessive left out."""
    start, end = span.start, span.end
    doc = span.doc
    while end - start > 1 and (doc[end - 1].text in _POSSESSIVES or doc[end - 1].pos_ in _TRAILING_JUNK_POS):
        end -= 1
    if span.label_ not in ("PERSON", "EVENT", "WORK_OF_ART", "LAW"):
        # "Xinhua news agency": lowercase descriptors are not part of an organisation's name
        while end - start > 1 and doc[end - 1].is_lower and doc[end - 1].pos_ in ("NOUN", "PROPN"):
            end -= 1
    is_person = span.label_ == "PERSON"
    if is_person:  # "Abe’s Twitter": the person is the possessor
        cut = next((t.i for t in doc[start + 1:end - 1] if t.text in _POSSESSIVES), None)
        end = cut if cut is not None else end
    while end - start > 1:
        token = doc[start]
        if token.pos_ == "DET" or token.is_punct or (is_person and (
                token.lower_ in TITLE_WORDS or token.pos_ in ("ADJ", "VERB") or token.is_lower)):
            start += 1
        else:
            break
    if is_person:  # "Tory Treasurer Lord Ashcroft": the name follows the last title
        for i in range(end - 2, start - 1, -1):
            if doc[i].lower_.rstrip(".") in TITLE_NOUNS and any(
                    t.is_alpha and t.lower_ not in NAME_SUFFIXES for t in doc[i + 1:end]):
                start = i + 1
                break
    return start, end


def _after_honorific(span: Span) -> int | None:
    """Where a person's name starts in a span the model typed otherwise ('Mr Brown' [ORG],
    'Tanzania Mr Brown' [GPE]): after the last form of address followed by a capital."""
    doc = span.doc
    for token in reversed(span[:-1]):
        if token.lower_.rstrip(".") in HONORIFICS and doc[token.i + 1].text[:1].isupper():
            return token.i + 1
    return None


def _left_role(doc: Doc, name_start: int, name_end: int) -> tuple[int, int] | None:
    """Token range of a title or role written straight before the name ('presidential aide',
    'Foreign Minister'), confirmed by the parse: the word next to the name modifies it."""
    closest = name_start - 1
    if closest < 0 or doc[closest].is_space:
        return None
    token = doc[closest]
    if not (token.head.i in range(name_start, name_end) and token.dep_ in ("compound", "amod", "nmod")):
        return None
    if not (token.pos_ == "NOUN" or token.lower_ in TITLE_WORDS):
        return None
    return _extend_left(doc, closest, name_end - 1)


def _extend_left(doc: Doc, head: int, limit: int) -> tuple[int, int]:
    """From a role's head word, take the contiguous modifiers on its left that attach into the
    phrase (their syntactic head lies between them and `limit`, the name's last token)."""
    start = head

    def attaches(token: Token) -> bool:
        return token.i < token.head.i <= limit

    while start > 0 and head - start < _MAX_ROLE_TOKENS - 1:
        prev = doc[start - 1]
        if prev.ent_type_ in _ROLE_ENTITIES:  # a whole organisation or place: "Bank of Russia head"
            first = start - 1
            while first > 0 and doc[first].ent_iob_ != "B":
                first -= 1
            if not any(attaches(t) for t in doc[first:start]):
                break
            start = first
            continue
        if prev.is_space or prev.dep_ in _ROLE_STOP_DEPS or prev.pos_ not in _ROLE_POS \
                or prev.text in _POSSESSIVES or prev.ent_type_ or not attaches(prev) \
                or (prev.pos_ == "VERB" and prev.tag_ != "VBN"):
            break
        start -= 1
    return start, head + 1


def _appositive_role(doc: Doc, root: Token) -> tuple[int, int] | None:
    """'defence minister, Andrei Belousov' or 'Yury Ushakov, a Kremlin aide,'."""
    if root.dep_ == "appos" and root.head.i < root.i and root.head.pos_ == "NOUN" \
            and not root.head.ent_type_:
        return _extend_left(doc, root.head.i, root.head.i)
    for child in root.children:
        if child.dep_ == "appos" and child.i > root.i and child.pos_ == "NOUN" and not child.ent_type_:
            words = [t for t in child.subtree if not t.is_punct and t.dep_ != "det"]
            if any(t.ent_type_ == "PERSON" for t in words):
                continue  # a misparse joining two people, not a role
            if 0 < len(words) <= _MAX_ROLE_TOKENS + 2 and words[-1].i - words[0].i < 10:
                return words[0].i, words[-1].i + 1
    return None


def kind_evidence(doc: Doc, start: int, end: int) -> str | None:
    """'ORG' or 'GPE' when a descriptor noun is attached to the name, else None."""
    root = doc[start:end].root
    near = [root.head] if root.head.i not in range(start, end) else []
    near += [t for t in root.children if t.i not in range(start, end) and t.dep_ in ("compound", "appos")]
    near += [t for t in doc[end:min(end + 2, len(doc))] if t.is_lower]  # "Xinhua news agency"
    near += [doc[start - 1]] if start and doc[start - 1].is_lower else []  # "news agency Xinhua"
    words = {t.lower_ for t in near if t.pos_ == "NOUN" and abs(t.i - root.i) <= 3}
    if words & ORG_NOUNS:
        return "ORG"
    if words & PLACE_NOUNS:
        return "GPE"
    return None


def _text(doc: Doc, start: int, end: int) -> str:
    return " ".join(doc[start:end].text.split())


def mention_of(span: Span, paragraph: int) -> Mention | None:
    doc = span.doc
    if span.label_ != "PERSON" and (cut := _after_honorific(span)) is not None:
        span = Span(doc, cut, span.end, label="PERSON")
    start, end = _name_tokens(span)
    text = clean_surface(strip_possessive(_text(doc, start, end)))
    if not text:
        return None
    role = None
    label = span.label_
    if label in ("PERSON", "GPE", "ORG", "LOC", "FAC", "NORP"):
        label = kind_evidence(doc, start, end) or label
    if label == "PERSON":
        found = _left_role(doc, start, end) or _appositive_role(doc, doc[start:end].root)
        # one person's role is singular: "islands", "celebrations" next to a name are not roles
        if found and doc[found[1] - 1].tag_ not in ("NNS", "NNPS"):
            role = tidy_role(_text(doc, *found)) or None
    return Mention(text=text, label=label, paragraph=paragraph,
                   sentence=span.sent.text.strip(), role=role)


def mentions_of(doc: Doc, paragraph_of: Callable[[int], int]) -> tuple[Mention, ...]:
    """Every named mention of the doc in reading order."""
    out = []
    for span in entity_spans(doc):
        if span.label_ in NAMED_LABELS:
            mention = mention_of(span, paragraph_of(span.start_char))
            if mention is not None:
                out.append(mention)
    return tuple(out)
