"""Clustering entity mentions across a corpus: the merge rules behind entities.py.

Each rule is a small function with its reason in its docstring and a unit test in
tests/test_entities.py. Occurrences are mutable working records (one per usable mention);
nothing here is part of the stage contract.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Callable

from digest.aggregate.entity_evidence import WordStats
from digest.aggregate.entity_mentions import (LABELS, Occurrence, corpus_stats, group_by, is_headline_fragment,
                                             is_junk, kind_of, lowercase_in, occurrences, vote)
from digest.aggregate.entity_variants import (is_dotted_abbreviation, merge_extended_people, merge_generic_tails,
                                             merge_place_abbreviations)
from digest.text.names import (JOB_WORDS, TITLE_WORDS, acronyms, is_acronym, name_key, person_parts, same_person, spelling_key,
                               translit_word)

__all__ = ["LABELS", "Cluster", "Occurrence", "cluster", "corpus_stats", "group_by", "is_headline_fragment", "is_junk",
           "kind_of", "occurrences", "vote"]  # the mention helpers are re-exported for entities.py and the tests


@dataclass
class Cluster:
    occs: list[Occurrence]
    name: str | None = None  # fixed by an override
    label: str | None = None  # fixed by an override
    extra_aliases: list[str] = field(default_factory=list)


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


@functools.lru_cache(maxsize=65536)  # pure; asked for every name of an article per short name
def _name_words(key: str) -> tuple[str, str]:
    """(first, last) transliteration keys of a name key."""
    words = key.split()
    return translit_word(words[0]), translit_word(words[-1])


def _part_of(name: str, longer: list[str], kind: str, kinds: dict[str, str] | None = None) -> list[str]:
    """Longer names the short name can stand for: a person's first or last name; an
    organisation's first or last word ("Cubs" -> "Chicago Cubs", "Goldman" -> "Goldman Sachs")
    or, for several words, the name after a place ("White Sox" -> "Chicago White Sox")."""
    if kind == "person":
        return [k for k in longer if translit_word(name) in _name_words(k)]
    if " " not in name:
        return [k for k in longer if name in (k.split()[0], k.split()[-1])]
    return [k for k in longer if k.endswith(" " + name) and (kinds or {}).get(k[:-len(name) - 1]) == "place"]


def _same(kind: str, a: str, b: str) -> bool:
    return same_person(a, b) if kind == "person" else a == b


def surname_kinds(occs: list[Occurrence], kinds: dict[str, str], by_key: dict[str, list[Occurrence]]
                  ) -> dict[str, str]:
    """Kinds corrected where a name and its surname settle what the small model mistyped:
    - a one-word name is a person when most articles using it also name a person it is part
      of ("Timberlake" tagged ORG beside "Justin Timberlake");
    - a two-word name tagged organisation or other is a person when an article using it also
      uses its last word alone as a person and names nobody else with it ("Leyla Arslan" [ORG]
      ... "Arslan told reporters"), unless its first word is itself a name ("Houston Astros").
    Re-typed mentions vote as people. `by_key` groups the occurrences by key."""
    keys_by_article = {a: {o.key for o in g} for a, g in group_by(occs, attrgetter("article")).items()}
    # The first and last name words of each article's full person names: a one-word name is
    # part of one of them (_part_of) when its transliteration is among these.
    name_words = {a: {w for k in keys if kinds[k] == "person" and len(k.split()) > 1 for w in _name_words(k)}
                  for a, keys in keys_by_article.items()}

    def part_of_person(word: str, article: str) -> bool:
        return translit_word(word) in name_words[article]

    def lone_surname(word: str, article: str) -> bool:
        return kinds.get(word) == "person" and word in keys_by_article[article] and not part_of_person(word, article)

    out = dict(kinds)
    for key, group in by_key.items():
        words = key.split()
        if len(words) == 1 and kinds[key] not in ("person", "norp"):
            articles = {o.article for o in group}
            retype = sum(part_of_person(key, a) for a in articles) * 2 > len(articles)
        elif len(words) == 2 and kinds[key] in ("organization", "other") and words[0] not in kinds \
                and group[0].surface.istitle():
            retype = any(lone_surname(words[1], o.article) for o in group)
        else:
            retype = False
        if retype:
            out[key] = "person"
            for o in group:
                o.label = "person"
    return out


def resolve_in_article(occs: list[Occurrence], kinds: dict[str, str], spread: Counter) -> None:
    """Set each occurrence's node: its key, or for a one-word person name or an organisation's
    short name the key of the single longer name of the same kind in the same article it is
    part of.
    An organisation's word refers back to a longer name written before it ("the Chicago Cubs
    ... the Cubs"), and only when the corpus does not use the word alone in more than twice as
    many articles: "Apple" stays the company beside "Apple Watch"."""
    longer = defaultdict(list)
    first_seen: dict[str, int] = {}
    for i, o in enumerate(occs):
        first_seen.setdefault(o.key, i)
    for key in sorted({o.key for o in occs if len(o.key.split()) > 1}):
        longer[kinds[key]].append(key)
    part_of: dict[str, list[str]] = {}  # by key: names repeat within an article
    for i, o in enumerate(occs):
        o.node = o.key
        kind = kinds[o.key]
        if not (kind == "organization" or (kind == "person" and " " not in o.key)):
            continue
        if o.key not in part_of:
            part_of[o.key] = _part_of(o.key, longer[kind], kind, kinds)
        matches = part_of[o.key]
        if kind == "organization":
            matches = [k for k in matches if first_seen[k] < i and (" " in o.key or spread[k] * 2 >= spread[o.key])]
        if matches and all(_same(kind, matches[0], k) for k in matches[1:]):
            o.node = matches[0]


def _merge_resolved_organisations(uf: _UnionFind, occs: list[Occurrence], kinds: dict[str, str]) -> None:
    """An organisation's short name ('Cubs', 'White Sox') resolved to one longer name
    ('Chicago Cubs') in most articles using it, and never to another, is that organisation in
    the rest too. (One NFL article's "Giants" does not make a baseball report's "Giants" the
    New York Giants.)"""
    targets: dict[str, set[str]] = defaultdict(set)
    articles: dict[str, set[str]] = defaultdict(set)
    resolved: dict[str, set[str]] = defaultdict(set)
    for o in occs:
        if kinds[o.key] == "organization":
            articles[o.key].add(o.article)
            if o.node != o.key:
                targets[o.key].add(uf.find(o.node))
                resolved[o.key].add(o.article)
    for key, roots in targets.items():
        if len(roots) == 1 and len(resolved[key]) * 2 > len(articles[key]):
            uf.union(key, roots.pop())


def _merge_people(uf: _UnionFind, full: list[str]) -> None:
    """Union transliteration variants of full names; a less specific name ("Y. Ushakov",
    "George Bush") only joins when everything it could be is one person."""
    by_last: dict[str, list[str]] = defaultdict(list)
    for key in full:
        by_last[person_parts(key)[2]].append(key)
    for keys in by_last.values():
        matches = {key: [k for k in keys if k != key and same_person(key, k)] for key in keys}
        # "M Johnson" fits Martin and Michael Johnson: it joins neither, nor joins them
        safe = {key for key, found in matches.items() if all(same_person(a, b) for a in found for b in found)}
        for key in keys:
            for k in matches[key]:
                if key in safe and k in safe:
                    uf.union(key, k)


def shared_context(occs: list[Occurrence], uf: _UnionFind) -> Callable[[str, str], bool]:
    """Whether a lone surname and a full name (its union-find root) are written about in the
    same context: an article using the surname shares with one naming the person in full
    another name that is rare in the corpus (in at most a tenth of its articles, and at least
    one other article). A rugby team sheet's 'Dowd' and a court report's 'Steven Dowd' share
    nothing; two reports of one match share its players and places."""
    by_article = {a: {o.key for o in g} for a, g in group_by(occs, attrgetter("article")).items()}
    spread = Counter(k for keys in by_article.values() for k in keys)
    rare = max(2, len(by_article) // 10)
    articles_of: dict[str, set[str]] = defaultdict(set)
    for o in occs:
        articles_of[o.key].add(o.article)

    def shares(single: str, root: str) -> bool:
        members = {k for k in articles_of if uf.find(k) == root}
        theirs = {a for k in members for a in articles_of[k]}
        mine = articles_of[single]
        if mine & theirs:
            return True
        for a in mine:
            for b in theirs:
                common = (by_article[a] & by_article[b]) - members - {single}
                if any(spread[k] <= rare for k in common):
                    return True
        return False

    return shares


def _short_for_something_else(occs: list[Occurrence], kinds: dict[str, str]) -> set[str]:
    """One-word names that, in some article, begin a longer name of a place or organisation
    there ("Wrigley" beside "Wrigley Field", "Goldman" beside "Goldman Sachs"): in that corpus
    they are not safely a person's surname."""
    out = set()
    for group in group_by(occs, lambda o: o.article).values():
        keys = {o.key for o in group}
        firsts = {k.split()[0] for k in keys if len(k.split()) > 1 and kinds[k] not in ("person", "norp")}
        out |= keys & firsts
    return out


