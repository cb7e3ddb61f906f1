"""Claims: sentences several outlets make, found by IDF-weighted word overlap within one story.

Sentences are compared only when they share words that are not everywhere in the story (an
inverted index, not all pairs). The score is the share of the shorter sentence's IDF mass found
in the other (a short sentence restated inside a longer one still matches; plain cosine misses
it). Rows carried by a single independent origin are not claims of the table.

Two sentences agree only when both assert the same thing: a negated or denied sentence ("did not",
"never", "denied", "no evidence"), a non-answer ("had no comment", "declined to comment", "did not
respond") or a hedged one ("reportedly", "allegedly", "may") does not agree with a plain
assertion sharing its words (see stance).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Mapping, Sequence

from rapidfuzz import fuzz

from digest.model import AnalysedArticle, Candidate
from digest.aggregate.facts.rows import Row, content_words, independent, slug

CLAIM_SIMILARITY = 0.45  # share of the shorter sentence's IDF weight found in the other one
ROW_SIMILARITY = 0.35  # mean similarity a sentence needs with every sentence already in a row
MIN_SHARED = 4  # and at least this many shared content words
MAX_POSTING = 200  # words in more sentences than this do not generate comparisons


# Small word lists of general English (lowercase; matched as whole words).
_NO_COMMENT = re.compile(
    r"\b(?:(?:had|has|have|with|offered|gave|made) no (?:immediate |further )?(?:comment|response|reply)"
    r"|no comment|(?:declined|refused|decline|declines|refuses|refusing|declining) to (?:comment|respond|elaborate|confirm|say)"
    r"|(?:did|does|do|would|could) not (?:immediately )?(?:respond|reply|comment|return)"
    r"|(?:didn't|doesn't|wouldn't|couldn't) (?:immediately )?(?:respond|reply|comment|return)"
    r"|could not be reached|couldn't be reached|not available for comment|unavailable for comment)\b")
_NEGATION = re.compile(
    r"\b(?:not|never|no|nor|neither|nobody|nothing|none|cannot|deny|denies|denied|denying|denial|rejected|"
    r"refuted|disputed|false(?:ly)?|untrue|unlikely|impossible)\b|n't\b")
_HEDGE = re.compile(r"\b(?:reportedly|allegedly|alleged|apparently|purportedly|possibly|perhaps|might|"
                    r"rumou?red|unconfirmed|unverified|speculat\w*)\b")
_HEDGE_CASED = re.compile(r"(?:^|[^.!?]\s)may (?!\d)|\b(?:is|are|was|were) (?:said|believed|thought) to\b")


_CLAUSE = re.compile(r"\s*(?:[,;:()\u2014\u2013]|\s-\s|\b(?:but|while|whereas|although|though)\b)\s*")
MIN_CLAUSE_SHARED = 2  # shared words that put a clause's negation or hedge on the common assertion


def stance(sentence: str, shared: set[str] | None = None) -> tuple[bool, bool, bool]:
    """(a non-answer, negated, hedged): two claims agree only with the same stance. A non-answer
    ("had no comment") makes the whole sentence no assertion; a negation or hedge counts in the
    clauses that hold the words the two sentences share (with `shared`; all clauses without):
    "suspected there might be an error, which was confirmed when ..." still confirms."""
    text = sentence.replace("’", "'")
    no_comment = bool(_NO_COMMENT.search(text.lower()))
    clauses = [c for c in _CLAUSE.split(_NO_COMMENT.sub(" ", text.lower()) if no_comment else text) if c and c.strip()]
    if shared is not None:
        counts = [len(shared & set(content_words(c))) for c in clauses]
        best = max(counts, default=0)
        clauses = [c for c, n in zip(clauses, counts) if n >= min(MIN_CLAUSE_SHARED, best) and n > 0] or clauses
    negated = any(_NEGATION.search(c.lower()) for c in clauses)
    hedged = any(_HEDGE.search(c.lower()) or _HEDGE_CASED.search(c) for c in clauses)
    return no_comment, negated, hedged


def same_stance(a: str, b: str) -> bool:
    """Both sentences assert the same thing about what they share (see stance)."""
    shared = set(content_words(a)) & set(content_words(b))
    return stance(a, shared) == stance(b, shared)


def claim_rows(story: Sequence[AnalysedArticle], republished: Mapping[str, str]) -> list[Row]:
    items: list[tuple[str, Candidate]] = [(a.article.id, c) for a in story for c in a.candidates
                                          if c.kind == "claim"]
    if len({art for art, _ in items}) < 2:
        return []
    words = [set(content_words(c.value)) for _, c in items]
    df = Counter(w for ws in words for w in ws)
    idf = {w: math.log((len(items) + 1) / (d + 0.5)) for w, d in df.items()}
    mass = [sum(idf[w] for w in ws) or 1.0 for ws in words]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, ws in enumerate(words):
        for w in ws:
            postings[w].append(i)
    pairs: dict[tuple[int, int], float] = {}
    for i, ws in enumerate(words):
        shared: Counter = Counter()
        for w in ws:
            if len(postings[w]) <= MAX_POSTING:
                shared.update(j for j in postings[w] if j > i and items[j][0] != items[i][0])
        for j, count in shared.items():
            if count < MIN_SHARED or not same_stance(items[i][1].value, items[j][1].value):
                continue  # few shared words, or one asserts what the other denies, hedges or won't comment on
            score = sum(idf[w] for w in ws & words[j]) / min(mass[i], mass[j])
            if score >= CLAIM_SIMILARITY or fuzz.token_set_ratio(items[i][1].value, items[j][1].value) >= 90:
                pairs[(i, j)] = max(score, CLAIM_SIMILARITY)
    return _rows(items, pairs, republished)


def _rows(items, pairs: dict[tuple[int, int], float], republished: Mapping[str, str]) -> list[Row]:
    """Best pairs first (average link: a sentence joins a row only if it is close to all of it);
    a row holds at most one sentence per article."""
    def sim(i: int, j: int) -> float:
        return pairs.get((min(i, j), max(i, j)), 0.0)

    row_of: dict[int, int] = {}
    members: dict[int, dict[str, int]] = {}
    for (i, j), _ in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        ri, rj = row_of.get(i), row_of.get(j)
        if ri is not None and rj is not None:
            continue
        if ri is None and rj is None:
            row_of[i] = row_of[j] = i
            members[i] = {items[i][0]: i, items[j][0]: j}
            continue
        row, new = (ri, j) if ri is not None else (rj, i)
        group = members[row]
        if items[new][0] in group:
            continue
        if sum(sim(new, k) for k in group.values()) / len(group) >= ROW_SIMILARITY:
            group[items[new][0]] = new
            row_of[new] = row
    rows = []
    for group in members.values():
        if independent(list(group), republished) < 2:
            continue
        row = Row("claim", "", "Claim")
        for art, k in group.items():
            row.add(art, items[k][1])
        first = min(row.cells.values(), key=lambda c: (c.paragraph, len(c.value)))
        row.key = "-".join(content_words(first.value)[:5])
        row.value = first.value
        rows.append(row)
    return rows


def claim_id(row: Row) -> str:
    return "claim-" + slug(row.key, 5)
