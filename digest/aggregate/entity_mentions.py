"""Usable entity mentions of a corpus: one Occurrence per mention that names something.

Junk is dropped here, before any merging: page furniture, numbers, lowercase words, bare
titles, headline fragments, and what entity_evidence shows is no proper name (dates, sentence
fragments, caption run-ons, shouted map labels, common words never capitalised inside an
ordinary sentence). The coarse label of each mention is the model's, corrected by the shape of
the name (a legal suffix, a geographic first word, an acronym).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from operator import attrgetter
from typing import Iterable, Sequence

from digest.aggregate.entity_evidence import (WordStats, after_clock_time, evidence_kind, has_stray_quote,
                                             in_ordinary_position, is_common_words, is_cut_name, is_date_name,
                                             is_demonym, is_headline_run, is_list, name_before, is_prefixed_adjective,
                                             is_sentence_fragment, is_shouted_run, leading_gerund, names_a_team_or_body,
                                             quoted, run_on_parts)
from digest.model import AnalysedArticle
from digest.text.names import LEGAL_SUFFIXES, TITLE_WORDS, clean_surface, is_acronym, name_key

COARSE_LABELS = {
    "PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organization",
    "EVENT": "event", "NORP": "norp", "PRODUCT": "other", "WORK_OF_ART": "other", "LAW": "other",
    "LANGUAGE": "other",
}
LABELS = ("person", "organization", "place", "event", "other")  # also the tie-break order
# Acronyms that do name places; any other acronym the model calls a place is an organization
# (the small model tags BRICS, NATO, ASEAN as GPE).
PLACE_ACRONYMS = frozenset({"united states", "united kingdom", "united arab emirates", "soviet union",
                            "democratic republic of congo", "china", "north korea", "south korea",
                            "nyc", "dc", "la"})  # name keys (names.name_key expands US, UK, DPRK ...)
BOILERPLATE = frozenset({
    "comments", "comment", "share", "advertisement", "related", "read more", "subscribe",
    "newsletter", "photo", "video", "getty images", "file photo", "sign up", "log in",
})


@dataclass(slots=True)  # no __dict__: tens of thousands of these, less for the GC to walk
class Occurrence:
    """One usable mention with the article it came from."""

    article: str
    outlet: str | None
    surface: str
    key: str
    label: str  # coarse
    sentence: str
    role: str | None
    node: str = ""  # the union-find node it belongs to (its key, or a full name's key)




def is_junk(surface: str) -> bool:
    """Surfaces that are never an entity worth a page."""
    words = surface.split()
    return (len(surface) < 2 or not any(c.isalpha() for c in surface) or surface[0].isdigit()
            or (not any(c.isupper() for c in surface) and any(c.islower() for c in surface))  # "week"; "习近平" has no case
            or any(c in surface for c in "/|@©\n") or "http" in surface
            or len(words) > 8 or len(surface) > 60
            or surface.lower() in BOILERPLATE
            or all(w.lower().strip(".") in TITLE_WORDS for w in words))


# First words that make a name a place whatever the model says ("Cape Erimo" tagged PERSON).
PLACE_PREFIXES = frozenset("cape mount mt lake river port fort gulf bay isle island strait".split())


def coarse_label(label: str, surface: str, key: str) -> str | None:
    coarse = COARSE_LABELS.get(label)
    if coarse in ("person", "organization") and len(key.split()) > 1 and key.split()[0] in PLACE_PREFIXES:
        return "place"
    if coarse and surface.split()[-1].lower().rstrip(".") in LEGAL_SUFFIXES and len(surface.split()) > 1:
        return "organization"  # "Qualcomm Inc."
    if coarse == "place" and is_acronym(surface) and key not in PLACE_ACRONYMS:
        return "organization"
    return coarse


# Verbs that turn a capitalised run of words into a headline, not a name ("Schedule Was So
# Horrible"); checked after the first word only ("Will Smith").
_HEADLINE_VERBS = frozenset("was were is are has have had says said would could".split())


def is_headline_fragment(surface: str, lowercase: set[str]) -> bool:
    """Capitalised text from a headline the model took for a name: a verb inside a multi-word
    name, or one shouted common word ('ANGER', 'HOTEL': the corpus writes them in lowercase)."""
    words = surface.split()
    if len(words) > 1:
        return any(w.lower() in _HEADLINE_VERBS for w in words[1:])
    return len(surface) > 3 and surface.isupper() and surface.lower() in lowercase


def lowercase_words(analysed: Sequence[AnalysedArticle]) -> set[str]:
    """Every word the corpus writes in lowercase somewhere (common words, not names)."""
    sentences = {s for item in analysed for _, s in item.sentences}
    return lowercase_in(sentences | {m.sentence for item in analysed for m in item.mentions})


_LOWERCASE_WORD = re.compile(r"\b[a-z]+\b")


def lowercase_in(texts: Iterable[str]) -> set[str]:
    # One scan of the texts joined by a non-word character finds the same words as one scan
    # per text, without a call per sentence.
    return set(_LOWERCASE_WORD.findall("\n".join(texts)))


def corpus_stats(analysed: Sequence[AnalysedArticle]) -> WordStats:
    """How the corpus writes each word (entity_evidence.WordStats), from every sentence."""
    sentences = [s for item in analysed for _, s in item.sentences]
    sentences += [m.sentence for item in analysed for m in item.mentions]
    return WordStats.of(dict.fromkeys(sentences))


def occurrences(analysed: Sequence[AnalysedArticle], stats: WordStats | None = None) -> list[Occurrence]:
    """Every usable mention (see _usable_name), without the names the corpus shows are no
    proper names (drop_common_names) and caption run-ons ('Ada LovelaceAda': both halves of
    the glued word are names of the same article)."""
    stats = stats or corpus_stats(analysed)
    lowercase = {w for w, n in stats.lower.items() if n}
    named: dict[tuple[str, str], tuple[str, str, str] | None] = {}  # a corpus repeats its names
    out = []
    for item in analysed:
        found = []
        in_sentence = group_by(item.mentions, attrgetter("sentence"))
        for m in item.mentions:
            if (m.text, m.label) not in named:
                named[m.text, m.label] = _usable_name(m.text, m.label, lowercase, stats)
            name = named[m.text, m.label]
            cut = name is not None and _cut_from_longer(m, in_sentence[m.sentence], stats)
            if cut and m.label in WHOLE_NAME_LABELS and (longer := name_before(m.text, m.sentence)):
                # An organisation's or a work's name cut on its left: the whole name is the mention.
                name, cut = _usable_name(longer, m.label, lowercase, stats), False
            if name and (is_sentence_fragment(name[0]) and not (m.label == "WORK_OF_ART" and quoted(name[0], m.sentence))
                         or after_clock_time(name[0], m.sentence) or is_headline_run(name[0], m.sentence)
                         or cut):
                continue
            if name:
                found.append(Occurrence(item.article.id, item.article.outlet, *name, m.sentence, m.role))
        words = Counter(w for o in found for w in o.surface.split())
        out += [o for o in found
                if not any(words[a] and words[b] for a, b in run_on_parts(o.surface))]
    return drop_common_names(out, stats)


# Labels of names made of several capitalised words that a cut leaves incomplete (a person's or a
# place's name is not extended: 'Tods Murray' is a firm, not a longer person).
WHOLE_NAME_LABELS = frozenset({"ORG", "FAC", "WORK_OF_ART", "EVENT", "PRODUCT"})


def _cut_from_longer(m, sentence_mentions, stats: WordStats | None = None) -> bool:
    """The mention is a piece of a longer name (entity_evidence.is_cut_name: 'Tods [Murray]',
    '[Wright]-Phillips'), or a place naming a team or body the model tagged apart
    ('[Tennessee] Titans'): it does not mention the thing its words name alone."""
    others = [o.text for o in sentence_mentions if o is not m]
    if is_cut_name(m.text, m.sentence, others, after_only=m.label == "PERSON", place=m.label in ("GPE", "LOC"),
                   stats=stats):
        return True
    return m.label in ("GPE", "LOC") and names_a_team_or_body(
        m.text, m.sentence, [o.text for o in sentence_mentions if o is not m and o.label in ("ORG", "NORP")])


def drop_common_names(occs: list[Occurrence], stats: WordStats) -> list[Occurrence]:
    """Names made only of common words of the corpus ('Concert', 'Quick Menu') that are never
    written capitalised inside an ordinary sentence are headline, caption or sentence-start
    words, not names; one common word the corpus mostly writes in lowercase ('Media') is no
    name wherever it stands; nor are the people of a place the corpus names ('Londoners')."""
    by_key = group_by(occs, attrgetter("key"))
    places = {key for key, group in by_key.items() if vote(o.label for o in group) == "place"}
    junk = {key for key in by_key if is_demonym(key, places)}
    for key, group in by_key.items():
        surfaces = {o.surface for o in group}
        if not all(is_common_words(s, stats) for s in surfaces):
            continue
        single = len(key.split()) == 1 and all(stats.mostly_lowercase(s) for s in surfaces)
        if single or not any(in_ordinary_position(o.surface, o.sentence) for o in group):
            junk.add(key)
    return [o for o in occs if o.key not in junk]


def _usable_name(text: str, label: str, lowercase: set[str], stats: WordStats | None = None
                 ) -> tuple[str, str, str] | None:
    """(surface, key, coarse label) of a mention worth clustering; None for junk: dates,
    shouted caption runs; a leading gerund is cut off. (Sentence fragments are judged with
    their sentence in `occurrences`: a quoted title may read like one.)"""
    surface = clean_surface(_SPACED_DASH.split(text)[0])
    if stats is not None and surface and leading_gerund(surface, stats):
        surface = surface.split(None, 1)[1]
    if not surface or is_junk(surface) or is_date_name(surface) or is_list(surface) or has_stray_quote(surface) \
            or is_prefixed_adjective(surface):
        return None
    if label == "PERSON":
        surface = _person_edges(surface)
    if stats is not None and is_shouted_run(surface, stats):
        return None
    key = name_key(surface)
    coarse = coarse_label(label, surface, key)
    if coarse is None or not key or (coarse != "other" and is_headline_fragment(surface, lowercase)):
        return None
    return surface, key, coarse


# A dash between spaces ends a name: what follows is the sentence ('Harbour Cup - good news').
_SPACED_DASH = re.compile(r"\s[-–—]\s")
_SHOUTED_LEAD = re.compile(r"^(?:[A-Z][A-Z'’]{3,}\s+)+(?=[A-Z][a-z])")
_TRAILING_NUMBER = re.compile(r"(?:\s+\d+)+$")


def _person_edges(surface: str) -> str:
    """A person's name without a shouted caption word in front ('GRACES Donna Air' -> 'Donna
    Air': names are not written half in capitals) and without numbers after it ('Rooney 87': a
    scorer's minute, a shirt number)."""
    return _TRAILING_NUMBER.sub("", _SHOUTED_LEAD.sub("", surface)) or surface


def vote(labels: Iterable[str]) -> str:
    """Most frequent label, ties broken by LABELS order; 'norp' when nationality-type mentions
    are at least as many as all others together (the name is then left out of the index)."""
    labels = list(labels)
    if labels and labels.count(labels[0]) == len(labels):
        return labels[0]  # unanimous, the usual case ("norp" alone included)
    counts = Counter(labels)
    others = {k: v for k, v in counts.items() if k != "norp"}
    if not others or counts["norp"] >= sum(others.values()):
        return "norp"
    return max(others, key=lambda k: (others[k], -LABELS.index(k)))



def kind_of(occs: Sequence[Occurrence]) -> str:
    """The model's labels voted over `occs`, then weighed against the words around them
    (entity_evidence.evidence_kind: 'on Chirper' is no person)."""
    voted = vote(o.label for o in occs)
    if voted == "norp":
        return voted
    return evidence_kind(voted, [(o.surface, o.sentence, o.role) for o in occs], Counter(o.label for o in occs))


def group_by(items, key) -> dict:
    out: dict = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return out

