"""Is this page an article at all? Search-results pages, paywall stubs, link lists, near-empty pages.

The reason returned becomes Article.not_article: the page stays in digest.json (flagged) but is
kept out of stories. Checks run on the cleaned text, so boilerplate does not count as words.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..model import Dropped
from .text import ends_sentence, word_count

MIN_WORDS = 40  # fewer words in the cleaned body: not an article
PAYWALL_MAX_WORDS = 150
LINK_LIST_MIN_LINES = 6
LINK_LIST_SHARE = 0.7

_PAYWALL = re.compile(
    r"\b(?:subscribe (?:now|today|to (?:continue|read|keep))|to continue reading|already a subscriber|"
    r"subscribers only|for subscribers|exclusive to subscribers|premium (?:content|article)|"
    r"(?:sign|log) in to (?:read|continue)|paywall|unlock (?:this|the full) (?:article|story)|"
    r"start your (?:free )?trial)\b", re.IGNORECASE)
# A search page says so in its title ("Search results for 'putin'") or opens with a result count.
_SEARCH_TITLE = re.compile(r"\bsearch results?\b|\bresults? for\s*[\"'“‘:]|^search\b", re.IGNORECASE)
_SEARCH_OPENING = re.compile(r"^(?:\d[\d,]* (?:search )?results?\b|(?:showing|displaying) (?:results )?\d+|"
                             r"search results?\b|your search\b|no results found\b)", re.IGNORECASE)


def not_article_reason(title: str | None, paragraphs: Sequence[str], dropped: Sequence[Dropped]) -> str | None:
    words = sum(word_count(p) for p in paragraphs)
    everything = "\n".join([title or "", *paragraphs, *(d.text for d in dropped)])
    if _SEARCH_TITLE.search(title or "") or (paragraphs and _SEARCH_OPENING.search(paragraphs[0])):
        return "search results page"
    if words < PAYWALL_MAX_WORDS and _PAYWALL.search(everything):
        return f"paywall stub ({words} words of text)"
    short = [p for p in paragraphs if word_count(p) < 12 and not ends_sentence(p)]
    if len(paragraphs) >= LINK_LIST_MIN_LINES and len(short) >= LINK_LIST_SHARE * len(paragraphs):
        return f"list of links or headlines ({len(short)} of {len(paragraphs)} lines)"
    if words < MIN_WORDS:
        slides = sum(d.reason == "gallery slide caption" for d in dropped)
        if slides >= 3:
            return f"photo gallery ({slides} slide captions, {words} words of text)"
        return f"too little text to be an article ({words} words)"
    return None
