"""Sentences about another event or period than the article's own (background).

The common trap of a key-facts table: a number from a list of earlier shootings, a 1996 fall at
another zoo, a 2010 death caused by another animal. Signs, all syntactic:

- a year before the publication year in the sentence ("In 1991 the station crashed", "the 2013
  mauling"), except after "since"/"until" ("the first title since 1908" is about today); a number
  in the main clause is not background when the year sits in a subordinate clause ("launched in
  2011, it weighs 8.5 tonnes" states today's mass);
- a paragraph after a list introduction about other events ("Here are some of the deadliest
  shootings of the past 25 years:");
- a list heading line ("Florida club: 49 killed"): a short body paragraph "label: words".

The analysis only marks candidates (Candidate.background); the facts stage decides, because only
it knows the story's subject (a past year about the story's own subject is its history, not
another event) and keeps the trace of what it dropped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
NOT_BACKGROUND_PREPS = frozenset({"since", "until", "till", "through"})
# Words of a list introduction that announce other events ("in the past 25 years", "previous").
LIST_INTRO_WORDS = frozenset({"past", "previous", "earlier", "other", "recent", "history", "prior", "similar",
                              "deadliest", "worst", "biggest", "largest", "timeline", "list"})
LIST_HEADING = re.compile(r"^[^:.!?]{2,40}:\s+\S")
MAX_HEADING_WORDS = 8
MIN_YEARS_BACK = 2  # "in 2016" in a 2017 article is often the story's own recent past; 2015 and before is another time


def past_years(sent: Span, pub_year: int | None) -> list[Token]:
    """Year tokens of the sentence before the publication year, not after "since"/"until"."""
    if pub_year is None:
        return []
    out = []
    for tok in sent:
        if not _YEAR.match(tok.text) or int(tok.text) > pub_year - MIN_YEARS_BACK or tok.like_num is False:
            continue
        if tok.ent_type_ not in ("DATE", ""):
            continue
        window = [t.lower_ for t in sent.doc[max(sent.start, tok.i - 4):tok.i]]
        if any(w in NOT_BACKGROUND_PREPS for w in window):
            continue
        out.append(tok)
    return out


def _clause_verb(tok: Token) -> Token | None:
    node = tok
    for _ in range(12):
        if node.pos_ in ("VERB", "AUX") and node is not tok:
            return node
        if node.head is node:
            return node if node.pos_ in ("VERB", "AUX") else None
        node = node.head
    return None


def in_main_clause_apart(tok: Token, years: Sequence[Token]) -> bool:
    """True when `tok` sits in the sentence's main clause and every past year in a subordinate one."""
    verb = _clause_verb(tok)
    if verb is None or verb.dep_ != "ROOT":
        return False
    return all((_clause_verb(y) is not None and _clause_verb(y).dep_ != "ROOT") for y in years)


def sentence_background(sent: Span, pub_year: int | None, token: Token | None = None) -> str:
    """Why a sentence (or the candidate at `token`) may be about another event; "" when it is not."""
    years = past_years(sent, pub_year)
    if not years:
        return ""
    if token is not None and in_main_clause_apart(token, years):
        return ""
    subjects = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass")]
    subject = next((t for t in subjects if t.head.dep_ == "ROOT"), subjects[0] if subjects else None)
    if subject is None:
        return f"past year {years[0].text}"
    words = sent.doc[subject.left_edge.i:subject.i + 1].text[:80]
    return f"past year {years[0].text} (subject: {words})"


def paragraph_background(paragraphs: Sequence[str]) -> dict[int, str]:
    """Paragraph index -> reason, for list headings and paragraphs after a list of other events."""
    out: dict[int, str] = {}
    after_list = None
    for i, para in enumerate(paragraphs):
        text = para.strip()
        if after_list is not None:
            out[i] = f"after a list of other events (paragraph {after_list})"
            continue
        words = re.findall(r"[a-z]+", text.lower())
        if text.endswith(":") and LIST_INTRO_WORDS & set(words):
            after_list = i
            continue
        if len(text.split()) <= MAX_HEADING_WORDS and LIST_HEADING.match(text):
            out[i] = "list heading line"
    return out
