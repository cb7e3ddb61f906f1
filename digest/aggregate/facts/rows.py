"""Aligning candidates of one story into rows: one row per thing reported, one cell per article.

Numbers align on their key (the counted noun or the synonym-set role: killed/dead/died all read
"killed"), dates on their ISO value, places and people on their entity, quotes on speaker plus
fuzzy wording (rapidfuzz). Claims are aligned in claims.py.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from rapidfuzz import fuzz

from digest.model import AnalysedArticle, Candidate, EntityIndex
from digest.text.slugs import slugify

QUOTE_MATCH = 85  # rapidfuzz ratio above which two quotes are the same statement
SAME_SPEAKER_MATCH = 58  # lower when both name the same speaker: a paraphrase or a partial quote
ORDINAL_KEYS = {"anniversary (nth)", "term (nth)", "birthday (nth)"}  # one per story: always comparable
ROLE_LABELS = {"killed": "Killed", "injured": "Injured", "arrested": "Arrested", "missing": "Missing",
               "evacuated": "Evacuated"}
# Words a date attaches to that are not events ("on Monday morning", "the news on Sunday").
# Nor are verbs of saying, writing, seeing and the like, or general verbs: the date is of
# something the sentence reports ("wrote on Friday", "followed on 27 February"), not an event.
NOT_EVENTS = frozenset({"morning", "afternoon", "evening", "night", "day", "week", "month", "year", "time",
                        "news", "seem", "say", "tell", "report", "be", "have", "date", "today", "weekend",
                        "write", "inform", "follow", "run", "show", "level", "profit", "music", "see", "make",
                        "include", "expect", "know", "think", "want", "get", "give", "put", "keep", "become",
                        "remain", "continue", "post", "tweet", "read", "add", "note", "state", "reply",
                        "respond", "comment", "learn", "hear", "feel", "look", "find", "use", "need", "do",
                        "go", "come", "take", "bring", "send", "ask", "call", "figure", "number", "result"})
_STOP = frozenset("""a an the of to in on at for and or but is are was were be been it its this that
these those with by from as his her their our we you they he she i not no any all very so there
will would can could has have had do does did than then into over about also however when
where which who whom what while s said says say just last two one more most such other only""".split())


def slug(text: str, words: int = 8) -> str:
    """A fact id's slug: its first words ("don't" -> 'dont'), 'x' when nothing is left."""
    return slugify(text, join_apostrophes=True, max_words=words, empty="x")


@dataclass
class Row:
    """A row being built: kind, alignment key, label, and the candidate each article reported."""

    kind: str
    key: str
    label: str
    cells: dict[str, Candidate] = field(default_factory=dict)  # article id -> candidate
    speaker: str | None = None  # entity id (quotes)
    value: str | None = None  # fixed value (places, people): otherwise decided by status
    # Every mention per article, the cell's included: a headline states the figure, the lead
    # sentence says what it counts (facts.values compares what values count by their sentences).
    mentions: dict[str, list[Candidate]] = field(default_factory=dict)

    def add(self, article: str, cand: Candidate) -> None:
        # One cell per article: its first mention (lead paragraphs carry the main figure).
        if article not in self.cells or cand.paragraph < self.cells[article].paragraph:
            self.cells[article] = cand
        self.mentions.setdefault(article, []).append(cand)


class Names:
    """Surface name -> (entity id, canonical name, label) from the story-wide entity index."""

    def __init__(self, index: EntityIndex):
        self.by_surface: dict[str, tuple[str, str, str]] = {}
        for ent in index.entities:
            for surface in (ent.name, *ent.aliases):
                self.by_surface.setdefault(surface.lower(), (ent.id, ent.name, ent.label))

    def resolve(self, surface: str) -> tuple[str, str, str | None]:
        """(id, display name, label or None when the index does not know the name)."""
        hit = self.by_surface.get(surface.lower())
        if hit is None and " " in surface:  # "Yury Ushakov" known only as "Ushakov"
            hit = self.by_surface.get(surface.split()[-1].lower())
        if hit is None:
            return slug(surface), surface, None
        return hit


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es" if not noun.endswith("s") else noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def number_label(key: str, names: Names) -> str:
    if FOREIGN in key:
        base, _, owner = key.partition(" " + FOREIGN)
        return f"{number_label(base, names)} ({owner}"
    if key in ROLE_LABELS:
        return ROLE_LABELS[key]
    if key.startswith("age of "):
        return "Age of " + names.resolve(key[7:])[1]
    if key.endswith(" (nth)"):
        return key[0].upper() + key[1:-6]
    if key.endswith(" length") or " after " in key or " before " in key \
            or " since " in key or " " in key and key.split()[0] in ("people", "person"):
        return key[0].upper() + key[1:]
    words = key.split()
    words[-1] = _plural(words[-1])
    text = " ".join(words)
    return text[0].upper() + text[1:]


def content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")) if w not in _STOP]


FOREIGN = "(of "  # key part naming someone other than the story's subject: "charge (of Bank of America)"


def main_entities(story: Sequence[AnalysedArticle], index: EntityIndex) -> set[str]:
    """Entity ids named by at least half of the story's articles (what the story is about)."""
    counts = Counter(ref.entity for a in story for ref in index.by_article.get(a.article.id, ()))
    return {e for e, n in counts.items() if 2 * n >= len(story)}


def _fold_owner(key: str, names: Names, main: set[str]) -> str:
    """'charge @Goldman Sachs' -> 'charge' when Goldman is the story's subject; kept otherwise."""
    base, _, owner = key.partition(" @")
    if not owner:
        return key
    ent_id, name, _ = names.resolve(owner)
    return base if ent_id in main else f"{base} {FOREIGN}{name})"


