"""Canonical entities across articles: one entity per real person, place and organization.

`build_index` turns every article's mentions into the corpus-wide EntityIndex:

1. Junk is dropped (entity_mentions.py: numbers, lowercase words, page furniture like
   "Comments", bare titles; and, from the corpus's own evidence in entity_evidence.py, dates,
   sentence fragments, caption run-ons, shouted map labels, common words never capitalised
   inside an ordinary sentence, a leading gerund).
   NORP mentions (nationalities, religious and political groups: "Russian", "Sino-Russian") are
   not entities a reader browses: a name whose mentions are mostly NORP is left out; numbers
   and dates are facts, not entities.
2. Mentions are clustered by the rules in entity_clusters.py: one name key per spelling
   (case, accents, dots, "the", legal suffixes and well-known abbreviations folded: "the
   United States" = "US" = "U.S."), "Putin" -> "Vladimir Putin" inside an article,
   transliteration variants across articles (Yury/Yuri), a lone surname to the only full
   name it can stand for, acronyms to the long name they abbreviate in the same article.
   People sharing only a first or a last name stay apart (Sergey Shoigu / Sergey Lavrov).
   entity_variants.py adds a person's name cut before a short last part, generic words after
   a name ('... Resort'), a place's dotted abbreviation beside the place.
3. Writers' overrides (EntityOverride) split, merge, rename and retype clusters.
4. The label is voted over every mention of the entity in the corpus, then weighed against the
   words around the mentions ("on Chirper" is no person; a legal suffix makes an organisation);
   the name is the most
   used full form (see canonical_name); ids are unique ASCII slugs of the name, the plain slug
   going to the entity with most articles.

`EntityIndex.merges` lists, for review, every entity that joined names written differently
across articles.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter, defaultdict
from operator import attrgetter
from typing import Sequence

from digest.aggregate.entity_clusters import (LABELS, Cluster, Occurrence, cluster, corpus_stats, group_by, kind_of,
                                              occurrences)
from digest.model import AnalysedArticle, Entity, EntityIndex, EntityOverride, EntityRef, Role
from digest.text.names import HONORIFICS, LEGAL_SUFFIXES, fold, is_acronym, name_key, same_person
from digest.text.slugs import slugify

MAX_SENTENCES = 3


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
    """The most used full form: not a short form of a longer name in the entity ('Putin',
    'Goldman'), not an acronym ('GS', 'US'), without a legal suffix or shouting when another
    form exists ('Apple Inc.', 'REUTERS'). 'China' stays 'China': 'People's Republic of China'
    has the same key, so it is a variant, not the full form."""
    by_surface = group_by(occs, attrgetter("surface"))
    if len(by_surface) == 1:
        return occs[0].surface
    counts = {s: len(group) for s, group in by_surface.items()}
    articles = {s: len({o.article for o in group}) for s, group in by_surface.items()}
    key_of = {o.surface: o.key for o in occs}
    long_words = {w for o in occs if len(o.key.split()) > 1 for w in o.key.split()}

    def plain(s: str) -> bool:
        return s.split()[-1].lower().rstrip(".") not in LEGAL_SUFFIXES and not (s.isupper() and len(s) > 6)

    per_key = Counter(o.key for o in occs)

    def short(s: str) -> bool:
        """A short form of a longer name of the entity: a word of it, or its first words when
        the longer name is used as often ('Sports Entertainment' of 'Sports Entertainment
        Enterprises'; not 'North Korea' of a headline's 'North Korea Test-Fires'). A country
        in front is no fuller form: 'U.S. Securities and Exchange Commission' is the SEC."""
        key = key_of[s]
        if len(key.split()) == 1:
            return key in long_words
        return any(k.startswith(key + " ") and n >= per_key[key] for k, n in per_key.items())

    return max(counts, key=lambda s: (plain(s), not short(s), not is_acronym(s), counts[s], articles[s], -len(s), s))


# Titles that stay with a one-word name: a monarch's, a pope's, a peer's, a stage name's
# ('Queen Latifah', 'Pope Francis', 'Lord Woolf'): the one word alone names nobody.
STYLE_TITLES = frozenset("king queen prince princess pope emperor empress sheikh lord lady dame sir".split())


def styled_name(name: str, occs: Sequence[Occurrence]) -> str:
    """A one-word person name that every mention with a title writes after the same style
    title, and that a mention writes so, takes the title: 'Latifah' -> 'Queen Latifah'."""
    if " " in name:
        return name
    titles = {o.role.split()[-1].rstrip(".") for o in occs if o.role}
    if len(titles) == 1:
        title = titles.pop()
        if title.lower() in STYLE_TITLES and title[0].isupper():
            return f"{title} {name}"
    return name


def entity_slug(name: str) -> str:
    """The base of an entity id: 'Jiménez O'Neil' -> 'jimenez-oneil'."""
    return slugify(name, join_apostrophes=True, empty="entity")


def _unique_id(name: str, label: str, taken: set[str]) -> str:
    base = entity_slug(name)
    # A lazy chain: unpacking all the numbered candidates up front made this quadratic.
    for candidate in itertools.chain((base, f"{base}-{label}"), (f"{base}-{n}" for n in range(2, 1000))):
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise ValueError(f"no free id for {name!r}")


def build_index(analysed: Sequence[AnalysedArticle], overrides: Sequence[EntityOverride] = ()) -> EntityIndex:
    """The corpus-wide entity index (see the module docstring for the rules)."""
    stats = corpus_stats(analysed)
    clusters = apply_overrides(cluster(occurrences(analysed, stats), stats), overrides)
    order = {item.article.id: i for i, item in enumerate(analysed)}
    built = []
    for c in clusters:
        label = c.label or kind_of(c.occs)
        if label == "norp" or not c.occs:
            continue
        name = c.name or canonical_name(c.occs, label)
        if not c.name and label == "person":
            name = styled_name(name, c.occs)
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
        roles = tuple(dict.fromkeys(Role(o.role, o.outlet, o.article) for o in c.occs
                                    if o.role and o.role.lower().rstrip(".") not in HONORIFICS))
        entities.append(Entity(eid, name, label if label in LABELS else "other", tuple(aliases),
                               roles, tuple(articles)))
        for article, occs in group_by(c.occs, lambda o: o.article).items():
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


@functools.lru_cache(maxsize=65536)  # pure; asked for every mention of a multi-article entity
def _plain(surface: str) -> str:
    """'Kim Jong-un' = 'Kim Jong Un', 'Suit & Tie' = 'Suit and Tie', 'U.S.' = 'US'."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(surface).lower().replace(".", "").replace("&", " and ")).split())


def _cross_article_merge(occs: Sequence[Occurrence]) -> tuple[str, ...]:
    """Names written differently that a rule joined into one entity across articles, most used
    first; () when there are none. Short forms resolved inside their own article ('Putin'
    beside 'Vladimir Putin') and case or dot variants ('U.S.'/'US') are not listed."""
    if len({o.article for o in occs}) < 2:
        return ()
    forms: dict[str, Counter] = defaultdict(Counter)
    for o in occs:
        if o.node == o.key or len(o.key.split()) > 1:
            forms[_plain(o.surface)][o.surface] += 1
    if len(forms) < 2:
        return ()
    ranked = sorted(forms.values(), key=lambda c: (-sum(c.values()), c.most_common(1)[0][0]))
    return tuple(c.most_common(1)[0][0] for c in ranked)
