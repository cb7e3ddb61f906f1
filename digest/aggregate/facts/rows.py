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
NOT_EVENTS = frozenset({"morning", "afternoon", "evening", "night", "day", "week", "month", "year", "time",
                        "news", "seem", "say", "tell", "report", "be", "have", "date", "today", "weekend"})
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
        if article not in self.cells or _lead_order(cand.paragraph) < _lead_order(self.cells[article].paragraph):
            self.cells[article] = cand
        self.mentions.setdefault(article, []).append(cand)


def _lead_order(paragraph: int) -> tuple[int, int]:
    """Headline (-1) first, then the standfirst (-2), then the body in order."""
    return (0, 0) if paragraph == -1 else (1, 0) if paragraph == -2 else (2, paragraph)


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


QUALIFIER_WORDS = {"of": "part", "among": "part", "including": "part"}
# What a measure of size under these words is: a height ("fell 12 feet", "a 30-foot drop").
VERTICAL = frozenset({"fall", "drop", "plunge", "tumble", "climb", "jump", "dive", "wall", "cliff", "tower",
                      "wave", "height", "altitude", "rise", "slip"})


def qualified_key(c: Candidate) -> str:
    """The row key of a count: its key and the qualifiers that make it another quantity."""
    return f"{c.key} [{', '.join(c.qualifiers)}]" if c.qualifiers else c.key


def number_label(key: str, names: Names) -> str:
    if key.endswith("]") and " [" in key:
        base, _, quals = key[:-1].partition(" [")
        words = dict.fromkeys(QUALIFIER_WORDS.get(q, q) for q in quals.split(", "))
        return f"{number_label(base, names)} ({', '.join(words)})"
    if key.endswith(" per share"):
        return key[0].upper() + key[1:]
    if key == "age of child":
        return "Age of child"
    words = key.split()
    if len(words) == 2 and words[1] in ("size", "weight", "distance", "speed"):  # measures: "fall size"
        name = "height" if words[1] == "size" and words[0] in VERTICAL else \
            "length" if words[1] == "size" else words[1]
        return f"{words[0].capitalize()} {name}"
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
    keyed: list[tuple[str, str, Candidate]] = []
    for a in story:
        for c in a.candidates:
            if c.kind != "number":
                continue
            key = c.key if not c.key.startswith("age of ") else "age of " + names.resolve(c.key[7:])[1]
            keyed.append((a.article.id, _fold_owner(qualified_key(c) if key == c.key else key, names, main), c))
    # An article giving two different ages under one key speaks of two people: neither is the row's.
    ages: dict[tuple[str, str], set[str]] = {}
    for art, key, c in keyed:
        if key.startswith("age of "):
            ages.setdefault((art, key), set()).add(c.value)
    keyed = [(art, key, c) for art, key, c in keyed if len(ages.get((art, key), ())) < 2]
    big = _shared_big_values(keyed)
    for art, key, c in keyed:
        value_key = big.get(_big_value(c))
        if value_key is not None:
            key = value_key
        row = rows.setdefault(key, Row("number", key, number_label(key, names)))
        row.add(art, c)
    return list(rows.values())


BIG = 1e6  # a figure this large, stated alike by several outlets, is one fact whatever noun they chose


def _big_value(c: Candidate) -> str | None:
    """'11.5 million' / '$5 billion' when the value is a large plain figure (no unit, no qualifier)."""
    m = re.fullmatch(r"(\$|£|€|¥)?(\d[\d.,]*(?: (?:million|billion|trillion)))", c.value)
    if not m or c.qualifiers or c.key.startswith("age of ") or c.key.endswith(" per share"):
        return None
    return c.value


def _shared_big_values(keyed: list[tuple[str, str, Candidate]]) -> dict[str, str]:
    """Large values several articles state (under any counted noun: "$5 billion hit" and "$5
    billion charge", "11.5 million documents" and "files") -> the row key they share: the key
    most of their mentions use."""
    arts: dict[str, set[str]] = {}
    keys: dict[str, Counter] = {}
    for art, key, c in keyed:
        value = _big_value(c)
        if value is not None:
            arts.setdefault(value, set()).add(art)
            keys.setdefault(value, Counter())[key] += 1
    return {v: min(keys[v], key=lambda k: (-keys[v][k], len(k), k)) for v, a in arts.items() if len(a) >= 2}


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
