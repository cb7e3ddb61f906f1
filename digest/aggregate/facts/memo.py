"""Reusing a story's key facts from the last build when nothing they depend on changed.

build_facts reads three things: the story's analysed articles (in order), the entity ids the
index lists for those articles (the story's main subjects, speakers of kept quotes) and the
answers of Names.resolve for the surfaces it meets. The first two make the cache key. The
answers are recorded while the facts are built and asked again of the new index before an
entry is reused, so an entity renamed or merged anywhere in the corpus still rebuilds every
story that names it. A rebuild after one article changed then rebuilds only the facts of the
stories whose articles or names changed.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from digest.cache import FactsCache, content_key
from digest.model import AnalysedArticle, EntityIndex
from digest.aggregate.facts import StoryFacts, build_facts
from digest.aggregate.facts.rows import Names


class _RecordingNames:
    """Names that remembers every answer it gave."""

    def __init__(self, names: Names):
        self.names = names
        self.answers: dict[str, tuple[str, str, str | None]] = {}

    def resolve(self, surface: str) -> tuple[str, str, str | None]:
        answer = self.answers[surface] = self.names.resolve(surface)
        return answer


class FactsMemo:
    """build_facts with reuse. `article_keys` maps each article id to a key of everything its
    analysis and its final form depend on; `code` covers the model and the code."""

    def __init__(self, store: FactsCache, code: str, article_keys: Mapping[str, str]):
        self.store, self.code, self.article_keys = store, code, article_keys
        self.used: set[str] = set()
        self.reused = 0

    def _key(self, story: Sequence[AnalysedArticle], index: EntityIndex) -> str:
        parts = [self.code]
        for a in story:
            refs = ",".join(ref.entity for ref in index.by_article.get(a.article.id, ()))
            parts.append(f"{self.article_keys[a.article.id]}:{refs}")
        return content_key(*parts)

    def build(self, story: Sequence[AnalysedArticle], index: EntityIndex, names: Names) -> StoryFacts:
        key = self._key(story, index)
        self.used.add(key)
        cached = self.store.get(key)
        if cached is not None and len(cached) == 2 and isinstance(cached[0], StoryFacts):
            facts, answers = cached
            if all(names.resolve(surface) == answer for surface, answer in answers.items()):
                self.reused += 1
                return facts
        recording = _RecordingNames(names)
        facts = build_facts(story, index, recording)  # type: ignore[arg-type]  # duck-typed Names
        self.store.put(key, (facts, recording.answers))
        return facts

    def finish(self) -> None:
        """Drop entries this build did not use (stories that changed or disappeared)."""
        self.store.prune(self.used)
