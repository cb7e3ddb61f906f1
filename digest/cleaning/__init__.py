"""Cleaning stage: RawArticle -> Article, as an editor would clean a scraped page.

Entry points (called by pipeline.py): `learn_templates(raws)` once over all inputs, then
`clean_article(raw, templates)` per article. The work is split by responsibility under
digest/cleaning/: rules.py (boilerplate lines), templates.py (lines shared across sites),
header.py (title, dateline, byline, standfirst), text.py (lines, sentences, paragraphs),
kinds.py (non-articles), dates.py.

Nothing is removed silently: every line that does not end up as title, standfirst or body is
recorded in Article.dropped with its reason, so kept and dropped together account for the input.
"""

from __future__ import annotations

from typing import Sequence

from rapidfuzz import fuzz

from digest.cleaning import header
from digest.cleaning.kinds import not_article_reason
from digest.cleaning.lines import drop_boilerplate
from digest.cleaning.report import metadata_notes, summary as metadata_summary
from digest.cleaning.rules import BYLINE, strip_bullet
from digest.cleaning.templates import Templates, learn, template_key
from digest.cleaning.text import line_key, lines_of, split_paragraph, word_count
from digest.model import Article, Dropped, RawArticle

__all__ = ["Templates", "clean_article", "learn_templates", "metadata_notes", "metadata_summary", "template_keys"]

# Formats whose text may start with a title line (scraped text, news-please records). HTML and
# Markdown get their title from metadata; their first line is body text.
TITLE_IN_TEXT = frozenset({"txt", "json"})
# Formats whose repeated lines are scraping artefacts (doubled captions, pull quotes). In HTML
# and Markdown a repeated line is usually structure (a label in every list item) and stays.
DEDUPLICATED = frozenset({"txt", "json"})
DUPLICATE_MIN_WORDS = 4


def learn_templates(raws: Sequence[RawArticle]) -> Templates:
    """Template lines shared by several unrelated inputs (see cleaning/templates.py)."""
    return learn([raw.text for raw in raws])


def template_keys(raw: RawArticle) -> frozenset[str]:
    """The template keys of the input's lines: clean_article depends on the learned templates
    only through the entries under these keys (the pipeline keys its cleaning cache on them)."""
    return frozenset(template_key(line) for line in lines_of(raw.text))


def clean_article(raw: RawArticle, templates: Templates) -> Article:
    dropped: list[Dropped] = []
    lines = drop_boilerplate(lines_of(raw.text), templates, dropped, scraped_text=raw.format in TITLE_IN_TEXT)
    meta = raw.meta
    title = " ".join(meta.title.split()) if meta.title else None
    published, author = meta.published, meta.author

    lines, published, author = _strip_head(lines, dropped, published, author)
    title_from_text = False
    if title is None and raw.format in TITLE_IN_TEXT and len(lines) >= 3 and header.looks_like_title(lines[0]):
        title, lines, title_from_text = lines[0], lines[1:], True
    if title and lines and line_key(lines[0]).startswith(line_key(title) + " "):
        # "Title Updated: 2016-05-30 09:53 (Agencies)": the title and the dateline run together.
        iso = header.dateline(lines[0][len(title):].strip())
        if iso:
            dropped.append(Dropped(lines[0], "title and dateline"))
            published = _more_precise(published, iso)
            lines = lines[1:]
    if title:
        lines = _drop_matching(lines, line_key(title), dropped, first="title repeated in the text",
                               later="caption repeating the title")

    standfirst = None
    if title_from_text and len(lines) >= 3 and header.looks_like_standfirst(lines[0]):
        standfirst, lines = lines[0], lines[1:]
        lines = _drop_matching(lines, line_key(standfirst), dropped, first="standfirst repeated in the text",
                               later="standfirst repeated in the text")
        if meta.standfirst:  # the page's own standfirst wins; the editor still sees the description
            dropped.append(Dropped(meta.standfirst, "description (the page's standfirst is used)"))
    elif meta.standfirst:
        # A description the body already carries stays in the body, not shown twice; a teaser
        # cut off with "..." is not a standfirst. Either way the editor can see what went.
        if meta.standfirst.rstrip().endswith(("...", "…")):
            dropped.append(Dropped(meta.standfirst, "description cut off (not a standfirst)"))
        elif _in_body(meta.standfirst, lines):
            dropped.append(Dropped(meta.standfirst, "description repeated in the body"))
        else:
            standfirst = " ".join(meta.standfirst.split())

    if raw.format in DEDUPLICATED:
        lines = _drop_duplicates(lines, dropped)
    paragraphs = tuple(p for line in lines for p in split_paragraph(line))
    title_derived = False
    if not title and paragraphs:
        title = header.derive_title(paragraphs[0])
        title_derived = title is not None
    reason = not_article_reason(None if title_derived else title, paragraphs, dropped, standfirst=standfirst,
                                url=meta.url)
    return Article(
        id=raw.id, source_path=raw.source_path, format=raw.format, title=title, title_derived=title_derived,
        published=published, outlet=meta.outlet, url=meta.url, author=author, standfirst=standfirst,
        paragraphs=paragraphs, dropped=tuple(dropped), not_article=reason, story_hint=meta.story,
        content_hash=raw.content_hash,
    )


def _strip_head(lines: list[str], dropped: list[Dropped], published: str | None,
                author: str | None) -> tuple[list[str], str | None, str | None]:
    """Datelines and bylines near the top are dropped; what they say fills published/author."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        in_head = index <= header.HEADER_LINES
        iso = header.dateline(line) if in_head else None
        byline = BYLINE.match(strip_bullet(line)) if in_head else None
        if iso or (in_head and header.is_update_note(line)):
            dropped.append(Dropped(line, "dateline"))
            published = _more_precise(published, iso)
        elif byline:
            dropped.append(Dropped(line, "byline"))
            author = author or byline.group("name")
        else:
            kept.append(line)
    return kept, published, author


def _more_precise(known: str | None, printed: str | None) -> str | None:
    """Metadata wins, except that a printed time refines a metadata date of the same day."""
    if not known or not printed:
        return known or printed
    if len(known) == 10 and printed.startswith(known + "T"):
        return printed
    return known


def _drop_duplicates(lines: list[str], dropped: list[Dropped]) -> list[str]:
    """A line repeated in the same article (a pull quote, a doubled caption) is kept once."""
    kept: list[str] = []
    seen: set[str] = set()
    for line in lines:
        key = line_key(line)
        if key in seen and word_count(line) >= DUPLICATE_MIN_WORDS:
            dropped.append(Dropped(line, "duplicate line"))
        else:
            seen.add(key)
            kept.append(line)
    return kept


def _drop_matching(lines: list[str], key: str, dropped: list[Dropped], first: str, later: str) -> list[str]:
    kept: list[str] = []
    for index, line in enumerate(lines):
        if line_key(line) == key:
            dropped.append(Dropped(line, first if index == 0 else later))
        else:
            kept.append(line)
    return kept


def _in_body(candidate: str, lines: Sequence[str]) -> bool:
    """True when the body already carries this text (news-please descriptions usually open it)."""
    key = line_key(candidate).rstrip(".… ")
    if not key or not lines:
        return False
    opening = " ".join(line_key(line) for line in lines[:2])
    if fuzz.partial_ratio(key, opening[: len(key) + 40]) >= 90:
        return True
    return any(key in line_key(line) for line in lines)
