"""Boilerplate removal line by line, and sentence by sentence inside long lines.

A rule (rules.py) or a learned template (templates.py) judges a whole line. That is right for a
page with one paragraph per line, and wrong for a record whose whole text is one paragraph: one
line of furniture inside it ("All rights reserved.", a photo credit) would take the article with
it. So a line that holds several sentences is judged piece by piece: only the pieces a rule
names are dropped, the rest stays, in order. Whole-line judgement stays for short lines, where a
line of furniture is the common case.

Sections: an "About the author" heading at the end of a page starts the author's bio, which is
dropped with it (the bio is not the article).
"""

from __future__ import annotations

import re
from typing import Sequence

from ..model import Dropped
from .kinds import is_prose
from .rules import rule_reason
from .templates import Templates
from .text import ends_sentence, sentences, word_count

# A long line of a text that has only a few lines is read sentence by sentence even when no rule
# matches it whole (a one-paragraph record hides its furniture in the middle).
FEW_LINES = 3
LONG_LINE_WORDS = 60  # shorter lines that a rule matches are furniture whole (a caption and its credit)
MIN_PIECES = 2
# Reasons that describe a whole line by its shape ("Photos: ... Hide Caption 3 of 9"): the line goes
# whole unless it is longer than any such furniture (a one-paragraph record ending in a caption).
WHOLE_LINE = frozenset({"gallery slide caption", "icon and widget list"})
WHOLE_LINE_MAX_WORDS = 150
ALWAYS_WHOLE = frozenset({"map or diagram labels"})  # judged on the share of the line: whole by definition
CAPTION_MAX_WORDS = 35
CAPTION_MIN_WORDS = 10  # shorter unpunctuated lines are headings (kept)
CAPTION_FROM_LINE = 2  # the first lines may be a title and a standfirst, which have no final stop
PUNCTUATED_MIN_WORDS = 15
PUNCTUATED_MIN_LINES = 4
PUNCTUATED_SHARE = 0.8
BIO_MAX_WORDS = 150
BIO_LINES = 2

# A photo credit in parentheses glued to the next sentence: "... the stage. (Photo: A. Lee) The".
_CREDIT_END = re.compile(r"\((?:[^()]{1,60}/[^()]{1,60}|[^()]{0,20}\b(?:Photo|Image|Picture|Credit)s?\b[^()]{0,80})\)"
                         r"\s+(?=[\"“A-Z])")
# An inline promotion widget glued into a sentence after a name: "Jo DoeJoanna Mary DoeCity mayor
# says the bridge… MORE". It starts where a capital is glued to a lowercase word and ends at MORE.
_PROMO = re.compile(r"(?<=[a-z]{2})[A-Z][^\n…]{0,300}?(?:(?:…|\.\.\.)\s?|(?<=[a-z]))MORE\b")
_GLUED = re.compile(r"[a-z][A-Z]")
# A transcript speaker tag before the words spoken: "JANE DOE, HOST: Good morning."
_SPEAKER = re.compile(r"^(?:(?:[A-Z][A-Z.'’-]+\s){1,3}[A-Z][A-Z.'’-]+,\s(?:[A-Z][A-Z.'’-]+\s?){1,4}|"
                      r"UNIDENTIFIED (?:[A-Z]+\s?){1,2}(?:#\d+)?):\s+(?=\S)")
_IMPERATIVE = re.compile(r"^(?:Find|Visit|Click|Tap|Get|Sign|Subscribe|Follow|Download|Join|Read|Watch|Listen|"
                         r"Share|Like|Learn|Discover|See|Check|Try|Chat|Enter|Log|Register|Contact|Email|Send|Look)\b|"
                         r"^(?=(?:\S+\s+){0,7}\S+$).*!$")  # or a short exclamation ("Celebrating 10 years!")
# A caption is one clause: no sentence end inside, and it does not stop on a word that needs more.
_INNER_STOP = re.compile(r"[.!?][\"”’)]?\s+[\"“‘(]?[A-Z]")
_OPEN_ENDINGS = frozenset({"a", "an", "the", "of", "for", "to", "in", "on", "at", "and", "or", "but", "with", "by",
                           "from", "as", "that", "is", "are", "was", "were"})
_TRAILING_PAREN = re.compile(r"\([^()]{1,40}\)\.?$")
_BIO_HEADING = re.compile(r"^(?:About (?:the|this) (?:author|writer|reporter|columnist|contributor)s?|"
                          r"Author (?:bio|biography|profile))\s*:?$", re.IGNORECASE)
_BIO_LINE = re.compile(r"^\S+(?:\s+\S+){0,4}\s+(?:is|was|has been)\s+(?:a|an|the)\b")


def pieces(line: str) -> list[str]:
    """A line cut into sentences, and after a parenthesised credit that runs into the next one."""
    out: list[str] = []
    for sentence in sentences(line):
        start = 0
        for match in _CREDIT_END.finditer(sentence):
            out.append(sentence[start:match.end()].strip())
            start = match.end()
        out.append(sentence[start:].strip())
    return [p for p in out if p]


