"""The frozen dataclasses that flow between pipeline stages.

Dependencies point one way (cli -> pipeline -> stages -> model): this module imports no
other module of digest. Mappings inside frozen dataclasses are plain dicts by convention:
stages never mutate what they receive, they build new objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

# ---------------------------------------------------------------------------------------
# Problems: every input or configuration issue, reported as one line naming the file.


@dataclass(frozen=True)
class Problem:
    """One error or warning about an input. `line`/`col` are 1-based, None when unknown."""

    path: str
    message: str
    severity: str = "error"  # "error" | "warning" | "note"
    line: int | None = None
    col: int | None = None
    fix: tuple[str, str] | None = None  # (written, replacement) at line:col, for `digest check --fix`

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.severity}: {self.message}"


# ---------------------------------------------------------------------------------------
# Stage 1: reading.


@dataclass(frozen=True)
class Metadata:
    """What an input format says about an article besides its text. All optional."""

    title: str | None = None
    published: str | None = None  # ISO 8601 (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS])
    outlet: str | None = None  # display name or source domain
    url: str | None = None
    author: str | None = None
    standfirst: str | None = None  # description / sub-headline, when the format carries it
    story: str | None = None  # a story id requested by the input (Markdown front matter)


@dataclass(frozen=True)
class RawArticle:
    """One input file (or one JSONL line) decoded to text, before cleaning."""

    id: str  # the input file's stem (JSONL: stem + "-" + line number); unique
    source_path: str  # path as given relative to the project root when possible
    format: str  # "txt" | "html" | "json" | "md"
    text: str  # body text, one block per line; for html the extractor's main text
    meta: Metadata = Metadata()
    content_hash: str = ""  # sha256 of the raw bytes (plus line number for JSONL)


# ---------------------------------------------------------------------------------------
# Stage 2: cleaning.


@dataclass(frozen=True)
class Dropped:
    """A piece of the input removed by cleaning, with the reason shown to editors."""

    text: str
    reason: str  # e.g. "photo caption", "widget error text", "template line", "duplicate line"


@dataclass(frozen=True)
class Article:
    """A cleaned article: metadata, standfirst and body paragraphs, nothing else."""

    id: str
    source_path: str
    format: str
    title: str | None
    title_derived: bool
    published: str | None
    outlet: str | None
    url: str | None
    author: str | None
    standfirst: str | None
    paragraphs: tuple[str, ...]
    dropped: tuple[Dropped, ...] = ()
    not_article: str | None = None  # reason when the page is not an article (kept out of stories)
    story_hint: str | None = None  # story id requested by the input or overrides
    content_hash: str = ""
    # The title as read when an override replaced it (the article id when it had none): the
    # page's path is made from it, so editing a title never moves a published page.
    path_title: str | None = None


# ---------------------------------------------------------------------------------------
# Stage 3: analysis (spaCy), cached per article.


@dataclass(frozen=True)
class Mention:
    """One named-entity mention in an article."""

    text: str  # surface form as written, titles/possessives stripped ("Putin")
    label: str  # spaCy label: PERSON, GPE, LOC, ORG, NORP, FAC, EVENT, ...
    paragraph: int  # index into Article.paragraphs; -1 = title, -2 = standfirst
    sentence: str  # the sentence containing the mention
    role: str | None = None  # apposition or title before the name ("presidential aide")


@dataclass(frozen=True)
class Candidate:
    """A candidate key fact found in one article, before alignment across outlets."""

    kind: str  # "date" | "place" | "person" | "number" | "quote" | "claim"
    key: str  # what it is about, used for alignment ("injured", "bilateral document", ...)
    value: str  # normalised value ("2024-05-16", "12", "Harbin", quote text)
    text: str  # the exact words the outlet used
    paragraph: int
    sentence: str
    approx: str | None = None  # "about" | "at least" | "more than" | ...
    speaker: str | None = None  # for quotes: surface name of the speaker
    # Typed parts (row keys and filters read these, never parse them back out of `key`):
    thing: str = ""  # the measured thing: counted noun lemma + predicate ("people killed"), date's event
    qualifiers: tuple[str, ...] = ()  # what makes it another quantity: "critically", "among", "US"
    background: str = ""  # why the sentence may be about another event or period ("past year 1996")
    sentence_no: int = -1  # position: index of the sentence in the article's Doc


@dataclass(frozen=True)
class AnalysedArticle:
    article: Article
    mentions: tuple[Mention, ...]
    candidates: tuple[Candidate, ...]
    sentences: tuple[tuple[int, str], ...]  # (paragraph index, sentence text) of the body
    terms: tuple[str, ...]  # content-word lemmas (lowercased), for story grouping


# ---------------------------------------------------------------------------------------
# Stage 4: aggregation.


@dataclass(frozen=True)
class Role:
    role: str  # "presidential aide"
    outlet: str | None  # outlet that used it
    article: str  # article id


@dataclass(frozen=True)
class Entity:
    id: str  # slug of the canonical name, unique
    name: str  # canonical name: the most used full form
    label: str  # person | place | organization | event | other
    aliases: tuple[str, ...]  # every other surface form seen (and writers' aliases)
    roles: tuple[Role, ...] = ()
    articles: tuple[str, ...] = ()  # article ids mentioning it


@dataclass(frozen=True)
class EntityRef:
    """How one article mentions one entity."""

    entity: str  # entity id
    mentions: int
    surface: tuple[str, ...]  # distinct surface forms used in that article
    sentences: tuple[str, ...] = ()  # up to a few sentences that mention it


@dataclass(frozen=True)
class EntityIndex:
    entities: tuple[Entity, ...]
    by_article: Mapping[str, tuple[EntityRef, ...]]  # article id -> refs, most mentioned first
    merges: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (entity id, surfaces merged across articles)


@dataclass(frozen=True)
class FactSource:
    """What one article reported for one fact row."""

    article: str  # article id
    text: str  # the exact words reported
    value: str  # that article's normalised value
    paragraph: int = 0
    republished_from: str | None = None  # article id this one copies (not independent)
    published: str | None = None  # that article's publication time (ISO, offset kept): conflicts show it


@dataclass(frozen=True)
class Fact:
    id: str  # stable, derived from content (kind + key), unique within the story
    kind: str  # date | place | person | number | quote | claim
    label: str  # "Injured", "Visit dates", "Quote: Yury Ushakov"
    value: str  # agreed value; for a conflict the latest report's value (or the override's value)
    status: str  # agreed | conflict | single | edited | hidden
    sources: tuple[FactSource, ...]
    speaker: str | None = None  # quotes: entity id
    note: str | None = None  # writers' note
    citation: str | None = None  # writers' citation (URL or text)
    extracted_value: str | None = None  # the machine's value when an override changed it
    pinned: bool = False
    disputed: bool = False
    added: bool = False  # added by a writer, not extracted
    key: str = ""  # what the row measures (alignment key, entity id, speaker + words): its identity, not its label
    latest: str | None = None  # conflicts: the article id of the latest report (an update, not a majority)


@dataclass(frozen=True)
class SummarySentence:
    text: str
    articles: tuple[str, ...]  # article ids that carry it (first is the one quoted)


@dataclass(frozen=True)
class TimelineEntry:
    date: str  # ISO date (or date-time)
    text: str  # what happened / the fact label
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Story:
    id: str  # stable slug
    title: str
    articles: tuple[str, ...]  # article ids, oldest first
    facts: tuple[Fact, ...] = ()
    summary: tuple[SummarySentence, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    republished: Mapping[str, str] = field(default_factory=dict)  # article id -> original article id
    updated: str | None = None  # latest publication date of its articles
    exclusive: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # outlet -> fact ids only it reports


# ---------------------------------------------------------------------------------------
# The whole result, handed to the renderer.


@dataclass(frozen=True)
class StoryNaming:
    """How the grouping's stories got their ids (digest/ids): each machine-made group's id and
    articles, before the writers' merges and splits, and the ids that now lead elsewhere."""

    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (story id, article ids)
    aliases: Mapping[str, str] = field(default_factory=dict)  # earlier story id -> current id