def _merge_short_names(uf: _UnionFind, singles: list[str], full: list[str], surnames: set[str],
                       context: Callable[[str, str], bool] | None = None) -> None:
    """A one-word person name joins the only full-name person whose last name it is. First
    names are too common to join across articles ("Christine", "Randy"), unless a title in
    front shows the word is a family name written first ("Mr. Moon" -> "Moon Jae-in").
    `context(single, root)`: whether the articles of both share what they write about
    (shared_context), asked of a word no title marks as a family name; None joins without
    asking."""
    by_first: dict[str, set[str]] = defaultdict(set)
    by_last: dict[str, set[str]] = defaultdict(set)
    by_first_word: dict[str, list[str]] = defaultdict(list)  # as spelled
    for k in full:
        first, last = _name_words(k)
        by_first[first].add(k)
        by_last[last].add(k)
        by_first_word[k.split()[0]].append(k)
    for key in singles:
        word = translit_word(key)
        roots = {uf.find(k) for k in by_last.get(word, ())}
        if not roots and key in surnames:  # spelled exactly: "Lord Woolf" is not "Wolf Blass"
            roots = {uf.find(k) for k in by_first_word.get(key, ())}
        # "Kim" is the last name of Jack Kim but also the first word of Kim Jong Un: ambiguous
        if len(roots) == 1 and roots >= {uf.find(k) for k in by_first.get(word, ())}:
            root = roots.pop()
            if context is None or key in surnames or context(key, root):
                uf.union(key, root)


