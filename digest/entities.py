"""Canonical entities across articles: one entity per real person, place and organization.

How mentions become entities (each step is a rule with a unit test):

1. Junk is dropped (numbers, lowercase words, page furniture like "Comments", bare titles).
   NORP mentions (nationalities, religious and political groups: "Russian", "Sino-Russian") are
   not entities a reader browses: a name whose mentions are mostly NORP is left out.
2. Every mention gets a name key (`names.name_key`: case, accents, dots, a leading "the" and
   well-known abbreviations folded), so "the United States", "US" and "U.S." are one key.
3. Within an article a one-word person name ("Putin", "Xi") joins the one full name in that
   article it is the first or last word of ("Vladimir Putin", "Xi Jinping").
4. Across articles: full person names merge when they are transliteration variants
   (`names.same_person`: Yury/Yuri, Sergey/Sergei, ...); people sharing only a first or a last
   name stay apart. A one-word name left alone in its article joins the only full name in the
   corpus it can stand for. An acronym joins the only long name it abbreviates (UN).
5. The label is voted over every mention of the entity in the corpus.
6. Writers' overrides (EntityOverride) split, merge, rename and retype.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .model import AnalysedArticle, Entity, EntityIndex, EntityOverride, EntityRef, Role
from .names import (TITLE_WORDS, acronyms, clean_surface, is_acronym, name_key, person_parts,
                    same_person, slugify, translit_word)

COARSE_LABELS = {
    "PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organization",
    "EVENT": "event", "NORP": "norp", "PRODUCT": "other", "WORK_OF_ART": "other", "LAW": "other",
    "LANGUAGE": "other",
}
LABELS = ("person", "organization", "place", "event", "other")  # also the tie-break order
# Acronyms that do name places; any other acronym the model calls a place is an organization
# (the small model tags BRICS, NATO, ASEAN as GPE).
PLACE_ACRONYMS = frozenset({"united states", "united kingdom", "united arab emirates", "soviet union",
                            "democratic republic of congo", "china", "dprk", "nyc", "dc", "la"})
BOILERPLATE = frozenset({
    "comments", "comment", "share", "advertisement", "related", "read more", "subscribe",
    "newsletter", "photo", "video", "getty images", "file photo", "sign up", "log in",
})
MAX_SENTENCES = 3


@dataclass
class Occurrence:
    """One usable mention with the article it came from."""

    article: str
    outlet: str | None
    surface: str
    key: str
    label: str  # coarse
    sentence: str
    role: str | None
    node: str = ""  # the union-find node it belongs to (its key, or a full name's key)


@dataclass
class Cluster:
    occs: list[Occurrence]
    name: str | None = None  # fixed by an override
    label: str | None = None  # fixed by an override
    extra_aliases: list[str] = field(default_factory=list)


def is_junk(surface: str) -> bool:
    """Surfaces that are never an entity worth a page."""
    words = surface.split()
    return (len(surface) < 2 or not any(c.isalpha() for c in surface) or surface[0].isdigit()
            or not any(c.isupper() for c in surface)
            or any(c in surface for c in "/|@©\n") or "http" in surface
            or len(words) > 8 or len(surface) > 60
            or surface.lower() in BOILERPLATE
            or all(w.lower().strip(".") in TITLE_WORDS for w in words))


def coarse_label(label: str, surface: str, key: str) -> str | None:
    coarse = COARSE_LABELS.get(label)
    if coarse == "place" and is_acronym(surface) and key not in PLACE_ACRONYMS:
        return "organization"
    return coarse


def occurrences(analysed: Sequence[AnalysedArticle]) -> list[Occurrence]:
    out = []
    for item in analysed:
        for m in item.mentions:
            surface = clean_surface(m.text)
            if not surface or is_junk(surface):
                continue
            key = name_key(surface)
            label = coarse_label(m.label, surface, key)
            if label is None or not key:
                continue
            out.append(Occurrence(item.article.id, item.article.outlet, surface, key, label,
                                  m.sentence, m.role))
    return out


def vote(labels: Iterable[str]) -> str:
    """Most frequent label; ties broken by LABELS order ('norp' only when nothing else)."""
    counts = Counter(labels)
    others = {k: v for k, v in counts.items() if k != "norp"}
    if not others or counts["norp"] >= sum(others.values()):
        return "norp"
    return max(others, key=lambda k: (others[k], -LABELS.index(k)))


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _name_words(key: str) -> tuple[str, str]:
    """(first, last) transliteration keys of a name key."""
    words = key.split()
    return translit_word(words[0]), translit_word(words[-1])


def resolve_in_article(occs: list[Occurrence], kinds: dict[str, str]) -> None:
    """Set each occurrence's node: its key, or for a one-word name the key of the single full
    person name of the same article it is part of."""
    full = sorted({o.key for o in occs if kinds[o.key] == "person" and len(o.key.split()) > 1})
    for o in occs:
        o.node = o.key
        if len(o.key.split()) != 1 or kinds[o.key] == "place":
            continue
        word = translit_word(o.key)
        matches = [k for k in full if word in _name_words(k)]
        if matches and all(same_person(matches[0], k) for k in matches[1:]):
            o.node = matches[0]


def _merge_people(uf: _UnionFind, full: list[str]) -> None:
    """Union transliteration variants of full names; a less specific name ("Y. Ushakov",
    "George Bush") only joins when everything it could be is one person."""
    by_last: dict[str, list[str]] = defaultdict(list)
    for key in full:
        by_last[person_parts(key)[2]].append(key)
    for keys in by_last.values():
        for key in keys:
            matches = [k for k in keys if k != key and same_person(key, k)]
            if all(same_person(a, b) for a in matches for b in matches):
                for k in matches:
                    uf.union(key, k)


def _merge_short_names(uf: _UnionFind, singles: list[str], full: list[str]) -> None:
    """A one-word person name joins the only full-name person whose last name it is. (First
    names are too common to join across articles: "Christine", "Randy".)"""
    by_last: dict[str, set[str]] = defaultdict(set)
    for k in full:
        by_last[_name_words(k)[1]].add(k)
    for key in singles:
        roots = {uf.find(k) for k in by_last.get(translit_word(key), ())}
        if len(roots) == 1:
            uf.union(key, roots.pop())


def _merge_acronyms(uf: _UnionFind, acronym_keys: list[str], long_names: dict[str, str],
                    articles: dict[str, set[str]]) -> None:
    """'CFTC' joins 'Commodity Futures Trading Commission' when no other long name has those
    initials and both appear in one article at least (initials alone are too weak: BBC is not
    'Barnum & Bailey Circus'). Well-known ones (US, UN, EU) are expanded by names.name_key."""
    for key in acronym_keys:
        roots = {uf.find(k) for k, surface in long_names.items()
                 if key.replace(" ", "") in acronyms(surface) and articles[k] & articles[key]}
        if len(roots) == 1:
            uf.union(key, roots.pop())


def cluster(occs: list[Occurrence]) -> list[Cluster]:
    """Group occurrences into clusters of one real-world entity each (steps 2-5)."""
    kinds = {key: vote(o.label for o in group) for key, group in _group(occs, lambda o: o.key).items()}
    for group in _group(occs, lambda o: o.article).values():
        resolve_in_article(group, kinds)
    uf = _UnionFind()
    for o in occs:
        uf.find(o.node)
    people = sorted(k for k, kind in kinds.items() if kind == "person")
    full = [k for k in people if len(k.split()) > 1]
    _merge_people(uf, full)
    unresolved = sorted({o.key for o in occs if o.node == o.key and o.key in people and len(o.key.split()) == 1})
    _merge_short_names(uf, unresolved, full)
    surfaces = {o.key: o.surface for o in occs}
    others = sorted(k for k, kind in kinds.items() if kind not in ("person", "norp"))
    articles = {key: {o.article for o in group} for key, group in _group(occs, lambda o: o.key).items()}
    _merge_acronyms(uf, [k for k in others if is_acronym(surfaces[k])],
                    {k: surfaces[k] for k in others if len(k.split()) > 1}, articles)
    groups = _group(occs, lambda o: uf.find(o.node))
    return [Cluster(group) for _, group in sorted(groups.items())]


def _group(items, key) -> dict:
    out: dict = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return out


# ---------------------------------------------------------------------------------------
# Overrides


def _matches(name: str, surface: str) -> bool:
    if name_key(name) == name_key(surface):
        return True
    return len(name.split()) > 1 and len(surface.split()) > 1 and same_person(name, surface)


def apply_overrides(clusters: list[Cluster], overrides: Sequence[EntityOverride]) -> list[Cluster]:
    """Splits first (so a later alias cannot pull a split name back), then merges, names, labels."""
    clusters = list(clusters)
    for ov in overrides:
        wanted = (ov.name, *ov.aliases)
        for split in ov.split:
            for c in [c for c in clusters if any(_matches(w, o.surface) for w in wanted for o in c.occs)]:
                moved = [o for o in c.occs if _matches(split, o.surface)]
                if moved and len(moved) < len(c.occs):
                    c.occs = [o for o in c.occs if o not in moved]
                    clusters.append(Cluster(moved, name=split))
    for ov in overrides:
        wanted = (ov.name, *ov.aliases)
        hit = [c for c in clusters
               if (not c.name or any(_matches(w, c.name) for w in wanted))  # split ones stay split
               and any(_matches(w, o.surface) for w in wanted for o in c.occs)]
        if not hit:
            continue  # stale: digest.overrides.check_references reports it
        merged = Cluster([o for c in hit for o in c.occs], name=ov.name,
                         label=ov.label or next((c.label for c in hit if c.label), None),
                         extra_aliases=[a for c in hit for a in c.extra_aliases] + list(ov.aliases))
        clusters = [c for c in clusters if all(c is not h for h in hit)] + [merged]
    return clusters


# ---------------------------------------------------------------------------------------
# Building the index


def canonical_name(occs: Sequence[Occurrence], label: str) -> str:
    """The most used full form: multi-word for people, not an acronym for the rest."""
    counts = Counter(o.surface for o in occs)
    articles = {s: len({o.article for o in occs if o.surface == s}) for s in counts}

    def full(s: str) -> bool:
        return len(s.split()) > 1 if label == "person" else not is_acronym(s)

    pool = [s for s in counts if full(s)] or list(counts)
    return max(pool, key=lambda s: (counts[s], articles[s], s[:1].isupper() and not s.isupper(), -len(s), s))


def _unique_id(name: str, label: str, taken: set[str]) -> str:
    base = slugify(name)
    for candidate in (base, f"{base}-{label}", *(f"{base}-{n}" for n in range(2, 1000))):
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise ValueError(f"no free id for {name!r}")


def build_index(analysed: Sequence[AnalysedArticle], overrides: Sequence[EntityOverride] = ()) -> EntityIndex:
    """The corpus-wide entity index (see the module docstring for the rules)."""
    clusters = apply_overrides(cluster(occurrences(analysed)), overrides)
    order = {item.article.id: i for i, item in enumerate(analysed)}
    built = []
    for c in clusters:
        label = c.label or vote(o.label for o in c.occs)
        if label == "norp" or not c.occs:
            continue
        name = c.name or canonical_name(c.occs, label)
        built.append((c, label, name))
    # Bigger entities get the plain slug: ids stay stable when a rare namesake appears.
    built.sort(key=lambda t: (-len({o.article for o in t[0].occs}), -len(t[0].occs), t[2]))
    taken: set[str] = set()
    entities: list[Entity] = []
    refs: dict[str, list[tuple[int, EntityRef]]] = defaultdict(list)
    merges: list[tuple[str, tuple[str, ...]]] = []
    for c, label, name in built:
        eid = _unique_id(name, label, taken)
        counts = Counter(o.surface for o in c.occs)
        aliases = [s for s, _ in counts.most_common() if s != name]
        aliases += [a for a in dict.fromkeys(c.extra_aliases) if a != name and a not in aliases]
        articles = sorted({o.article for o in c.occs}, key=order.__getitem__)
        roles = tuple(dict.fromkeys(Role(o.role, o.outlet, o.article) for o in c.occs if o.role))
        entities.append(Entity(eid, name, label if label in LABELS else "other", tuple(aliases),
                               roles, tuple(articles)))
        for article, occs in _group(c.occs, lambda o: o.article).items():
            sentences = tuple(dict.fromkeys(o.sentence for o in occs if o.sentence))[:MAX_SENTENCES]
            ref = EntityRef(eid, len(occs), tuple(dict.fromkeys(o.surface for o in occs)), sentences)
            refs[article].append((len(occs), ref))
        merged = _cross_article_merge(c.occs)
        if merged:
            merges.append((eid, merged))
    by_article = {item.article.id: tuple(r for _, r in sorted(refs.get(item.article.id, []),
                                                               key=lambda t: (-t[0], t[1].entity)))
                  for item in analysed}
    return EntityIndex(entities=tuple(entities), by_article=by_article, merges=tuple(sorted(merges)))


def _cross_article_merge(occs: Sequence[Occurrence]) -> tuple[str, ...]:
    """The names an entity joined across articles by a rule (not by identical spelling):
    one surface per distinct node, most used first; () when nothing was merged that way."""
    nodes = _group(occs, lambda o: o.node)
    if len(nodes) < 2 or len({o.article for o in occs}) < 2:
        return ()
    ranked = sorted(nodes.values(), key=lambda g: (-len(g), g[0].surface))
    return tuple(Counter([o.surface for o in g if o.key == o.node] or [o.surface for o in g]).most_common(1)[0][0]
                 for g in ranked)
