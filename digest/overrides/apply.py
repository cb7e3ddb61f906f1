"""Applying overrides: article metadata and outlet names, then each story's key-facts rows.

Both functions are pure and idempotent: applying the same overrides twice gives the same
result, so a stage that already applied part of them (the stories stage sets titles) is safe.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Mapping
from urllib.parse import urlsplit

from digest.model import (
    AddedFact,
    Article,
    Fact,
    FactOverride,
    FactSource,
    Overrides,
    Story,
    StoryOverride,
    SummarySentence,
)

from .schema import added_fact_id

_ARTICLE_FIELDS = ("title", "outlet", "url", "author", "published")


def apply_to_article(article: Article, ov: Overrides) -> Article | None:
    """The article with its overrides applied; None when the writers excluded it."""
    override = next((o for o in ov.articles if o.article == article.id), None)
    changes: dict[str, object] = {}
    if override is not None:
        if override.exclude:
            return None
        for name in _ARTICLE_FIELDS:
            value = getattr(override, name)
            if value is not None and value != getattr(article, name):
                changes[name] = value
        if override.title is not None and article.title_derived:
            changes["title_derived"] = False
        if "title" in changes and article.path_title is None:
            changes["path_title"] = article.title or article.id  # the page keeps its path
        if override.story is not None and override.story != article.story_hint:
            changes["story_hint"] = override.story
    # The display-name mapping comes last, so it also tidies an outlet set per article; an
    # outlet the writers set by hand is matched by name only, never overruled by the URL.
    outlet = changes.get("outlet", article.outlet)
    url = None if override is not None and override.outlet else changes.get("url", article.url)
    key = outlet_key(outlet, url, ov.outlets)  # type: ignore[arg-type]
    if key is not None and ov.outlets[key] != outlet:
        changes["outlet"] = ov.outlets[key]
    return replace(article, **changes) if changes else article


def outlet_key(outlet: str | None, url: str | None, mapping: Mapping[str, str]) -> str | None:
    """The `outlets:` key that names this article's outlet, if any.

    First the outlet as found in the input (a name or a domain, compared without case or a
    leading "www."); an outlet that already is one of the display names stays as it is (so
    applying twice changes nothing); then the article URL's host, where "rt.com" also covers
    "news.rt.com"; the most specific domain wins.
    """
    if outlet:
        wanted = plain_name(outlet)
        for key in mapping:
            if plain_name(key) == wanted:
                return key
        if any(plain_name(name) == wanted for name in mapping.values()):
            return None
    host = _host(url)
    if host:
        best = None
        for key in mapping:
            domain = plain_name(key)
            if "." in domain and " " not in domain and (host == domain or host.endswith("." + domain)):
                if best is None or len(domain) > len(plain_name(best)):
                    best = key
        return best
    return None


def plain_name(name: str) -> str:
    """An outlet name or domain as compared: no case, no surrounding spaces, no leading 'www.'."""
    return name.strip().casefold().removeprefix("www.")


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return plain_name(urlsplit(url.strip()).hostname or "")
    except ValueError:  # malformed URLs (bad port, brackets) are not our concern here
        return ""


def apply_to_facts(story: Story, ov: Overrides, articles: Mapping[str, Article]) -> Story:
    """The story with its writers' rows added and its rows edited, hidden, pinned or disputed.
    Several overrides may name the story (one written with an id that moved): each applies."""
    for override in [o for o in ov.stories if o.story == story.id]:
        story = _apply_story(story, override, articles)
    return story


def _apply_story(story: Story, override: StoryOverride, articles: Mapping[str, Article]) -> Story:
    facts = list(story.facts)
    for added in override.add_facts:
        fact = added_fact(added, articles)
        index = next((i for i, f in enumerate(facts) if f.id == fact.id), None)
        if index is None:
            facts.append(fact)
        else:  # added by an earlier application: start afresh, the edits below are re-applied
            facts[index] = fact
    edits = {edit.fact: edit for edit in override.facts}
    facts = [edit_fact(f, edits[f.id]) if f.id in edits else f for f in facts]
    facts.sort(key=lambda f: not f.pinned)  # stable: pinned rows first, order otherwise kept
    changes: dict[str, object] = {"facts": tuple(facts)}
    changes.update(_story_text(story, override))
    return replace(story, **changes)


def _story_text(story: Story, override: StoryOverride) -> dict[str, object]:
    changes: dict[str, object] = {}
    if override.title is not None:
        changes["title"] = override.title
    if override.summary is not None and " ".join(s.text for s in story.summary) != override.summary:
        # A writer's summary is carried by no particular article, hence no article ids.
        changes["summary"] = (SummarySentence(override.summary, ()),)
    return changes


def edit_fact(fact: Fact, edit: FactOverride) -> Fact:
    changes: dict[str, object] = {}
    if edit.value is not None:
        if not fact.added and fact.extracted_value is None:
            changes["extracted_value"] = fact.value  # digest.json shows it beside the correction
        changes["value"] = edit.value
        changes["status"] = "edited"
    if edit.note is not None:
        changes["note"] = edit.note
    if edit.citation is not None:
        changes["citation"] = edit.citation
    if edit.hide:
        changes["status"] = "hidden"
    if edit.pin:
        changes["pinned"] = True
    if edit.disputed:
        changes["disputed"] = True
    return replace(fact, **changes)


def added_fact(added: AddedFact, articles: Mapping[str, Article]) -> Fact:
    sources = tuple(
        FactSource(
            article=article_id,
            text=words,
            value=added.value,
            paragraph=_paragraph(articles.get(article_id), words),
        )
        for article_id, words in added.sources.items()
    )
    return Fact(
        id=added_fact_id(added.label),
        kind=added.kind,
        label=added.label,
        value=added.value,
        status="edited",
        sources=sources,
        note=added.note,
        citation=added.citation,
        added=True,
    )


def find_words(article: Article, words: str) -> int | None:
    """Where `words` occur in the article: paragraph index, -1 title, -2 standfirst; None if absent.

    Compared without case, with curly quotes as straight ones and runs of spaces as one.
    """
    needle = _normal(words)
    if not needle:
        return None
    for index, paragraph in enumerate(article.paragraphs):
        if needle in _normal(paragraph):
            return index
    if article.title and needle in _normal(article.title):
        return -1
    if article.standfirst and needle in _normal(article.standfirst):
        return -2
    return None


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_SPACES = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_QUOTES)).strip().casefold()


def _paragraph(article: Article | None, words: str) -> int:
    found = find_words(article, words) if article is not None else None
    return 0 if found is None else found