def number_rows(story: Sequence[AnalysedArticle], names: Names, main: set[str] = frozenset()) -> list[Row]:
    rows: dict[str, Row] = {}
    for a in story:
        for c in a.candidates:
            if c.kind != "number":
                continue
            key = c.key if not c.key.startswith("age of ") else "age of " + names.resolve(c.key[7:])[1]
            key = _fold_owner(key, names, main)
            row = rows.setdefault(key, Row("number", key, number_label(key, names)))
            row.add(a.article.id, c)
    return list(rows.values())


def _date_start(value: str) -> str:
    return value.split("/")[0]


def date_rows(story: Sequence[AnalysedArticle]) -> list[Row]:
    """Rows of specific dates: ISO day, range or month; a year alone only when several report it."""
    rows: dict[str, Row] = {}
    partial: list[tuple[str, Candidate]] = []
    for a in story:
        for c in a.candidates:
            if c.kind != "date" or not re.match(r"^(\d{4}|--\d\d-\d\d)", c.value):
                continue
            if c.value.startswith("--"):
                partial.append((a.article.id, c))
                continue
            rows.setdefault(_date_start(c.value), Row("date", _date_start(c.value), "")).add(a.article.id, c)
    for article, c in partial:  # "May 16-17" without a year joins the story's 2024-05-16 if there is one
        same = [k for k in rows if k[4:] == _date_start(c.value)[1:]]
        if len(same) == 1:
            rows[same[0]].add(article, c)
        else:
            rows.setdefault(_date_start(c.value), Row("date", _date_start(c.value), "")).add(article, c)
    out = []
    for key, row in rows.items():
        events = Counter(c.key for c in row.cells.values() if c.key and not re.match(r"^[a-z]+day$", c.key)
                         and c.key not in NOT_EVENTS and c.key.isascii())
        if not events:
            continue  # a date nothing happens on ("announced on Monday") is not a key fact
        event = min(events, key=lambda e: (-events[e], e))
        if len(key) == 4 and len(row.cells) < 2:
            continue
        row.key = f"{event} {key}"
        row.label = f"Date: {event}"
        out.append(row)
    return out


def entity_rows(story: Sequence[AnalysedArticle], names: Names, kind: str) -> list[Row]:
    """Places (event places) and people (with roles): one row per entity."""
    rows: dict[str, Row] = {}
    wanted = "place" if kind == "place" else "person"
    for a in story:
        for c in a.candidates:
            if c.kind != kind:
                continue
            ent_id, name, label = names.resolve(c.key)
            if label is not None and label != wanted:
                continue  # the index knows better than one sentence ("Xinhua" is not a person)
            row = rows.setdefault(ent_id, Row(kind, ent_id, name, value=name))
            row.add(a.article.id, c)
    out = []
    for row in rows.values():
        if kind == "person":
            roles = Counter(c.value for c in row.cells.values() if c.value)
            if not roles and (len(row.cells) < 2 or " " not in row.label):
                continue  # no role: a passing mention, or a one-word name (often a place or ship)
            row.value = roles.most_common(1)[0][0] if roles else row.label
        out.append(row)
    return out


def quote_rows(story: Sequence[AnalysedArticle], names: Names) -> list[Row]:
    """Quotes of one speaker that say the same thing, even worded differently, form one row."""
    rows: list[Row] = []
    for a in story:
        for c in a.candidates:
            if c.kind != "quote":
                continue
            speaker_id, speaker_name, _ = names.resolve(c.speaker) if c.speaker else (None, None, None)
            match = next((r for r in rows if a.article.id not in r.cells and _same_speaker(r.speaker, speaker_id)
                          and max(_quote_score(c.value, x.value, bool(r.speaker and speaker_id))
                                  for x in r.cells.values()) >= 0), None)
            if match is None:
                match = Row("quote", "", f"Quote: {speaker_name}" if speaker_name else "Quote",
                            speaker=speaker_id)
                rows.append(match)
            match.add(a.article.id, c)
            if speaker_id is not None and len(speaker_id) > len(match.speaker or ""):
                match.speaker, match.label = speaker_id, f"Quote: {speaker_name}"
    for row in rows:  # id words: the speaker and the quote's last two content words (any order of articles)
        tails = Counter(tuple(content_words(c.value)[-2:]) for c in row.cells.values())
        tail = min(tails, key=lambda t: (-tails[t], t))
        name = row.label.removeprefix("Quote: ") if row.speaker else "unattributed"
        row.key = "-".join([slug(name, 4), *tail])
    return rows


def _quote_score(a: str, b: str, same_speaker: bool) -> float:
    """>= 0 when two quotes are the same statement (margin above the threshold)."""
    a, b = a.lower(), b.lower()
    if same_speaker:
        return max(fuzz.ratio(a, b), fuzz.token_set_ratio(a, b)) - SAME_SPEAKER_MATCH
    return fuzz.ratio(a, b) - QUOTE_MATCH


def _same_speaker(a: str | None, b: str | None) -> bool:
    """Unknown matches anyone; "ushakov" (surname only, not in the index) matches "yury-ushakov"."""
    return a is None or b is None or a == b or a.endswith("-" + b) or b.endswith("-" + a)


def independent(sources: Sequence[str], republished: Mapping[str, str]) -> int:
    """How many independent origins a set of articles has (copies count as their original)."""
    return len({republished.get(s, s) for s in sources})
