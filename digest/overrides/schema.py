"""The one schema of overrides.yml: node tree -> Overrides pieces, every problem collected.

Validation never stops at the first problem (like MkDocs' config schemas) and never raises:
each bad value becomes a Problem at the node's line and column and is left out of the result.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable
from urllib.parse import urlsplit

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from digest.model import (
    AddedFact,
    ArticleOverride,
    EntityOverride,
    FactOverride,
    Pos,
    Problem,
    StoryOverride,
)
from digest.text.slugs import slugify

from .nodes import BOOL, NULL, is_null, kind, refused

TOP_KEYS = ("outlets", "articles", "entities", "stories")
ARTICLE_KEYS = ("title", "outlet", "url", "author", "published", "story", "exclude")
ENTITY_KEYS = ("aliases", "type", "split")
STORY_KEYS = ("title", "summary", "merge", "split", "facts", "add_facts")
FACT_KEYS = ("value", "note", "citation", "hide", "pin", "disputed")
ADDED_FACT_KEYS = ("label", "kind", "value", "sources", "note", "citation")
ENTITY_TYPES = ("person", "place", "organization", "event", "other")
FACT_KINDS = ("date", "place", "person", "number", "quote", "claim")
_TRUE = {"true", "yes", "on", "y"}

Key = tuple[str, ...]


def added_fact_id(label: str) -> str:
    """Stable id of a writer-added fact row: 'added-' + slug of its label."""
    return f"added-{slugify(label, empty='fact')}"


def _web_url(value: str) -> str | None:
    parts = urlsplit(value)
    return value if parts.scheme in ("http", "https") and parts.netloc else None


def unknown_key(key: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return f"unknown key '{key}'; did you mean '{close[0]}'?"
    return f"unknown key '{key}'; expected one of: {', '.join(allowed)}"


def normalize_date(value: str) -> str | None:
    """ISO 8601 date or date-time in the form the readers produce, or None when it is not one."""
    value = value.strip()
    try:
        if len(value) <= 10:
            return date.fromisoformat(value).isoformat()
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    # Minutes unless seconds matter, as the readers write it ("2024-05-15T20:41").
    return moment.isoformat(timespec="minutes" if not (moment.second or moment.microsecond) else "seconds")


@dataclass
class FileOverrides:
    """What one YAML file holds: entries keyed by name with where they were written."""

    path: str
    outlets: dict[str, tuple[str, Pos]] = field(default_factory=dict)
    articles: dict[str, ArticleOverride] = field(default_factory=dict)
    entities: dict[str, EntityOverride] = field(default_factory=dict)
    stories: dict[str, StoryOverride] = field(default_factory=dict)
    positions: dict[Key, Pos] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class _Checker:
    """Reads one file's node tree; every converter returns None (after reporting) when bad."""

    def __init__(self, path: str) -> None:
        self.out = FileOverrides(path)

    # -- plumbing ---------------------------------------------------------------------

    def pos(self, node: Node) -> Pos:
        return Pos(self.out.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: Node, message: str) -> None:
        p = self.pos(node)
        self.out.problems.append(Problem(p.path, message, "error", p.line, p.col))

    def at(self, key: Key, node: Node) -> None:
        self.out.positions[key] = self.pos(node)

    def entries(self, node: Node) -> list[tuple[str, ScalarNode, Node]]:
        """(key, key node, value node) of a mapping; null counts as an empty mapping."""
        if refused(node) or is_null(node):
            return []
        if not isinstance(node, MappingNode):
            self.error(node, f"expected a mapping, got {kind(node)}")
            return []
        seen: dict[str, Pos] = {}
        result = []
        for key_node, value_node in node.value:
            if refused(key_node):
                continue
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, f"expected a name as the key, got {kind(key_node)}")
                continue
            key = key_node.value.strip()
            if not key:
                self.error(key_node, "empty key")
                continue
            if key in seen:
                self.error(key_node, f"duplicate key '{key}' (first at {seen[key]})")
                continue
            seen[key] = self.pos(key_node)
            result.append((key, key_node, value_node))
        return result

    def fields(self, node: Node, allowed: tuple[str, ...], convert: dict[str, Callable]) -> dict:
        """Known keys of a mapping converted by `convert[key]`; unknown keys reported."""
        values = {}
        for key, key_node, value_node in self.entries(node):
            if key not in allowed:
                self.error(key_node, unknown_key(key, allowed))
                continue
            value = convert[key](value_node)
            if value is not None:
                values[key] = value
        return values

    # -- scalar converters --------------------------------------------------------------

    def text(self, node: Node) -> str | None:
        if refused(node):
            return None
        if not isinstance(node, ScalarNode) or node.tag == NULL:
            self.error(node, f"expected a string, got {kind(node)}")
            return None
        # The source text, not YAML's reading of it: `value: 1_000` or `title: no` mean what they say.
        value = node.value.strip()
        if not value:
            self.error(node, "expected a non-empty string")
            return None
        return value

    def flag(self, node: Node) -> bool | None:
        if refused(node):
            return None
        if not (isinstance(node, ScalarNode) and node.tag == BOOL):
            self.error(node, f"expected true or false, got {kind(node)}")
            return None
        return node.value.lower() in _TRUE

    def checked(self, node: Node, normalize: Callable[[str], str | None], expected: str) -> str | None:
        """A string that `normalize` accepts (returning its normal form), else a problem."""
        value = self.text(node)
        if value is None:
            return None
        normal = normalize(value)
        if normal is None:
            self.error(node, f"expected {expected} but received: '{value}'")
        return normal

    def choice(self, options: tuple[str, ...]) -> Callable[[Node], str | None]:
        def normalize(value: str) -> str | None:
            return value.lower() if value.lower() in options else None

        return lambda node: self.checked(node, normalize, f"one of: {', '.join(options)}")

    def iso_date(self, node: Node) -> str | None:
        expected = "an ISO 8601 date (2024-05-15) or date-time (2024-05-15T20:41)"
        return self.checked(node, normalize_date, expected)

    def url(self, node: Node) -> str | None:
        return self.checked(node, _web_url, "an http:// or https:// URL")

    def names(self, node: Node, key: Key) -> tuple[str, ...] | None:
        """A list of strings (null = empty); each item's position recorded under key + (item,)."""
        if refused(node) or is_null(node):
            return ()
        if not isinstance(node, SequenceNode):
            self.error(node, f"expected a list of strings, got {kind(node)}")
            return None
        items: list[str] = []
        first: dict[str, Pos] = {}
        for item_node in node.value:
            item = self.text(item_node)
            if item is None:
                continue
            if item in first:
                self.error(item_node, f"duplicate '{item}' (first at {first[item]})")
                continue
            first[item] = self.pos(item_node)
            self.at(key + (item,), item_node)
            items.append(item)
        return tuple(items)

    # -- sections -----------------------------------------------------------------------

    def document(self, node: Node) -> None:
        if refused(node) or is_null(node):
            return
        if not isinstance(node, MappingNode):
            self.error(node, f"expected a mapping of {', '.join(TOP_KEYS)}, got {kind(node)}")
            return
        sections = {
            "outlets": self.outlets,
            "articles": self.articles,
            "entities": self.entities,
            "stories": self.stories,
        }
        for key, key_node, value_node in self.entries(node):
            if key not in sections:
                self.error(key_node, unknown_key(key, TOP_KEYS))
                continue
            sections[key](value_node)

    def outlets(self, node: Node) -> None:
        for key, key_node, value_node in self.entries(node):
            name = self.text(value_node)
            if name is not None:
                self.at(("outlets", key), key_node)
                self.out.outlets[key] = (name, self.pos(key_node))

    def articles(self, node: Node) -> None:
        for article_id, key_node, value_node in self.entries(node):
            key = ("articles", article_id)
            self.at(key, key_node)
            convert = {
                "title": self.text,
                "outlet": self.text,
                "url": self.url,
                "author": self.text,
                "published": self.iso_date,
                "story": self.text,
                "exclude": self.flag,
            }
            values = self.fields(value_node, ARTICLE_KEYS, self._recording(key, convert))
            self.out.articles[article_id] = ArticleOverride(article_id, self.pos(key_node), **values)

    def entities(self, node: Node) -> None:
        for name, key_node, value_node in self.entries(node):
            key = ("entities", name)
            self.at(key, key_node)
            convert = {
                "aliases": lambda n: self.names(n, key + ("aliases",)),
                "split": lambda n: self.names(n, key + ("split",)),
                "type": self.choice(ENTITY_TYPES),
            }
            values = self.fields(value_node, ENTITY_KEYS, self._recording(key, convert))
            if "type" in values:
                values["label"] = values.pop("type")
            self.out.entities[name] = EntityOverride(name, self.pos(key_node), **values)

    def stories(self, node: Node) -> None:
        for story_id, key_node, value_node in self.entries(node):
            key = ("stories", story_id)
            self.at(key, key_node)
            convert = {
                "title": self.text,
                "summary": self.text,
                "merge": lambda n: self.names(n, key + ("merge",)),
                "split": lambda n: self._split(n, key + ("split",)),
                "facts": lambda n: self._facts(n, key + ("facts",)),
                "add_facts": lambda n: self._added_facts(n, key + ("add_facts",)),
            }
            values = self.fields(value_node, STORY_KEYS, self._recording(key, convert))
            for other in values.get("merge", ()):
                if other == story_id:
                    message = f"story '{story_id}' cannot be merged into itself"
                    self.error_at(key + ("merge", other), key_node, message)
            self.out.stories[story_id] = StoryOverride(story_id, self.pos(key_node), **values)

    def error_at(self, key: Key, fallback: Node, message: str) -> None:
        """An error at the recorded position of `key` (at `fallback` if none was recorded)."""
        p = self.out.positions.get(key) or self.pos(fallback)
        self.out.problems.append(Problem(p.path, message, "error", p.line, p.col))

    def _recording(self, key: Key, convert: dict[str, Callable]) -> dict[str, Callable]:
        """Wrap converters so each field's value position is kept under key + (field,)."""

        def wrap(name: str, fn: Callable) -> Callable:
            def run(node: Node):
                self.at(key + (name,), node)
                return fn(node)

            return run

        return {name: wrap(name, fn) for name, fn in convert.items()}

    def _split(self, node: Node, key: Key) -> dict[str, tuple[str, ...]] | None:
        result = {}
        for new_id, key_node, value_node in self.entries(node):
            self.at(key + (new_id,), key_node)
            articles = self.names(value_node, key + (new_id,))
            if articles is not None:
                result[new_id] = articles
        return result

    def _facts(self, node: Node, key: Key) -> tuple[FactOverride, ...]:
        result = []
        for fact_id, key_node, value_node in self.entries(node):
            self.at(key + (fact_id,), key_node)
            convert = {
                "value": self.text,
                "note": self.text,
                "citation": self.text,
                "hide": self.flag,
                "pin": self.flag,
                "disputed": self.flag,
            }
            values = self.fields(value_node, FACT_KEYS, self._recording(key + (fact_id,), convert))
            if values.get("hide") and values.get("pin"):
                self.error_at(key + (fact_id, "pin"), key_node, "a hidden fact cannot be pinned")
                values.pop("pin")
            result.append(FactOverride(fact_id, self.pos(key_node), **values))
        return tuple(result)

    def _added_facts(self, node: Node, key: Key) -> tuple[AddedFact, ...]:
        if refused(node) or is_null(node):
            return ()
        if not isinstance(node, SequenceNode):
            self.error(node, f"expected a list of facts, got {kind(node)}")
            return ()
        result: list[AddedFact] = []
        first: dict[str, Pos] = {}
        for item in node.value:
            fact = self._added_fact(item, key, first)
            if fact is not None:
                result.append(fact)
        return tuple(result)

    def _added_fact(self, node: Node, key: Key, first: dict[str, Pos]) -> AddedFact | None:
        if refused(node):
            return None
        if not isinstance(node, MappingNode):
            self.error(node, f"expected a mapping with label and value, got {kind(node)}")
            return None
        # Positions are recorded under the fact's id, known from its label before validation.
        label = node_value(node, "label")
        fact_id = added_fact_id(label) if label else None
        duplicate = fact_id in first
        fact_key = key + (fact_id if fact_id and not duplicate else "?",)
        convert = {
            "label": self.text,
            "kind": self.choice(FACT_KINDS),
            "value": self.text,
            "sources": lambda n: self._sources(n, fact_key + ("sources",)),
            "note": self.text,
            "citation": self.text,
        }
        values = self.fields(node, ADDED_FACT_KEYS, self._recording(fact_key, convert))
        present = {k.value.strip() for k, _ in node.value if isinstance(k, ScalarNode)}
        for name in ("label", "value"):
            if name not in present:
                self.error(node, f"missing required key '{name}'")
        if duplicate:
            message = f"added fact id '{fact_id}' is already used (first at {first[fact_id]})"
            self.error_at(fact_key + ("label",), node, message)
            return None
        if "label" not in values or "value" not in values:
            return None
        first[fact_id] = self.pos(node)
        self.at(fact_key, node)
        return AddedFact(pos=self.pos(node), **values)

    def _sources(self, node: Node, key: Key) -> dict[str, str] | None:
        result = {}
        for article_id, key_node, value_node in self.entries(node):
            words = self.text(value_node)
            if words is not None:
                self.at(key + (article_id,), key_node)
                result[article_id] = words
        return result


def node_value(node: MappingNode, name: str) -> str | None:
    """The raw text of scalar `name` in a mapping, if present (used before full validation)."""
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == name and isinstance(value_node, ScalarNode):
            return value_node.value.strip()
    return None


def check_document(node: Node | None, path: str) -> FileOverrides:
    """Validate one file's node tree against the schema."""
    checker = _Checker(path)
    if node is not None:
        checker.document(node)
    return checker.out
