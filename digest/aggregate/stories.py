"""Grouping analysed articles into stories: same event, told by several outlets.

Each article is a TF-IDF vector of its content lemmas plus its entities (weighted up: a shared
named person or place says more than a shared common word). Pairs are only compared when they
share one of their strongest features (blocking through an inverted index, so 9,000 articles
cost about linearly, never all pairs). Pairs are linked best first, average-link style: an article
joins a story only if it is close to the story's centroid; publication dates far apart need a
closer match. No fixed number of stories.

A new group's proposed id is the slug of its earliest article's title; the ids stage (digest/ids,
through the `namer` the pipeline passes) keeps the id a story was first published under, whatever
joins it later. Without a namer the proposed ids are used, made unique with a numeric suffix.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable, Mapping, Sequence

from digest.aggregate.facts.republish import order_key
from digest.aggregate.facts.rows import slug
from digest.text.dates import day_of
from digest.model import AnalysedArticle, EntityIndex, StoryNaming, StoryOverride


# Tuned on news-cluster-dev (B-cubed) under two constraints: the five seeds stay one story and the
# bundled example's ferry collision and state visit (same city, three weeks apart) stay two.
ENTITY_WEIGHT = 1.5  # an entity feature counts this much more than a word
TOP_FEATURES = 12  # blocking: articles are compared when they share one of these
WINDOW = 40  # a common feature pairs an article with this many neighbours in date order
LINK_NEAR = 0.20  # centroid cosine needed to join a story when published within NEAR_DAYS
LINK_FAR = 0.36  # ... and when further apart (or a date is unknown)
NEAR_DAYS = 7
ID_WORDS = 7


TITLE_WEIGHT = 2.0  # a title word also counts as a feature of its own ("T:missile")
BODY_MIN = 0.10  # ... but the texts themselves must share this much
_TITLE_STOP = frozenset("""a an the of to in on at for and or but is are was were be been it its this that
with by from as after before over into up out new says say said will could would has have had""".split())


def _title_words(title: str | None) -> list[str]:
    words = re.findall(r"[a-z0-9]+", (title or "").lower().replace("’", "'"))
    return ["T:" + (w[:-1] if len(w) > 3 and w.endswith("s") else w) for w in words if w not in _TITLE_STOP]


def _weight(feature: str) -> float:
    return ENTITY_WEIGHT if feature[0] == "@" else TITLE_WEIGHT if feature[:2] == "T:" else 1.0


def _bag(a: AnalysedArticle, index: EntityIndex) -> Counter:
    """Feature counts of one article: content lemmas, title words, entities."""
    bag = Counter(a.terms)
    bag.update(_title_words(a.article.title))
    for ref in index.by_article.get(a.article.id, ()):
        bag["@" + ref.entity] += ref.mentions
    return bag


def _vectors(analysed: Sequence[AnalysedArticle], index: EntityIndex) -> list[dict[str, float]]:
    bags = [_bag(a, index) for a in analysed]
    df = Counter(f for bag in bags for f in bag)
    n = len(bags)
    # Smooth IDF (+1): in a handful of articles, words all of them share still count.
    idf = {f: math.log((n + 1) / (d + 1)) + 1 for f, d in df.items() if d > 1 or n < 3}
    weight = {f: _weight(f) for f in idf}
    tf = {c: 1 + math.log(c) for c in set().union(*(bag.values() for bag in bags))}
    # Every vector keys a feature with the same string object (df's): _dot's lookups then
    # compare by identity, not character by character.
    same = {f: f for f in idf}
    out = []
    for bag in bags:
        # Factors computed once per feature, multiplied in the same order: the same floats.
        vec = {same[f]: tf[c] * idf[f] * weight[f] for f, c in bag.items() if f in idf}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({f: v / norm for f, v in vec.items() if v > 0})
    return out


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    # Membership first, then indexing: about a third faster than b.get(f, 0.0) on sparse vectors,
    # with the same summation order (deterministic results).
    return sum(v * b[f] for f, v in a.items() if f in b)


def _body_dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Similarity without the title words: a recurring column title alone links nothing."""
    return sum(v * b[f] for f, v in a.items() if f in b and not f.startswith("T:"))


