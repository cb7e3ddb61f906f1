"""The head of a scraped text: title line, dateline, byline, standfirst; and derived titles.

Only the first few kept lines are looked at (HEADER_LINES): a date or a short line further down
is part of the article. A title line is short and does not end like a sentence; a standfirst is
the line right under the title when it reads as one sentence-long sub-headline without a final
period (seeds 000 and 001). An article without a title line gets a title derived from its lead.
"""

from __future__ import annotations

import re

from digest.text.dates import parse_date
from .text import ends_sentence, sentences, word_count

HEADER_LINES = 4
TITLE_MAX_CHARS = 200
TITLE_MAX_WORDS = 30
STANDFIRST_MIN_WORDS = 6
STANDFIRST_MAX_CHARS = 320
DERIVED_MAX_WORDS = 12

_DATE_WORDS = re.compile(r"\b(?:updated|published|posted|last|modified|on|at|gmt|utc|bst|et|est|edt|pst|"
                         r"cet|msk|am|pm|a\.m|p\.m|date|time|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|"
                         r"wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
_DATE_TOKENS = re.compile(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.IGNORECASE)
# Time notes without a full date: dropped from the head, never turned into a date.
_UPDATE_NOTE = re.compile(r"^(?:Last )?Updated(?: at|:)?\s+\d{1,2}[:.]\d{2}\b|"
                          r"^(?:(?:Published|Updated|Posted)\s+)?(?:\d+|an?|one) (?:minutes?|hours?|days?) ago$",
                          re.IGNORECASE)
# Cut a long lead before one of these words to make a short derived title.
_CUT_BEFORE = re.compile(r"\s(?:for|after|with|to|in order to|amid|as|while|which|who|where|when|because|"
                         r"despite|following|according|ahead of|during|since)\s")


def dateline(line: str) -> str | None:
    """The ISO date when the line is only a dateline ("15 May, 2024 20:41", "Xinhua | Updated: ...")."""
    if len(line) > 90:
        return None
    iso = parse_date(line)
    if not iso:
        return None
    rest = _DATE_TOKENS.sub(" ", _DATE_WORDS.sub(" ", line))
    # Up to three words besides the date: a source name ("Xinhua |"), a label ("Published").
    return iso if word_count(rest) <= 3 else None


def is_update_note(line: str) -> bool:
    return bool(_UPDATE_NOTE.match(line))


def looks_like_title(line: str) -> bool:
    return (len(line) <= TITLE_MAX_CHARS and word_count(line) <= TITLE_MAX_WORDS
            and not line.endswith((".", ",", ";", ":")) and not line[:1].islower())


def looks_like_standfirst(line: str) -> bool:
    return (STANDFIRST_MIN_WORDS <= word_count(line) and len(line) <= STANDFIRST_MAX_CHARS
            and not ends_sentence(line) and not line.endswith((":", ",", ";")) and line[:1].isupper())


def derive_title(lead: str) -> str | None:
    """A short title from the lead's first sentence: its first clause, at most ~12 words."""
    first = sentences(lead)[0] if lead else ""
    clause = re.split(r"[,;:–—(]| - ", first, maxsplit=1)[0].strip().rstrip(".!?")
    words = clause.split()
    if len(words) > DERIVED_MAX_WORDS:
        cut = [m.start() for m in _CUT_BEFORE.finditer(clause)
               if 6 <= len(clause[:m.start()].split()) <= DERIVED_MAX_WORDS]
        clause = clause[: cut[0]] if cut else " ".join(words[:DERIVED_MAX_WORDS]) + " …"
    clause = clause.strip()
    return clause or None