def drop_boilerplate(lines: Sequence[str], templates: Templates, dropped: list[Dropped],
                     scraped_text: bool = True) -> list[str]:
    """Rules and learned template lines; returns the lines kept (whole or in part). Captions
    without a final stop are looked for in scraped text only: an HTML extractor already leaves
    figure captions out, and its unpunctuated lines are headings."""
    few = len(lines) <= FEW_LINES
    kept: list[str] = []
    for line in lines:
        line = strip_inline(line, dropped)
        if not line:
            continue
        reason = rule_reason(line)
        if reason is None and templates.count(line):
            reason = f"template line (repeated in {templates.count(line)} articles)"
        words = word_count(line)
        whole = reason in ALWAYS_WHOLE or (reason in WHOLE_LINE and words <= WHOLE_LINE_MAX_WORDS)
        if reason and (whole or reason.startswith("template")):
            dropped.append(Dropped(line, reason))
            continue
        if (reason and (few or words >= LONG_LINE_WORDS)) or (few and words >= LONG_LINE_WORDS):
            parts = pieces(line)
            if len(parts) >= MIN_PIECES:
                rest = _drop_pieces(parts, dropped)
                if rest:
                    kept.append(rest)
                continue
        if reason:
            dropped.append(Dropped(line, reason))
        else:
            kept.append(line)
    if scraped_text:
        kept = _drop_unpunctuated_captions(kept, dropped)
    return _drop_bio(kept, dropped)


def strip_inline(line: str, dropped: list[Dropped]) -> str:
    """Furniture inside a line of text: promotion widgets, a transcript speaker tag at the start."""
    tag = _SPEAKER.match(line)
    if tag:
        dropped.append(Dropped(tag.group(0).strip(), "transcript speaker tag"))
        line = line[tag.end():]
    if "MORE" in line:
        out, start = [], 0
        for match in _PROMO.finditer(line):
            if _GLUED.search(match.group(0)):
                dropped.append(Dropped(match.group(0), "promo widget"))
                out.append(line[start:match.start()])
                start = match.end()
        if out:
            line = " ".join("".join(out + [line[start:]]).split())
    return line


def _drop_pieces(parts: list[str], dropped: list[Dropped]) -> str:
    """Drop the pieces a rule names; a short sentence right before a credit in parentheses is the
    caption that credit belongs to."""
    reasons = [_piece_reason(part) for part in parts]
    for index in range(1, len(parts)):
        if (reasons[index] == "photo caption" and parts[index].startswith("(") and reasons[index - 1] is None
                and word_count(parts[index - 1]) <= CAPTION_MAX_WORDS):
            reasons[index - 1] = "photo caption"
    for _ in range(2):  # a call to action beside furniture is part of it ("Find out more.")
        for index, part in enumerate(parts):
            near = [reasons[j] for j in (index - 1, index + 1) if 0 <= j < len(parts) and reasons[j]]
            if reasons[index] is None and near and _IMPERATIVE.match(part) and word_count(part) <= CAPTION_MAX_WORDS:
                reasons[index] = near[0]
    kept = []
    for part, reason in zip(parts, reasons):
        if reason:
            dropped.append(Dropped(part, reason))
        else:
            kept.append(part)
    return " ".join(kept)


def _piece_reason(piece: str) -> str | None:
    """A rule's reason for one sentence of a long line. An agency in parentheses closing a sentence
    of prose is an abbreviation ("... the Environmental Protection Agency (EPA)."), not a credit."""
    reason = rule_reason(piece)
    if reason == "photo caption" and not piece.startswith("(") and is_prose(piece):
        tail = _TRAILING_PAREN.search(piece)
        if tail and "/" not in tail.group(0) and not re.search(r"Photo|Image|Picture|Credit", tail.group(0)):
            return None
    return reason


def _drop_unpunctuated_captions(lines: list[str], dropped: list[Dropped]) -> list[str]:
    """Photo captions without a credit: in a text whose paragraphs end their sentences, a line of
    a sentence's length that stops without a final stop sits under a picture ("Rescuers search the
    river bank near the bridge"). Headings are shorter; the head of the page (title, standfirst)
    is not looked at."""
    long = [line for line in lines if word_count(line) >= PUNCTUATED_MIN_WORDS]
    if len(long) < PUNCTUATED_MIN_LINES or sum(map(ends_sentence, long)) < PUNCTUATED_SHARE * len(long):
        return lines
    kept = lines[:CAPTION_FROM_LINE]
    for index in range(CAPTION_FROM_LINE, len(lines)):
        line = lines[index]
        # Isolated: the lines around it end their sentences (list items come in runs).
        isolated = all(ends_sentence(lines[j]) for j in (index - 1, index + 1) if 0 <= j < len(lines))
        if (isolated and CAPTION_MIN_WORDS <= word_count(line) <= CAPTION_MAX_WORDS and not ends_sentence(line)
                and not line.endswith((":", ",", ";", "-", "–", "—")) and line[:1].isupper()
                and not _INNER_STOP.search(line) and line.split()[-1].lower() not in _OPEN_ENDINGS):
            dropped.append(Dropped(line, "caption or note (no final stop)"))
        else:
            kept.append(line)
    return kept


def _drop_bio(lines: list[str], dropped: list[Dropped]) -> list[str]:
    """An "About the author" heading and the bio under it, when they close the text: a line or two
    saying who the author is ("Jo Bloggs is a reporter ...")."""
    for index, line in enumerate(lines):
        if not _BIO_HEADING.match(line):
            continue
        bio = lines[index + 1:]
        if len(bio) <= BIO_LINES and all(word_count(b) <= BIO_MAX_WORDS for b in bio) and (
                not bio or _BIO_LINE.match(bio[0])):
            dropped.extend(Dropped(text, "author bio") for text in lines[index:])
            return lines[:index]
    return lines