def _merge_acronyms(uf: _UnionFind, acronym_keys: list[str], long_names: dict[str, str],
                    articles: dict[str, set[str]]) -> None:
    """'CFTC' joins 'Commodity Futures Trading Commission' when that is the only long name with
    those initials written in an article beside it (initials alone are too weak: BBC is not
    'Barnum & Bailey Circus'). Well-known ones (US, UN, EU) are expanded by names.name_key."""
    by_initials: dict[str, list[str]] = defaultdict(list)
    for k, surface in long_names.items():
        for initials in acronyms(surface):
            by_initials[initials].append(k)
    for key in acronym_keys:
        roots = {uf.find(k) for k in by_initials.get(key.replace(" ", ""), ()) if articles[k] & articles[key]}
        if len(roots) == 1:
            uf.union(key, roots.pop())


# Positions in a team, written before a player's name like a title ("Striker Novo").
POSITION_WORDS = frozenset("""
    striker forward midfielder defender goalkeeper keeper winger fullback full-back centre-back
    quarterback pitcher catcher shortstop outfielder infielder linebacker receiver skipper
""".split())
_LEADING_ROLE = TITLE_WORDS | JOB_WORDS | POSITION_WORDS


def trim_to_person(occs: list[Occurrence], kinds: dict[str, str]) -> None:
    """A person's name with a role word in front or a number after it ('Striker Novo',
    'Defence Itsunori Onodera', 'Rooney 87'): the name is what remains, when the mention was
    tagged a person or the corpus names a person so. The role words become the mention's role;
    a number after a name is a minute or a shirt number, never part of a name."""
    for o in occs:
        words = o.key.split()
        lead = 0
        while lead < len(words) - 1 and words[lead] in _LEADING_ROLE:
            lead += 1
        trail = 0
        while trail < len(words) - lead - 1 and words[-1 - trail].isdigit():
            trail += 1
        if not (lead or trail):
            continue
        rest = " ".join(words[lead:len(words) - trail])
        if o.label != "person" and kinds.get(rest) != "person" or not _has_name_word(rest):
            continue
        head, surface = _cut_surface(o.surface, lead, trail)
        if not surface or surface == o.surface:
            continue
        o.surface, o.key, o.label = surface, rest, "person"
        if head and not o.role:
            o.role = head