@dataclass(frozen=True)
class ValueChange:
    outlet: str
    old: str | None  # None: the outlet did not report it before
    new: str | None  # None: the outlet no longer reports it


@dataclass(frozen=True)
class RowChange:
    story: str  # story id
    fact: str  # fact id
    label: str
    value: str  # the row's value now (or last, when removed)
    changes: tuple[ValueChange, ...] = ()  # per outlet, for changed rows


@dataclass(frozen=True)
class Changes:
    """What changed since the last published build (for editors)."""

    since: str | None  # the previous build's title/marker; None when there was none
    new_stories: tuple[tuple[str, str], ...] = ()  # (id, title)
    removed_stories: tuple[tuple[str, str], ...] = ()
    moved_stories: tuple[tuple[str, str], ...] = ()  # (old id, id it redirects to)
    rows_added: tuple[RowChange, ...] = ()
    rows_removed: tuple[RowChange, ...] = ()
    rows_changed: tuple[RowChange, ...] = ()
    new_conflicts: tuple[RowChange, ...] = ()
    stale_overrides: tuple[str, ...] = ()  # the problems, as printed

    @property
    def empty(self) -> bool:
        return not (self.new_stories or self.removed_stories or self.moved_stories or self.rows_added
                    or self.rows_removed or self.rows_changed or self.new_conflicts or self.stale_overrides)


