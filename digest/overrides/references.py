"""Checking overrides against what the build found: unknown ids and stale overrides.

Unknown article ids are errors (a typo: no input has that name). Story and fact ids never
change once published (digest/ids), so a story or fact id that matches nothing is a typo or a
story that is gone: a warning naming the id it most likely meant, an error under --strict (and
in the scheduled workflow). Overrides that name something the corpus no longer has (a fact row,
an entity name, an outlet, quoted words) are "stale" warnings too, errors under --strict.
"""

from __future__ import annotations

import difflib
import re
from typing import Iterable, Mapping, Sequence

from digest.model import Article, Digest, Overrides, Pos, Problem, StoryOverride
from digest.text.names import fold, name_key, same_person, strip_possessive

from .apply import find_words, outlet_key
from .schema import added_fact_id


def check_references(
    ov: Overrides, digest: Digest, strict: bool = False, *, inputs: Sequence[Article] | None = None,
    story_aliases: Mapping[str, str] | None = None, fact_aliases: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[Problem, ...]:
    """Problems with the references in `ov`, sorted by file and line.

    An override that matches nothing (a typo, a story that is gone) is a warning naming the id
    it most likely meant (among the current ids and those that moved, `story_aliases` and
    `fact_aliases`), with that id as its fix for `digest check --fix`; an error under --strict.

    `inputs` (optional) are the articles as read, before overrides: with them, excluded
    articles and the outlet names found in the input can be checked exactly; without them,
    ids excluded by the overrides count as known and outlets are judged from the digest.
    """
    checker = _Checker(ov, digest, strict, inputs, story_aliases or {}, fact_aliases or {})
    checker.articles()
    for override in ov.stories:
        checker.story(override)
    checker.entities()
    checker.outlets()
    return tuple(sorted(checker.problems, key=lambda p: (p.path, p.line or 0, p.col or 0, p.message)))


def _did_you_mean(name: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _likely(name: str, current: Iterable[str], moved: Mapping[str, str]) -> str | None:
    """The current id `name` most likely meant: the closest current id or moved id (then where
    it leads), by difflib's ratio."""
    close = difflib.get_close_matches(name, [*current, *moved], n=1)
    if not close:
        return None
    return moved.get(close[0], close[0])


class _Checker:
    def __init__(self, ov: Overrides, digest: Digest, strict: bool, inputs: Sequence[Article] | None,
                 story_aliases: Mapping[str, str], fact_aliases: Mapping[str, Mapping[str, str]]) -> None:
        self.ov = ov
        self.story_aliases = story_aliases
        self.fact_aliases = fact_aliases
        self.digest = digest
        self.inputs = inputs
        self.stale_severity = "error" if strict else "warning"
        self.problems: list[Problem] = []
        self.in_digest = {a.id: a for a in digest.articles}
        if inputs is not None:
            self.known = {a.id for a in inputs}
        else:
            self.known = set(self.in_digest) | {o.article for o in ov.articles if o.exclude}
        self.stories = {s.id: s for s in digest.stories}
        self.story_of = {article: s.id for s in digest.stories for article in s.articles}

    # -- reporting ---------------------------------------------------------------------

    def where(self, key: tuple[str, ...], fallback: Pos) -> Pos:
        return self.ov.positions.get(key, fallback)

    def error(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(pos.path, message, "error", pos.line, pos.col))

    def stale(self, pos: Pos, message: str, fix: tuple[str, str] | None = None) -> None:
        message = f"stale override: {message}"
        self.problems.append(Problem(pos.path, message, self.stale_severity, pos.line, pos.col, fix))

    def unmatched(self, pos: Pos, what: str, name: str, current: Iterable[str], moved: Mapping[str, str],
                  prefix: str = "") -> None:
        """An id that matches nothing: a warning (an error under --strict) naming the likely id."""
        likely = _likely(name, current, moved)
        hint = f"; did you mean '{likely}'?" if likely else ""
        message = f"{prefix}unknown {what} id '{name}'{hint}"
        fix = (name, likely) if likely else None
        self.problems.append(Problem(pos.path, message, self.stale_severity, pos.line, pos.col, fix))

    def known_article(self, article_id: str, pos: Pos) -> bool:
        """False (after reporting an error) when no input has this id."""
        if article_id in self.known:
            return True
        self.error(pos, f"unknown article id '{article_id}'{_did_you_mean(article_id, self.known)}")
        return False

    def article_ref(self, article_id: str, pos: Pos) -> bool:
        """Report an unknown or excluded article; True when the article is in the digest."""
        if not self.known_article(article_id, pos):
            return False
        if article_id not in self.in_digest:
            self.stale(pos, f"article '{article_id}' is excluded from the digest")
            return False
        return True

    # -- sections ------------------------------------------------------------------------

    def articles(self) -> None:
        merged_into = {other: s.story for s in self.ov.stories for other in s.merge}
        for override in self.ov.articles:
            article_id = override.article
            if not self.known_article(article_id, override.pos):
                continue
            if override.story is None or article_id not in self.in_digest:
                continue
            actual = self.story_of.get(article_id)
            wanted = merged_into.get(override.story, override.story)
            if actual != wanted:
                pos = self.where(("articles", article_id, "story"), override.pos)
                now = f"story '{actual}'" if actual else "no story"
                likely = None if override.story in self.stories else _likely(override.story, self.stories,
                                                                            self.story_aliases)
                hint = f"; did you mean '{likely}'?" if likely else ""
                self.stale(pos, f"article '{article_id}' is in {now}, not in '{override.story}'{hint}",
                           (override.story, likely) if likely else None)

    def story(self, override: StoryOverride) -> None:
        key = ("stories", override.story)
        story = self.stories.get(override.story)
        if story is None:
            self.unmatched(override.pos, "story", override.story, self.stories, self.story_aliases)
        for other in override.merge:
            if other in self.stories and other != override.story:
                pos = self.where(key + ("merge", other), override.pos)
                self.stale(pos, f"story '{other}' is still a story of its own; the merge did not happen")
        for new_id, article_ids in override.split.items():
            for article_id in article_ids:
                pos = self.where(key + ("split", new_id, article_id), override.pos)
                if self.article_ref(article_id, pos) and self.story_of.get(article_id) != new_id:
                    message = f"article '{article_id}' is not in story '{new_id}'; the split did not happen"
                    self.stale(pos, message)
        for added in override.add_facts:
            fact_key = key + ("add_facts", added_fact_id(added.label), "sources")
            for article_id, words in added.sources.items():
                pos = self.where(fact_key + (article_id,), added.pos)
                present = self.article_ref(article_id, pos)
                if present and find_words(self.in_digest[article_id], words) is None:
                    shown = words if len(words) <= 60 else words[:57] + "..."
                    self.stale(pos, f"article '{article_id}' does not contain the words \"{shown}\"")
        if story is not None:
            ids = [f.id for f in story.facts] + [added_fact_id(a.label) for a in override.add_facts]
            moved = self.fact_aliases.get(story.id, {})
            for edit in override.facts:
                if edit.fact not in ids:
                    likely = _likely(edit.fact, ids, moved)
                    hint = f"; did you mean '{likely}'?" if likely else ""
                    self.stale(edit.pos, f"story '{override.story}' has no fact '{edit.fact}'{hint}",
                               (edit.fact, likely) if likely else None)

    def entities(self) -> None:
        index = self.digest.entities
        surfaces = {s for refs in index.by_article.values() for ref in refs for s in ref.surface}
        names = {n for e in index.entities for n in (e.name, *e.aliases)}
        # Surface forms are what the articles wrote; without them fall back on the index's names.
        seen = _Names(surfaces or names)
        known = _Names(names | surfaces)
        written = _Written(self.digest.articles)
        for override in self.ov.entities:
            key = ("entities", override.name)
            if not any(known.has(n) for n in (override.name, *override.aliases)):
                self.stale(override.pos, f"entity '{override.name}' matches no entity")
                continue
            for field_name, what in (("aliases", "alias"), ("split", "split name")):
                for name in getattr(override, field_name):
                    # an alias the model did not tag as a name is still written in the article
                    if not seen.has(name) and not (field_name == "aliases" and written.has(name)):
                        pos = self.where(key + (field_name, name), override.pos)
                        self.stale(pos, f"{what} '{name}' of '{override.name}' occurs in no article")

    def outlets(self) -> None:
        mapping = self.ov.outlets
        if self.inputs is not None:
            by_id = {o.article: o for o in self.ov.articles}
            used = set()
            for article in self.inputs:
                override = by_id.get(article.id)
                if override is not None and override.outlet:  # as apply_to_article: by name only
                    used.add(outlet_key(override.outlet, None, mapping))
                else:
                    url = override.url if override is not None and override.url else article.url
                    used.add(outlet_key(article.outlet, url, mapping))
        else:  # judged after the fact: some article must carry the display name
            shown = {a.outlet for a in self.digest.articles}
            used = {key for key, name in mapping.items() if name in shown}
        for key in mapping:
            if key not in used:
                pos = self.where(("outlets", key), Pos(self.ov.files[0] if self.ov.files else "?", 1, 1))
                self.stale(pos, f"outlet '{key}' matches no article")


class _Written:
    """The articles' own words (title, standfirst, paragraphs), folded as names are: an alias
    "occurs in an article" when the article writes it, tagged as a name by the model or not."""

    def __init__(self, articles: Iterable[Article]) -> None:
        self.articles = articles
        self.text: str | None = None

    def has(self, name: str) -> bool:
        if self.text is None:  # only built when an alias is not among the mentions
            parts = [p for a in self.articles for p in (a.title or "", a.standfirst or "", *a.paragraphs)]
            self.text = _folded("\n".join(parts))
        words = _folded(strip_possessive(name))
        return bool(words) and re.search(rf"(?<![\w]){re.escape(words)}(?![\w])", self.text) is not None


def _folded(text: str) -> str:
    return " ".join(fold(text).casefold().split())


class _Names:
    """Names compared as the entities stage compares them (digest.names): same key, or the
    same person written differently ("Y. Ushakov" ~ "Yury Ushakov")."""

    def __init__(self, names: Iterable[str]) -> None:
        self.keys = {name_key(n) for n in names}
        self.people = [n for n in names if len(n.split()) > 1]

    def has(self, name: str) -> bool:
        if name_key(name) in self.keys:
            return True
        return len(name.split()) > 1 and any(same_person(name, other) for other in self.people)