def _has_name_word(key: str) -> bool:
    return any(w not in _LEADING_ROLE and not w.isdigit() for w in key.split())


_COORDINATION = re.compile(r"^(.+?)\s+(?:and|&)\s+(.+)$")


def split_coordinations(occs: list[Occurrence], kinds: dict[str, str]) -> list[Occurrence]:
    """'Everton and Arsenal': two names the corpus uses on their own, joined by 'and', are two
    mentions, not one name ('Trinidad and Tobago' stays: 'Tobago' is never named alone;
    'Johnson & Johnson' stays: one name twice). Each part keeps the whole's label until the
    vote; a name voted a person is left alone."""
    alone = {o.key for o in occs}
    out = []
    for o in occs:
        parts = _COORDINATION.match(o.surface)
        if parts and len(o.key.split()) <= 5:
            a, b = parts.group(1), parts.group(2)
            ka, kb = name_key(a), name_key(b)
            if ka != kb and ka in alone and kb in alone and kinds.get(o.key) != "person":
                out += [Occurrence(o.article, o.outlet, a, ka, o.label, o.sentence, None),
                        Occurrence(o.article, o.outlet, b, kb, o.label, o.sentence, None)]
                continue
        out.append(o)
    return out


def trim_extra_words(occs: list[Occurrence], kinds: dict[str, str]) -> None:
    """'QB Carson Palmer', 'Reuters Kim Jong-un', 'Michael Sheen Split' -> the person name they
    contain when that shorter name (2+ words) is used at least as often on its own and every
    word dropped is no name: a title, a word the corpus also writes in lowercase ('split',
    'despot'), or another entity ('Reuters'). So 'Alaa Abdel-Fattah' and 'Abdel Fattah
    al-Sisi' keep their names. Dropped leading words become the mention's role. People only:
    the words around an organisation's name qualify it ("UN Security Council")."""
    counts = Counter(o.key for o in occs)
    lowercase: set[str] | None = None

    def droppable(word: str) -> bool:
        nonlocal lowercase
        if word in TITLE_WORDS or kinds.get(word, "person") != "person":
            return True
        if lowercase is None:  # scanning every sentence is slow: only once a word needs it
            lowercase = lowercase_in({o.sentence for o in occs})
        return word in lowercase

    spans: dict[str, tuple[int, int] | None] = {}  # by key: the same for all its mentions
    for o in occs:
        words = o.key.split()
        if len(words) < 3 or kinds[o.key] != "person":
            continue
        if o.key not in spans:
            spans[o.key] = _person_inside(o.key, counts, kinds, droppable)
        if spans[o.key]:
            i, j = spans[o.key]
            head, o.surface = _cut_surface(o.surface, i, len(words) - j)
            if head and not o.role:
                o.role = head
            o.key = " ".join(words[i:j])


