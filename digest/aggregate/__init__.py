"""Aggregate stage: across articles. Entities merged across spellings and outlets, articles
grouped into stories, and each story's cross-source key-facts table.

Entry point (called by pipeline.py): `aggregate(analysed, overrides, facts_of)`. The helpers
beside it: entities.py with entity_clusters.py (the entity index), stories.py (grouping) and
facts/ (the key facts of one story). The writers' fact edits are applied afterwards, by the
overrides stage; the entity and story overrides are inputs here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from digest.aggregate.entities import build_index
from digest.aggregate.facts import StoryFacts, build_facts
from digest.aggregate.facts.memo import FactsMemo
from digest.aggregate.facts.rows import Names
from digest.aggregate.stories import StoryGroup, StoryNamer, group_and_name
from digest.model import AnalysedArticle, EntityIndex, Overrides, Story, StoryNaming, StoryOverride, SummarySentence
from digest.text.dates import utc_key

# One story's key facts from its articles (in time order): build_facts, or a memo of it.
FactsBuilder = Callable[[Sequence[AnalysedArticle], EntityIndex, Names], StoryFacts]

__all__ = ["Aggregation", "FactsBuilder", "FactsMemo", "aggregate", "build_facts", "build_index", "build_stories"]


@dataclass(frozen=True)
class Aggregation:
    entities: EntityIndex
    stories: tuple[Story, ...]  # most recent first; the writers' fact edits not applied yet
    naming: StoryNaming = StoryNaming()  # the grouping's ids (before the writers' merges and splits)


def aggregate(analysed: Sequence[AnalysedArticle], overrides: Overrides,
              facts_of: FactsBuilder = build_facts, namer: StoryNamer | None = None) -> Aggregation:
    """Entities across the corpus, then stories (pages flagged as not articles stay out).
    `namer` gives the story groups their ids (the pipeline passes the id registry's)."""
    index = build_index(analysed, overrides.entities)
    story_input = [a for a in analysed if not a.article.not_article]
    stories, naming = _stories(story_input, index, overrides.stories, facts_of, namer)
    return Aggregation(entities=index, stories=stories, naming=naming)


def build_stories(analysed: Sequence[AnalysedArticle], index: EntityIndex,
                  overrides: Sequence[StoryOverride] = (), facts_of: FactsBuilder = build_facts
                  ) -> tuple[Story, ...]:
    """Stories with their key facts, most recent first."""
    return _stories(analysed, index, overrides, facts_of)[0]


def _stories(analysed: Sequence[AnalysedArticle], index: EntityIndex, overrides: Sequence[StoryOverride],
             facts_of: FactsBuilder, namer: StoryNamer | None = None) -> tuple[tuple[Story, ...], StoryNaming]:
    names = Names(index)  # once: per story it would cost stories x entities
    groups, naming = group_and_name(analysed, index, overrides, namer)
    stories = [_story(group, facts_of(group.articles, index, names)) for group in groups]
    stories.sort(key=lambda s: (utc_key(s.updated), s.id), reverse=True)
    return tuple(stories), naming


def _story(group: StoryGroup, facts: StoryFacts) -> Story:
    dates = [a.article.published for a in group.articles if a.article.published]
    summary = facts.summary if group.summary is None else (SummarySentence(text=group.summary, articles=()),)
    return Story(id=group.id, title=group.title, articles=tuple(a.article.id for a in group.articles),
                 facts=facts.facts, summary=summary, timeline=facts.timeline,
                 republished=dict(facts.republished), updated=max(dates, key=utc_key) if dates else None,
                 exclusive=dict(facts.exclusive), wire=dict(facts.wire))