@dataclass(frozen=True)
class Digest:
    articles: tuple[Article, ...]  # every cleaned article, including non-articles (flagged)
    entities: EntityIndex
    stories: tuple[Story, ...]  # most recent first
    problems: tuple[Problem, ...] = ()
    title: str = "digest"
    redirects: Mapping[str, str] = field(default_factory=dict)  # story id no longer published -> current id
    changes: Changes | None = None  # since the last published build


# ---------------------------------------------------------------------------------------
# Writers' overrides (parsed and validated by overrides.py, applied by each stage).


@dataclass(frozen=True)
class Pos:
    """Where an override was written, for line-numbered messages."""

    path: str
    line: int  # 1-based
    col: int  # 1-based

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class ArticleOverride:
    article: str  # article id
    pos: Pos
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601
    story: str | None = None  # put the article into this story id
    exclude: bool = False


@dataclass(frozen=True)
class EntityOverride:
    name: str  # the canonical name wanted
    pos: Pos
    aliases: tuple[str, ...] = ()  # names merged into this entity
    split: tuple[str, ...] = ()  # names that must become entities of their own
    label: str | None = None  # person | place | organization | event | other


@dataclass(frozen=True)
class FactOverride:
    fact: str  # fact id within the story
    pos: Pos
    value: str | None = None  # corrected value
    note: str | None = None
    citation: str | None = None
    hide: bool = False
    pin: bool = False
    disputed: bool = False


@dataclass(frozen=True)
class AddedFact:
    label: str
    value: str
    pos: Pos
    kind: str = "claim"
    sources: Mapping[str, str] = field(default_factory=dict)  # article id -> reported words
    note: str | None = None
    citation: str | None = None


@dataclass(frozen=True)
class StoryOverride:
    story: str  # story id
    pos: Pos
    title: str | None = None
    summary: str | None = None
    merge: tuple[str, ...] = ()  # other story ids merged into this one
    split: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # new story id -> article ids
    facts: tuple[FactOverride, ...] = ()
    add_facts: tuple[AddedFact, ...] = ()


@dataclass(frozen=True)
class Overrides:
    articles: tuple[ArticleOverride, ...] = ()
    entities: tuple[EntityOverride, ...] = ()
    stories: tuple[StoryOverride, ...] = ()
    outlets: Mapping[str, str] = field(default_factory=dict)  # source domain or outlet -> display name
    files: tuple[str, ...] = ()  # the YAML files read
    # Where each reference was written, keyed by its path in the YAML, e.g.
    # ("stories", "putin-visits-china", "merge", "putin-in-harbin"): for line-numbered messages.
    positions: Mapping[tuple[str, ...], Pos] = field(default_factory=dict)
