"""When two reported numbers are the same value, and when different values are a real conflict.

Same value: equal after normalising, or within 5% when one is approximate ("about 12 feet") or a
converted measure (130-foot vs 40 metres). Different values are a conflict only when the rows
count the same thing: role counts (killed, injured, ...), ages, durations and ordinals always
do; for counts of a plain noun ("games", "miles", "offshore companies") the sentences must share
their context and be published within a week of each other, otherwise each value is its own fact and rows with one origin are dropped
(a lone "15 games" is not a key fact of a story).
"""

from __future__ import annotations

import re
from typing import Mapping

from digest.model import Candidate
from digest.text.numbers import ROLE_SYNONYMS, measure_of, parse_number
from digest.aggregate.facts.rows import ORDINAL_KEYS, Row, content_words, independent
from digest.text.dates import day_of

TOLERANCE = 0.05
MIN_SHARED_CONTEXT = 4  # content words two sentences share (numbers aside) to count the same thing
MAX_DAYS_APART = 7
MAX_RATIO = 3.0  # values further apart than this are not one quantity (see far_apart)  # plain counts published further apart than this are not compared


def _number(value: str) -> float | None:
    m = re.fullmatch(r"\$?([\d.,]+(?: (?:million|billion|trillion))?)(?: \w+)?", value)
    return parse_number(m.group(1).split()) if m else None


def same_value(a: Candidate, b: Candidate) -> bool:
    if a.value == b.value:
        return True
    ma, mb = measure_of(a.value), measure_of(b.value)
    if ma and mb:
        if ma[0] != mb[0]:
            return False
        x, y, tol = ma[1], mb[1], TOLERANCE
    else:
        x, y = _number(a.value), _number(b.value)
        if x is None or y is None:
            return False
        tol = TOLERANCE if (a.approx or b.approx) else 0.0
    return abs(x - y) <= tol * max(abs(x), abs(y))


def always_comparable(key: str) -> bool:
    """Keys that name exactly one quantity of the story."""
    return key in ROLE_SYNONYMS or key.startswith("age of ") or key.endswith(" length") \
        or key in ORDINAL_KEYS or any(f" {p} " in key for p in ("after", "before", "since"))


def _context(c: Candidate) -> set[str]:
    return {w for w in content_words(c.sentence) if not w.isdigit()}


def _days_apart(a: str | None, b: str | None) -> int:
    first, second = day_of(a), day_of(b)
    return abs((first - second).days) if first and second else 0


def split_number_row(row: Row, republished: Mapping[str, str],
                     published: Mapping[str, str | None] | None = None) -> list[Row]:
    """One row, or one row per value when the values are different facts (see module doc)."""
    clusters: list[list[tuple[str, Candidate]]] = []
    for art, cand in sorted(row.cells.items()):
        home = next((cl for cl in clusters if same_value(cl[0][1], cand)), None)
        if home is None:
            clusters.append([(art, cand)])
        else:
            home.append((art, cand))
    if len(clusters) == 1:
        return [row]
    if always_comparable(row.key):
        return [row]  # one quantity of the event: an update can move far ("a dozen missing", later 3)
    if far_apart([c for cl in clusters for _, c in cl]):
        return _separate(row, clusters, republished)  # a plain count: another quantity
    # Different values: one conflict row if the sentences say the same thing, else separate facts.
    contexts = [set().union(*(_context(m) for art, c in cl for m in row.mentions.get(art, [c]) if same_value(m, c)))
                for cl in clusters]
    related = all(len(contexts[0] & other) >= MIN_SHARED_CONTEXT for other in contexts[1:])
    when = published or {}
    if related and any(_days_apart(when.get(a), when.get(b)) > MAX_DAYS_APART
                       for x in clusters for y in clusters if x is not y for a, _ in x for b, _ in y):
        related = False  # weeks apart in a long-running story: another launch, another bid
    if related:
        return [row]
    return _separate(row, clusters, republished)


def _magnitude(c: Candidate) -> float | None:
    measure = measure_of(c.value)
    return measure[1] if measure else _number(c.value)


def far_apart(cands: list[Candidate]) -> bool:
    """True when two values of a row differ more than MAX_RATIO times: outlets reporting one
    quantity do not disagree that much ("2,000 signed" and "300,000 signed" are two moments or
    two petitions), so they are not one conflict. Role counts are exempt: a missing count falls
from a dozen to three as people are found."""
    values = [v for v in (_magnitude(c) for c in cands) if v is not None and v > 0]
    return len(values) >= 2 and max(values) > MAX_RATIO * min(values)


def _separate(row: Row, clusters: list[list[tuple[str, Candidate]]], republished: Mapping[str, str]) -> list[Row]:
    out = []
    for cl in sorted(clusters, key=lambda cl: (-len(cl), cl[0][0])):
        if independent([a for a, _ in cl], republished) < 2:
            continue
        part = Row(row.kind, row.key, row.label)
        for art, cand in cl:
            part.add(art, cand)
        out.append(part)
    return out


def value_groups(row: Row) -> list[list[str]]:
    """Article ids grouped by same value (for status: one group = agreed)."""
    groups: list[list[str]] = []
    for art, cand in sorted(row.cells.items()):
        home = next((g for g in groups if same_value(row.cells[g[0]], cand)), None)
        if home is None:
            groups.append([art])
        else:
            home.append(art)
    return groups
