"""Merge rules for variants of one name that entity_clusters' rules leave apart: a person's
name cut before its last short part ('Moon Jae' / 'Moon Jae-in'), a name with a generic word
after it ('Harbour Point Resort', 'Harbour Point Hotel' / 'Harbour Point'), a place's dotted
abbreviation beside the place ('Calif.' / 'California').

Each works on name keys and a union-find (entity_clusters._UnionFind), with a unit test in
tests/test_entity_evidence.py.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Protocol

from digest.aggregate.entity_evidence import FUNCTION_WORDS, WordStats
from digest.text.names import fold

# Words that, after a name, make another thing of it: a place's county or city, a newspaper
# named after its city, an office of an institution. A name followed by one of these is not a
# variant of the name.
DISTINCT_TAILS = frozenset("""
    city county state states province district region island islands peninsula department ministry office
    council committee commission times news post journal herald tribune gazette daily party university
    college school police court airport station stadium street road avenue river lake mountain bridge
    valley park square army navy force forces bank exchange league cup championship series
""".split())


class UnionFind(Protocol):
    def find(self, x: str) -> str: ...
    def union(self, a: str, b: str) -> None: ...


def merge_extended_people(uf: UnionFind, people: Iterable[str]) -> None:
    """A person's name that another person's name only extends by one short last part (two or
    three letters: 'moon jae' / 'moon jae in', a hyphenated given name the model cut) is that
    person, when it extends no other name."""
    keys = sorted(set(people))
    longer: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        words = key.split()
        if len(words) >= 3 and len(words[-1]) <= 3:
            longer[" ".join(words[:-1])].append(key)
    for key in keys:
        if len(key.split()) >= 2 and len(longer.get(key, ())) == 1:
            uf.union(key, longer[key][0])


def merge_generic_tails(uf: UnionFind, kinds: dict[str, str], surfaces: dict[str, str], stats: WordStats) -> None:
    """'Harbour Point Resort', 'Harbour Point Hotel', 'Harbour Point Resort and Casino' are
    'Harbour Point' when the corpus names that place so too, in two words or more, and the
    words after it are common words (written in lowercase more than capitalised mid-sentence)
    that do not make another thing of it (DISTINCT_TAILS: 'New York' / 'New York Times', 'Erie'
    / 'Erie County'). The short name must be a place (a venue): an organisation's longer
    names are its parts or events ('Conservative Party Conference', 'BBC Radio Four'), and a
    country's are its institutions ('UK Government')."""
    things = {k for k, kind in kinds.items() if kind in ("place", "organization")}
    for key in sorted(things):
        words = key.split()
        for cut in range(2, len(words)):
            base, tail = " ".join(words[:cut]), words[cut:]
            if kinds.get(base) != "place" or len(tail) > 3 or len(surfaces.get(base, base).split()) < 2:
                continue
            written = surfaces.get(key, key).split()[-len(tail):]
            if all(w in FUNCTION_WORDS or (w not in DISTINCT_TAILS and stats.common(w)) for w in tail) \
                    and any(w not in FUNCTION_WORDS for w in tail) and not any(w.isupper() and len(w) > 1 for w in written):
                uf.union(base, key)
                break


def is_dotted_abbreviation(surface: str) -> bool:
    """'Calif.', 'Pa.', 'Ariz.': one capitalised word of 2-6 letters ending in a dot."""
    word = surface[:-1]
    return surface.endswith(".") and 2 <= len(word) <= 6 and word.isalpha() and word[0].isupper() \
        and word[1:].islower() and " " not in surface


def abbreviates(abbreviation: str, name: str) -> bool:
    """'Calif.' abbreviates 'California', 'Pa.' 'Pennsylvania': same first letter and the
    abbreviation's letters in order in the name's first word (a one-word name only)."""
    short = fold(abbreviation).lower().rstrip(".")
    long = fold(name).lower()
    if " " in long or not long.startswith(short[0]) or len(long) <= len(short):
        return False
    at = 0
    for letter in short:
        at = long.find(letter, at) + 1
        if not at:
            return False
    return True


def merge_place_abbreviations(uf: UnionFind, abbreviations: dict[str, set[str]], places: dict[str, set[str]],
                              surfaces: dict[str, str]) -> None:
    """A dotted abbreviation typed as a place joins the one place it abbreviates among the
    places named in the articles that use it ('ERIE, Pa.' beside 'Pennsylvania'); none or
    several: it stays apart. Both arguments map a key to its articles."""
    for key, articles in abbreviations.items():
        near = {p for p, where in places.items() if p != key and where & articles
                and abbreviates(surfaces.get(key, key), surfaces.get(p, p))}
        if len(near) == 1:
            uf.union(near.pop(), key)
