"""ASCII slugs for ids, file names and page paths: the one slug rule, with its variants named,
on the one letter folding (names.fold, unidecode).

Ids in digest.json and page paths are public (URLs, overrides keys), so each caller keeps the
variant it has always used: changing one renames published things.
"""

from __future__ import annotations

import re

from digest.text.names import fold

_WORD = re.compile(r"[a-z0-9]+")


def slugify(text: str | None, *, join_apostrophes: bool = False,
            max_words: int | None = None, max_len: int | None = None, empty: str = "") -> str:
    """'Xi Jinping' -> 'xi-jinping': lowercase ASCII words joined by hyphens.

    Letters are folded by `names.fold` (unidecode): 'Straße' -> 'strasse', 'Зеленский' ->
    'zelenskii', typographic apostrophes read as "'".
    join_apostrophes: "don't" -> 'dont' (otherwise 'don-t').
    max_words: keep the first words only. max_len: cut at a hyphen in the second half of the
        limit when there is one, else at the limit.
    empty: what a text with no usable letters gives.
    """
    if not text:
        return empty
    ascii_text = fold(text).lower()
    if join_apostrophes:
        ascii_text = ascii_text.replace("'", "")
    words = _WORD.findall(ascii_text)
    slug = "-".join(words if max_words is None else words[:max_words])
    if max_len is not None and len(slug) > max_len:
        cut = slug[:max_len]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[max_len // 2:] else cut
        slug = slug.strip("-")
    return slug or empty