def _candidate_pairs(vectors: Sequence[Mapping[str, float]], days: Sequence[date | None] | None = None
                     ) -> set[tuple[int, int]]:
    """Pairs sharing one of their strongest features. A feature in many articles' top lists
    only pairs each article with its WINDOW nearest in publication order: cost stays linear."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for f in _top_features(vec):
            postings[f].append(i)
    when = [d.toordinal() if d else 0 for d in (days or [None] * len(vectors))]
    pairs: set[tuple[int, int]] = set()
    for members in postings.values():
        if len(members) > WINDOW:
            members = sorted(members, key=lambda i: (when[i], i))
        for x, i in enumerate(members):
            pairs.update((i, j) if i < j else (j, i) for j in members[x + 1:x + 1 + WINDOW])
    return pairs


def _top_features(vec: Mapping[str, float]) -> list[str]:
    """The TOP_FEATURES strongest features, ties by name. Only those at least as strong as the
    TOP_FEATURES-th value are sorted: the same list as sorting all, without a key call each."""
    items = vec.items()
    if len(vec) > TOP_FEATURES:
        cut = sorted(vec.values(), reverse=True)[TOP_FEATURES - 1]
        items = [(f, v) for f, v in items if v >= cut]
    return [f for f, _ in sorted(items, key=lambda kv: (-kv[1], kv[0]))[:TOP_FEATURES]]


def cluster(analysed: Sequence[AnalysedArticle], index: EntityIndex) -> list[list[int]]:
    """Groups of indexes into `analysed`, each one event."""
    vectors = _vectors(analysed, index)
    days = [day_of(a.article.published) for a in analysed]

    def threshold(i: int, j: int) -> float:
        if days[i] and days[j] and abs((days[i] - days[j]).days) <= NEAR_DAYS:
            return LINK_NEAR
        return LINK_FAR

    # In index order each article's vector stays in the CPU cache over its run of pairs: the
    # dots take a third less time than in the set's order.
    pairs = sorted(_candidate_pairs(vectors, days))
    scored = [(_dot(vectors[i], vectors[j]), i, j) for i, j in pairs]
    scored = sorted((s for s in scored if s[0] >= LINK_NEAR and _body_dot(vectors[s[1]], vectors[s[2]]) >= BODY_MIN),
                    key=lambda s: (-s[0], s[1], s[2]))
    group_of = list(range(len(analysed)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(analysed))}
    centroid: dict[int, dict[str, float]] = {i: dict(v) for i, v in enumerate(vectors)}
    norms: dict[int, float] = {}  # centroid norms, dropped when a merge changes the centroid

    def norm(g: int) -> float:
        # Recomputed in full, not updated: an incremental sum would round differently.
        if g not in norms:
            norms[g] = math.sqrt(sum(v * v for v in centroid[g].values())) or 1.0
        return norms[g]

    for sim, i, j in scored:
        gi, gj = group_of[i], group_of[j]
        if gi == gj or sim < threshold(i, j):
            continue
        if _dot(centroid[gi], centroid[gj]) / (norm(gi) * norm(gj)) < threshold(i, j):
            continue  # close to one article, not to the story: no chaining
        if len(members[gi]) < len(members[gj]):
            gi, gj = gj, gi
        for k in members.pop(gj):
            group_of[k] = gi
            members[gi].append(k)
        merged = centroid.pop(gj)
        target = centroid[gi]
        for f, v in merged.items():
            target[f] = target.get(f, 0.0) + v
        norms.pop(gi, None)
        norms.pop(gj, None)
    return [sorted(m) for m in members.values()]


def _title(group: Sequence[AnalysedArticle]) -> str:
    """The title of the article that shares most with the others (its most typical title)."""
    titled = [a for a in group if a.article.title]
    if not titled:
        return group[0].sentences[0][1][:80] if group[0].sentences else group[0].article.id
    counts = Counter(t for a in group for t in set(a.terms))
    def score(a: AnalysedArticle) -> tuple[float, str]:
        words = set(re.findall(r"[a-z]+", a.article.title.lower()))
        shared = sum(counts[w] for w in words) / (1 + len(words)) ** 0.5
        return (-shared, order_key(a.article)[0])
    return min(titled, key=score).article.title.strip()


def _story_id(group: Sequence[AnalysedArticle]) -> str:
    first = min(group, key=lambda a: order_key(a.article))
    return slug(first.article.title or _title(group), ID_WORDS)


@dataclass(frozen=True)
class StoryGroup:
    """One story before its key facts: its articles in time order, title and writers' summary."""

    id: str
    articles: tuple[AnalysedArticle, ...]
    title: str
    summary: str | None = None  # writers' summary (overrides), in place of the extracted one