def _person_inside(key: str, counts: Counter, kinds: dict[str, str], droppable: Callable[[str], bool]
                   ) -> tuple[int, int] | None:
    """The words[i:j] of a key that trim_extra_words keeps (the longest such span), None to keep all."""
    words = key.split()
    spans = sorted(((i, j) for i in range(len(words)) for j in range(i + 2, len(words) + 1)
                    if (i, j) != (0, len(words)) and (i == 0 or j == len(words))),
                   key=lambda ij: ij[0] - ij[1])  # longest first
    for i, j in spans:
        span = " ".join(words[i:j])
        dropped = words[:i] + words[j:]
        if counts[span] < counts[key]:
            continue
        if kinds.get(span) == "person" and all(map(droppable, dropped)):
            return i, j
        # another entity glued in front ('Reuters Kim Jong-un', 'United Nations Nikki Haley'),
        # whatever the model typed the rest as
        if i and kinds.get(" ".join(words[:i]), "person") != "person" and len(words) - i >= 2:
            return i, j
    return None


def _cut_surface(surface: str, lead: int, trail: int) -> tuple[str, str]:
    """Drop `lead` leading and `trail` trailing key words from a surface ('Reuters Kim Jong-un'
    with lead=1 -> ('Reuters', 'Kim Jong-un')); unchanged when the words do not line up."""
    words = surface.split()
    sizes = [len(name_key(w).split()) for w in words]
    start = end = 0
    while start < len(words) and sum(sizes[:start]) < lead:
        start += 1
    while end < len(words) - start and sum(sizes[len(words) - end:]) < trail:
        end += 1
    if sum(sizes[:start]) != lead or sum(sizes[len(words) - end:]) != trail or start + end >= len(words):
        return "", surface
    return " ".join(words[:start]), " ".join(words[start:len(words) - end])


def _merge_spellings(uf: _UnionFind, keys: list[str], kinds: dict[str, str]) -> None:
    """Names written with variant spellings ('Sueddeutsche'/'Süddeutsche', 'Defence
    Ministry'/'Defense Ministry') are one, whatever the model typed each as (the vote decides).
    Organisations and places of several words also ignore a plural on the last word ('NXP Semiconductor(s)'); people do not (John Adams / John Adam)."""
    by_spelling: dict[str, list[str]] = defaultdict(list)
    by_singular: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        spelling = spelling_key(key)
        by_spelling[spelling].append(key)
        if len(key.split()) > 1:
            by_singular[re.sub(r"(?<=[a-z]{3})s$", "", spelling)].append(key)
    for group in by_spelling.values():
        for key in group[1:]:
            uf.union(group[0], key)
    # the plural of a thing's name is the thing ('Alfa Romeos' beside 'Alfa Romeo', even typed
    # a person once); two people's names are not ('John Adams' / 'John Adam')
    for group in by_singular.values():
        if len(group) > 1 and any(kinds[k] != "person" for k in group):
            for key in group[1:]:
                uf.union(group[0], key)


_FUNCTION_WORDS = frozenset({"of", "and", "the", "for", "on", "in", "de"})


def _merge_country_prefixed(uf: _UnionFind, kinds: dict[str, str]) -> None:
    """'Japan Self-Defense Forces', 'U.S. Securities and Exchange Commission' are the
    organisation named without the country when the corpus names it that way too, the rest
    is specific (three content words: 'Supreme Court', 'Stock Exchange', 'Air Force' exist in
    many countries) and no other place prefixes it ('New York' / 'London Stock Exchange')."""
    prefixed: dict[str, list[str]] = defaultdict(list)
    for key, kind in kinds.items():
        words = key.split()
        if kind != "organization":
            continue
        for cut in range(1, len(words) - 1):
            prefix, rest = " ".join(words[:cut]), " ".join(words[cut:])
            if kinds.get(prefix) == "place" and kinds.get(rest) == "organization":
                prefixed[rest].append(key)
                break
    for rest, keys in prefixed.items():
        if len(keys) == 1 and len([w for w in rest.split() if w not in _FUNCTION_WORDS]) >= 3:
            uf.union(rest, keys[0])


