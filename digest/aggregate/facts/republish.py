"""Which articles of a story copy another (not independent corroboration).

Two articles share a long run of words outside quote marks (a wire story reprinted, a rewrite
that keeps whole sentences), or come from the same outlet: the later one is "republished from"
the earlier one. A news agency counts as one outlet wherever its wire copies run (see wire.py):
two outlets running the same AP story are one origin, AP, not independent agreement.
Quoted words are left out because independent outlets quote the same statement.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from digest.model import Article
from digest.aggregate.facts.wire import site_agency
from digest.text.dates import utc_key

RUN_WORDS = 12  # a shared run this long outside quotes is copying, not coincidence
_QUOTED = re.compile(r"[“\"«][^“”\"«»]*[”\"»]")
_WORD = re.compile(r"[a-z0-9]+")


def _shingles(article: Article, size: int = RUN_WORDS) -> set[int]:
    out: set[int] = set()
    for para in article.paragraphs:
        words = _WORD.findall(_QUOTED.sub(" | ", para.lower().replace("’", "'")))
        out.update(hash(tuple(words[i:i + size])) for i in range(len(words) - size + 1))
    return out


def _outlet(article: Article) -> str | None:
    return re.sub(r"^www\.", "", article.outlet.strip().lower()) if article.outlet else None


def order_key(article: Article) -> tuple[str, str]:
    """Oldest first (times with UTC offsets at their UTC instant); undated articles after dated
    ones, then by id (deterministic)."""
    return (utc_key(article.published) or "9999", article.id)


def find_republished(articles: Sequence[Article], wires: Mapping[str, str] | None = None) -> dict[str, str]:
    """Map copy article id -> the id of the earliest article it (transitively) copies. `wires`
    (article id -> agency) makes an agency's copies one outlet, its own site included."""
    wires = wires or {}
    ordered = sorted(articles, key=order_key)
    position = {a.id: i for i, a in enumerate(ordered)}
    shingles = {a.id: _shingles(a) for a in ordered}
    owner: dict[int, str] = {}  # shingle -> first article that has it (inverted index: no all-pairs)
    root: dict[str, str] = {}
    first_of_outlet: dict[str, str] = {}
    for article in ordered:
        source = None
        agency = wires.get(article.id) or site_agency(article)
        outlet = f"wire:{agency}" if agency else _outlet(article)
        if outlet and outlet in first_of_outlet:
            source = first_of_outlet[outlet]
        for sh in shingles[article.id]:
            if sh in owner and owner[sh] != article.id:
                if source is None or position[owner[sh]] < position[source]:
                    source = owner[sh]
        for sh in shingles[article.id]:
            owner.setdefault(sh, article.id)
        if outlet:
            first_of_outlet.setdefault(outlet, article.id)
        if source is not None:
            root[article.id] = root.get(source, source)
    return root