# Names the machine-made groups: (proposed id, article ids) each -> their ids and the ids that
# moved (digest/ids supplies the registry's; without one every group takes its proposed id).
StoryNamer = Callable[[Sequence[tuple[str, Sequence[str]]]], StoryNaming]


def _proposed_ids(groups: Sequence[tuple[str, Sequence[str]]]) -> StoryNaming:
    taken: set[str] = set()
    out = []
    for base, articles in groups:
        sid, n = base, 2
        while sid in taken:
            sid, n = f"{base}-{n}", n + 1
        taken.add(sid)
        out.append((sid, tuple(articles)))
    return StoryNaming(groups=tuple(out))


def group_stories(analysed: Sequence[AnalysedArticle], index: EntityIndex,
                  overrides: Sequence[StoryOverride] = ()) -> tuple[StoryGroup, ...]:
    return group_and_name(analysed, index, overrides)[0]


def group_and_name(analysed: Sequence[AnalysedArticle], index: EntityIndex,
                   overrides: Sequence[StoryOverride] = (), namer: StoryNamer | None = None
                   ) -> tuple[tuple[StoryGroup, ...], StoryNaming]:
    """The articles grouped into stories, with the writers' merges, splits and titles applied;
    in grouping order (the aggregate stage sorts the finished stories). Overrides and `story:`
    hints written with an id that moved (an alias) apply to the story it moved to."""
    usable = [a for a in analysed if not a.article.not_article]
    free = [a for a in usable if not a.article.story_hint]
    clusters = [[free[i] for i in members] for members in cluster(free, index)]
    naming = (namer or _proposed_ids)([(_story_id(g), tuple(a.article.id for a in g)) for g in clusters])
    aliases = naming.aliases
    groups: dict[str, list[AnalysedArticle]] = {}
    for (sid, _), group in zip(naming.groups, clusters):
        groups[sid] = group
    for a in usable:  # writers' `story:` on an article wins over the grouping
        if a.article.story_hint:
            groups.setdefault(aliases.get(a.article.story_hint, a.article.story_hint), []).append(a)
    groups, titles, summaries = _apply_overrides(groups, [_followed(ov, aliases) for ov in overrides])
    out = []
    for sid, group in groups.items():
        if not group:
            continue
        ordered = tuple(sorted(group, key=lambda a: order_key(a.article)))
        out.append(StoryGroup(id=sid, articles=ordered, title=titles.get(sid) or _title(ordered),
                              summary=summaries.get(sid)))
    return tuple(out), naming


def _followed(ov: StoryOverride, aliases: Mapping[str, str]) -> StoryOverride:
    if not aliases:
        return ov
    return replace(ov, story=aliases.get(ov.story, ov.story), merge=tuple(aliases.get(m, m) for m in ov.merge))


def _apply_overrides(groups: dict[str, list[AnalysedArticle]], overrides: Sequence[StoryOverride]
                     ) -> tuple[dict[str, list[AnalysedArticle]], dict[str, str], dict[str, str]]:
    """Merges, then splits; titles and summaries are kept for after the facts are built.
    Overrides naming unknown stories are left to overrides.check_references to report."""
    titles: dict[str, str] = {}
    summaries: dict[str, str] = {}
    groups = {k: list(v) for k, v in groups.items()}
    for ov in overrides:
        if ov.story not in groups:
            continue
        for other in ov.merge:
            if other in groups and other != ov.story:
                groups[ov.story].extend(groups.pop(other))
    for ov in overrides:
        if ov.story not in groups:
            continue
        for new_id, article_ids in ov.split.items():
            wanted = set(article_ids)
            moved = [a for a in groups[ov.story] if a.article.id in wanted]
            groups[ov.story] = [a for a in groups[ov.story] if a.article.id not in wanted]
            if moved:
                groups.setdefault(new_id, []).extend(moved)
    for ov in overrides:
        if ov.title:
            titles[ov.story] = ov.title
        if ov.summary:
            summaries[ov.story] = ov.summary
    return groups, titles, summaries
