"""Dates and times in article text, normalised to ISO 8601 against the publication date.

`normalise_date` is pure string logic (one tested pattern per branch); `date_candidates` finds
the expressions in a spaCy Doc (its DATE entities) and decides the tense that resolves weekday
and month-only words. Without a publication date relative words ("Thursday", "last October")
are kept as words and never guessed; a day and month without a year becomes ISO "--MM-DD".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from digest.text.dates import MONTHS, WEEKDAYS, day_of


_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DAY2 = r"(?:\s*(?:-|–|—|to|and)\s*(?P<day2>\d{1,2})(?:st|nd|rd|th)?)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"

# One pattern per shape; each has a test in tests/test_candidates.py.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(rx, re.I)) for name, rx in (
    ("iso", r"^(?P<year>\d{4})-(?P<monthnum>\d\d)-(?P<day>\d\d)$"),
    ("month-day", r"^" + _MONTH + r"\s+" + _DAY + _DAY2 + r"(?:,?\s+" + _YEAR + r")?$"),   # May 16-17, 2024
    ("day-month", r"^" + _DAY + _DAY2 + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR + r")?$"),  # 16 May 2024
    ("month-year", r"^(?P<mid>mid-|early |late )?" + _MONTH + r",?\s+" + _YEAR + r"$"),  # March 2023
    ("month", r"^(?P<rel>last |next |this |in |mid-|early |late )?" + _MONTH + r"$"),  # (last) October
    ("year", r"^(?:in |the year )?" + _YEAR + r"$"),  # 1949
    ("weekday", r"^(?P<rel>last |next |this |early |late |on )?" + _WEEKDAY
     + r"(?:\s+(?:morning|afternoon|evening|night))?$"),  # (early on) Thursday (evening)
    ("deictic", r"^(?P<word>today|yesterday|tomorrow|tonight|this morning|this afternoon|this evening)$"),
))

DEICTIC = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
           "yesterday": -1, "tomorrow": 1}


@dataclass(frozen=True)
class DateValue:
    value: str  # ISO date, month ("2023-03"), year, interval "a/b", "--MM-DD", or the words kept
    relative: bool = False  # True when the words were kept because there was no publication date
    approx: str | None = None  # "mid" | "early" | "late"


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip().lower().replace("’", "'"))
    text = re.sub(r"^(?:on|the|early on|late on)\s+(?=\w)", "", text)
    return text.strip(" ,.")


def _year_for(month: int, day: int, pub: date, tense: str | None) -> int:
    """The publication year, moved by one when the tense says the date lies the other way."""
    try:
        candidate = date(pub.year, month, day)
    except ValueError:
        return pub.year
    if tense == "past" and candidate > pub + timedelta(days=1):
        return pub.year - 1
    if tense == "future" and candidate < pub - timedelta(days=1):
        return pub.year + 1
    return pub.year


def _weekday(target: int, pub: date, tense: str | None, rel: str) -> date:
    back = (pub.weekday() - target) % 7
    ahead = (target - pub.weekday()) % 7
    if rel == "last":
        return pub - timedelta(days=back or 7)
    if rel == "next":
        return pub + timedelta(days=ahead or 7)
    if tense == "past":
        return pub - timedelta(days=back)
    if tense == "future":
        return pub + timedelta(days=ahead)
    return pub - timedelta(days=back) if back < ahead else pub + timedelta(days=ahead)


def _month_year(month: int, pub: date, tense: str | None, rel: str) -> int:
    if rel == "last" or (tense == "past" and rel != "next"):
        return pub.year if month < pub.month else pub.year - 1
    if rel == "next" or tense == "future":
        return pub.year if month > pub.month else pub.year + 1
    return pub.year


def _iso(year: int | None, month: int, day: int) -> str | None:
    if year is None:
        return f"--{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def normalise_date(text: str, published: date | None, tense: str | None = None) -> DateValue | None:
    """ISO value of one date expression; None when it is vague ("this week") or not a date.

    `tense` ("past" | "future" | None) picks the direction for weekdays and bare months.
    """
    clean = _clean(text)
    for name, rx in PATTERNS:
        m = rx.match(clean)
        if not m:
            continue
        g = m.groupdict()
        rel = (g.get("rel") or "").strip()
        if name == "iso":
            iso = _iso(int(g["year"]), int(g["monthnum"]), int(g["day"]))
            return DateValue(iso) if iso else None
        if name in ("month-day", "day-month"):
            month, day = MONTHS[g["month"]], int(g["day"])
            year = int(g["year"]) if g.get("year") else (
                _year_for(month, day, published, tense) if published else None)
            start = _iso(year, month, day)
            if start is None:
                return None
            end = _iso(year, month, int(g["day2"])) if g.get("day2") else None
            return DateValue(f"{start}/{end}" if end and end > start else start)
        if name == "month-year":
            mid = (g.get("mid") or "").strip(" -") or None
            return DateValue(f"{int(g['year']):04d}-{MONTHS[g['month']]:02d}", approx=mid)
        if name == "month":
            mid = rel if rel in ("mid-", "early", "late") else None
            if published is None:
                return DateValue(text.strip(), relative=True)
            month = MONTHS[g["month"]]
            year = _month_year(month, published, tense, "" if mid else rel)
            return DateValue(f"{year:04d}-{month:02d}", approx=mid.strip("-") if mid else None)
        if name == "year":
            return DateValue(g["year"])
        if name == "weekday":
            if published is None:
                return DateValue(g["weekday"].capitalize(), relative=True)
            return DateValue(_weekday(WEEKDAYS[g["weekday"]], published, tense,
                                      rel if rel in ("last", "next") else "").isoformat())
        if name == "deictic":
            if published is None:
                return DateValue(g["word"], relative=True)
            return DateValue((published + timedelta(days=DEICTIC[g["word"]])).isoformat())
    return None


def is_specific(value: DateValue) -> bool:
    """A value worth a table row: an absolute day, range or month (not kept words, not a bare year)."""
    return not value.relative and bool(re.match(r"^(\d{4}-\d\d|--\d\d-\d\d)", value.value))


# ---------------------------------------------------------------------------------------
# Finding the expressions in a parsed document.

_SPLIT = re.compile(r"\s+(?:and|or|to|through|until)\s+|\s*,\s*(?=[A-Za-z])", re.I)


@dataclass(frozen=True)
class DateMention:
    text: str  # the words as written
    value: DateValue
    start_char: int
    event: str | None  # lemma of the event it dates ("visit", "summit"), None when unknown
    sentence: str


def date_mentions(doc, published: str | None) -> list[DateMention]:
    """Every normalisable date in a Doc (spaCy DATE entities, split on "and"/"to" lists)."""
    from digest.analysis.syntax import event_head, tense_of

    pub = day_of(published)
    found: list[DateMention] = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        tense = tense_of(ent.root)
        head = event_head(ent.root)
        event = head.lemma_.lower() if head is not None and head.is_alpha else None
        text = ent.text
        value = normalise_date(text, pub, tense)
        parts = [(text, value)] if value else [(p, normalise_date(p, pub, tense))
                                              for p in _SPLIT.split(text) if p.strip()]
        offset = ent.start_char
        full_day = any(v is not None and re.fullmatch(r"\d{4}-\d\d-\d\d", v.value) for _, v in parts)
        for part, val in parts:
            if val is None:
                continue
            if full_day and len(parts) > 1 and dict(PATTERNS)["weekday"].match(_clean(part)):
                continue  # "Monday, Nov. 24, 2014": the weekday names that day, not one near publication
            found.append(DateMention(text=part.strip(), value=val,
                                     start_char=offset + max(0, text.find(part)), event=event,
                                     sentence=ent.sent.text.strip()))
    return found