def cluster(occs: list[Occurrence], stats: WordStats | None = None) -> list[Cluster]:
    """Group occurrences into clusters of one real-world entity each:
    1. vote a kind per name key; trim titles, credits and headline words glued to people's
       names (trim_extra_words); re-type surnames the model mistyped (surname_kinds);
    2. inside each article, point short names at the longer name they stand for
       (resolve_in_article);
    3. across articles, union transliteration variants of full names (_merge_people), lone
       surnames (_merge_short_names), spelling variants (_merge_spellings), organisations'
       short names (_merge_resolved_organisations), country-prefixed names
       (_merge_country_prefixed), acronyms (_merge_acronyms), and the variants of
       entity_variants: a person's name cut before a short last part, generic words after a
       name, a place's dotted abbreviation."""
    stats = stats or WordStats.of({o.sentence for o in occs})
    voted = _vote_kinds(group_by(occs, attrgetter("key")))
    occs = split_coordinations(occs, voted)
    trim_to_person(occs, voted)
    trim_extra_words(occs, _vote_kinds(group_by(occs, attrgetter("key"))))
    by_key = group_by(occs, attrgetter("key"))  # keys are final from here on
    kinds = surname_kinds(occs, _vote_kinds(by_key), by_key)
    spread = Counter(key for key, _ in {(o.key, o.article) for o in occs})  # articles per key
    for group in group_by(occs, attrgetter("article")).values():
        resolve_in_article(group, kinds, spread)
    uf = _UnionFind()
    for o in occs:
        uf.find(o.node)
    people = sorted(k for k, kind in kinds.items() if kind == "person")
    full = [k for k in people if len(k.split()) > 1]
    _merge_people(uf, full)
    merge_extended_people(uf, full)
    people_set = set(people)  # membership in the sorted list made this quadratic
    unresolved = {o.key for o in occs if o.node == o.key and o.key in people_set and len(o.key.split()) == 1}
    unresolved -= _short_for_something_else(occs, kinds)
    surnames = {o.key for o in occs if o.role and o.role.split()[-1].lower() in TITLE_WORDS}
    _merge_short_names(uf, sorted(unresolved), full, surnames, shared_context(occs, uf))
    others = sorted(k for k, kind in kinds.items() if kind not in ("person", "norp"))
    _merge_spellings(uf, sorted(k for k, kind in kinds.items() if kind != "norp"), kinds)
    _merge_resolved_organisations(uf, occs, kinds)
    _merge_country_prefixed(uf, kinds)
    surfaces = {k: Counter(o.surface for o in by_key[k]).most_common(1)[0][0] for k in others}
    articles = {k: {o.article for o in by_key[k]} for k in others}
    _merge_acronyms(uf, [k for k in others if is_acronym(surfaces[k])],
                    {k: surfaces[k] for k in others if len(k.split()) > 1}, articles)
    written = {k: Counter(o.surface for o in group).most_common(1)[0][0] for k, group in by_key.items()}
    merge_generic_tails(uf, kinds, written, stats)
    places = {k: {o.article for o in by_key[k]} for k in others if kinds[k] == "place"}
    merge_place_abbreviations(uf, {k: v for k, v in places.items() if is_dotted_abbreviation(written[k])},
                              {k: v for k, v in places.items() if not is_dotted_abbreviation(written[k])}, written)
    groups = group_by(occs, lambda o: uf.find(o.node))
    return [Cluster(group) for _, group in sorted(groups.items())]


def _vote_kinds(by_key: dict[str, list[Occurrence]]) -> dict[str, str]:
    """The kind voted for each name key, corrected by the words around its mentions
    (entity_evidence.evidence_kind: 'on Chirper' is no person)."""
    return {key: kind_of(group) for key, group in by_key.items()}

