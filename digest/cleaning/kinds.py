"""Is this page an article at all? A judgement on the page's structure, never on one keyword.

The reason returned becomes Article.not_article: the page stays in digest.json (flagged) but is
kept out of stories. A lost article is lost data, so the judgement weighs evidence:

- **real prose**: words in sentences that read as sentences (six words or more, a sentence end,
  lowercase function words between the capitals). Snippets cut off with "…", embedded posts and
  link-like lines do not count. A page with PROSE_ENOUGH words of it is an article whatever else it
  holds (a fixture list under a match report, a search engine named in a headline);
- **structure**: the share of link-like lines (short, no sentence end, or a cut-off snippet), the
  number of gallery slide captions and embedded social-media posts, video widgets removed;
- **what the page says it is**: its address (a /video/ or /gallery/ path), a title or first line
  that announces search results, a paywall prompt — each only counts together with little prose;
- **stated news**: a one-sentence wire bulletin, or a record whose text is all furniture but whose
  description states the news, is a thin article and stays one; a page with no sentence of news
  at all is too little text.

Checks run on the cleaned text, so boilerplate does not count as words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence
from urllib.parse import urlsplit

from ..model import Dropped
from .text import ends_sentence, sentences, word_count

PROSE_ENOUGH = 150  # words of real prose that make a page an article whatever its structure
MIN_WORDS = 40  # below this many words, a page needs one sentence of news to be a (thin) article
NEWS_SENTENCE_WORDS = 10  # a sentence this long can state the news (a wire bulletin's one line)
PROSE_SENTENCE_WORDS = 6
LINK_LIST_MIN_LINES = 6
LINK_LIST_SHARE = 0.7
SNIPPETS_MIN = 4  # cut-off teasers ("… the mayor said on…") that make a results or index page
SNIPPET_SHARE = 0.4
EMBEDS_MIN = 4
EMBED_SHARE = 0.4
SLIDES_MIN = 3

_PAYWALL = re.compile(
    r"\b(?:subscribe (?:now |today )?to (?:continue|read|keep)|to continue reading|already a subscriber|"
    r"subscribers only|for subscribers|exclusive to subscribers|premium (?:content|article)|"
    r"(?:sign|log) in to (?:read|continue)|paywall|unlock (?:this|the full) (?:article|story)|"
    r"start your (?:free )?trial)\b", re.IGNORECASE)
# A search page says so in its title ("Search results for 'putin'") or opens with a result count;
# a title that only starts with "Search" ("Search wars hit the desktop") is weak evidence.
_SEARCH_TITLE = re.compile(r"\bsearch results?\b|\bresults? for\s*[\"'“‘:]", re.IGNORECASE)
_SEARCH_WORD = re.compile(r"^search\b", re.IGNORECASE)
RESULTS_LIST_SHARE = 0.3  # link-like lines and snippets that make a long page with a search title a results list
_SEARCH_OPENING = re.compile(r"^(?:\d[\d,]* (?:search )?results?\b|(?:showing|displaying) (?:results )?\d+|"
                             r"search results?\b|your search\b|no results found\b)", re.IGNORECASE)
# A teaser cut off by the site: ends with an ellipsis (optionally a "more" link after it).
_SNIPPET = re.compile(r"(?:…|\.\.\.)\s*(?:\(?(?:more|read more|continue)\)?)?\s*$", re.IGNORECASE)
# An embedded social-media post as pasted text: "... — Name (@handle) March 3, 2016", a pic link.
_EMBED = re.compile(r"[—–-]\s*[^()\n]{1,80}\(@\w{1,30}\)\s*(?:on\s+)?[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\s*$|"
                    r"\bpic\.twitter\.com/\w+|\bA (?:post|photo|video) shared by\b.{1,80}\(@[\w.]{1,30}\)")
_URL_LINE = re.compile(r"^\S*(?:https?://|www\.)\S+$")
# Address path segments that name a page kind other than an article.
MEDIA_SEGMENTS = {
    "video": "video page", "videos": "video page", "watch": "video page", "av": "video page",
    "gallery": "photo gallery", "galleries": "photo gallery", "photos": "photo gallery",
    "pictures": "photo gallery", "in-pictures": "photo gallery", "slideshow": "photo gallery",
    "slideshows": "photo gallery", "photo-gallery": "photo gallery",
    "shows": "programme page", "show": "programme page", "programmes": "programme page",
    "episodes": "programme page", "podcast": "podcast page", "podcasts": "podcast page",
    "audio": "audio page",
}
_MEDIA_DROPPED = {"video widget": "video page", "gallery slide caption": "photo gallery"}


@dataclass(frozen=True)
class PageEvidence:
    """What the judgement looks at, measured once (also printed by digest.eval.not_article)."""

    words: int  # all words of the cleaned body
    prose_words: int  # words in real sentences, outside snippets, embeds and link-like lines
    lines: int
    link_like: int  # short lines without a sentence end, bare URLs
    snippets: int  # lines cut off with an ellipsis
    embeds: int  # embedded social-media posts
    slides: int  # gallery slide captions removed
    longest_sentence: int  # words of the longest sentence in standfirst and body
    media: str | None  # page kind named by the address or by removed widgets ("video page")


def evidence(paragraphs: Sequence[str], dropped: Sequence[Dropped], standfirst: str | None = None,
             url: str | None = None) -> PageEvidence:
    prose = link_like = snippets = embeds = 0
    longest = 0
    for text in ([standfirst] if standfirst else []):
        longest = max([longest, *(word_count(s) for s in sentences(text))])
    for paragraph in paragraphs:
        n = word_count(paragraph)
        if _EMBED.search(paragraph):
            embeds += 1
            continue
        if _SNIPPET.search(paragraph) and n < 60:
            snippets += 1
            continue
        if _URL_LINE.match(paragraph) or (n < 12 and not ends_sentence(paragraph)):
            link_like += 1
            continue
        for sentence in sentences(paragraph):
            size = word_count(sentence)
            longest = max(longest, size)
            if is_prose(sentence):
                prose += size
    slides = sum(d.reason == "gallery slide caption" for d in dropped)
    return PageEvidence(words=sum(word_count(p) for p in paragraphs), prose_words=prose, lines=len(paragraphs),
                        link_like=link_like, snippets=snippets, embeds=embeds, slides=slides,
                        longest_sentence=longest, media=media_kind(url, dropped))


def is_prose(sentence: str) -> bool:
    """A sentence as people write them: long enough, a sentence end (or long), lowercase words."""
    words = sentence.split()
    if len(words) < PROSE_SENTENCE_WORDS:
        return False
    if not ends_sentence(sentence) and len(words) < 2 * PROSE_SENTENCE_WORDS:
        return False
    lower = sum(1 for w in words if w[:1].islower())
    return lower >= 0.3 * len(words)


def media_kind(url: str | None, dropped: Sequence[Dropped] = ()) -> str | None:
    """The page kind its address names (/videos/, /gallery/, /shows/), else the widgets it lost."""
    if url:
        try:
            path = urlsplit(url).path
        except ValueError:
            path = ""
        for segment in path.lower().split("/"):
            if segment in MEDIA_SEGMENTS:
                return MEDIA_SEGMENTS[segment]
    for d in dropped:
        if d.reason in _MEDIA_DROPPED:
            return _MEDIA_DROPPED[d.reason]
    return None


def not_article_reason(title: str | None, paragraphs: Sequence[str], dropped: Sequence[Dropped],
                       standfirst: str | None = None, url: str | None = None) -> str | None:
    e = evidence(paragraphs, dropped, standfirst, url)
    says_search = bool(_SEARCH_TITLE.search(title or "") or (paragraphs and _SEARCH_OPENING.search(paragraphs[0])))
    listed = e.link_like + e.snippets >= RESULTS_LIST_SHARE * e.lines
    if says_search and (listed or e.prose_words < PROSE_ENOUGH):
        return "search results page"
    if e.prose_words >= PROSE_ENOUGH:
        return None
    own = f"{e.prose_words} words of prose"
    if _SEARCH_WORD.search(title or "") and listed:
        return "search results page"
    if e.snippets >= SNIPPETS_MIN and e.snippets >= SNIPPET_SHARE * e.lines:
        return f"list of teasers, an index or search page ({e.snippets} cut-off snippets, {own})"
    everything = "\n".join([title or "", *paragraphs, *(d.text for d in dropped)])
    if _PAYWALL.search(everything):
        return f"paywall stub ({e.words} words of text)"
    if e.slides >= SLIDES_MIN:
        return f"photo gallery ({e.slides} slide captions, {own})"
    if e.embeds >= EMBEDS_MIN and e.embeds >= EMBED_SHARE * e.lines:
        return f"roundup of embedded social-media posts ({e.embeds} posts, {own})"
    if e.lines >= LINK_LIST_MIN_LINES and e.link_like + e.snippets >= LINK_LIST_SHARE * e.lines:
        return f"list of links or headlines ({e.link_like + e.snippets} of {e.lines} lines)"
    if e.media:
        return f"{e.media} ({own})"
    if e.words < MIN_WORDS and e.longest_sentence < NEWS_SENTENCE_WORDS:
        return f"too little text to be an article ({e.words} words)"
    return None
