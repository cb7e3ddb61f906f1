"""Which rows an editor wants: the filters that keep the table short (no junk rows).

A row survives when it is corroborated (reported by two or more articles) or, reported by one
article only, when it is still a key fact:
- quote: the speaker is known and named in at least two articles of the story; at most
  MAX_SINGLE_QUOTES such quotes per speaker (the earliest in their articles);
- person: the role carries an office or title ("Premier", "Nevada state senator"), not "brother",
  and the person is no passing mention: named at least twice, quoted, or named in a sentence
  that reports what someone said ("said Jane Roe, an analyst at ...");
- place: never (round 1 of the audit: as many anecdote venues, earlier events and "former England
  forward" as event places among one outlet's places);
- date: within DATE_WINDOW_DAYS of the story's publication dates (older dates are background);
- number: not a small count (<= 3) of a plain noun ("2 small planes"); role counts, ages,
  durations and ordinals always stay, but an age only of someone half of the articles name;
- number: only a count of a role (killed, injured, ...) or an age: one outlet's other figures
  are mostly side details, parts of names or set phrases ("Six Nations", "top 20", "2200 GMT");
- date: a day, not a month alone (a month is how background is dated: "released in May 2003").
Whatever the articles: a quote row needs a speaker, and a person row a role that is more than a
form of address ("Sir", "Lord", "Professor": the reader learns nothing).
In a story of MANY_ARTICLES or more, every row needs two articles: one outlet's detail is noise
there (it stays visible on the article's page). A year alone ("in 2009") is background, never a row.
Claims already need two independent origins (claims.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Sequence

from digest.model import AnalysedArticle, Candidate, EntityIndex
from digest.aggregate.facts.rows import ROLE_LABELS, Row
from digest.text.dates import day_of
from digest.text.names import ROLE_WORDS

# A sentence with one of these reports what someone said: a person named once there is a source.
SPEECH_WORDS = frozenset("""said says say told tells added adds stated states explained explains warned
    warns insisted insists argued argues according commented comments wrote writes""".split())
# Forms of address and honours: no role on their own (a person row with only these says nothing).
BARE_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "prince",
                         "princess", "justice", "professor", "prof", "rev", "reverend", "baroness", "baron",
                         "sheikh", "madam"})

MAX_SINGLE_QUOTES = 3
MANY_ARTICLES = 8
DATE_WINDOW_DAYS = 62


def _bare_title(role: str) -> bool:
    words = [w.strip(".,").lower() for w in role.split()]
    return bool(words) and all(w in BARE_TITLES for w in words)


# A currency alone says how a figure is counted, not what it measures ("Rupees: 4.3bn" of what?).
CURRENCIES = frozenset("""dollar pound euro yen yuan renminbi rupee franc peso rouble ruble dinar dirham
    riyal rand krona krone real lira won baht ringgit shekel naira zloty""".split())
# "a 46-year low", "a 20-year high": the span of a record, not the length of anything.
EXTREMES = frozenset({"low", "high", "record", "best", "worst", "peak"})


def _part_of_name(cand: Candidate) -> bool:
    """The counted word is capitalised inside a sentence that is not a headline: a name."""
    words = re.findall(r"[A-Za-z][\w'-]*", cand.text)
    prose = any(w.islower() and len(w) >= 4 for w in re.findall(r"[A-Za-z]+", cand.sentence))
    return bool(words) and words[-1][:1].isupper() and prose


def _junk(row: Row) -> str:
    """Why a row is junk whatever the number of articles reporting it ('' when it is not)."""
    if row.kind == "quote" and not row.speaker:
        return "quote without a speaker"
    if row.kind == "person" and _bare_title(row.value or ""):
        return f"role {row.value!r} is only a form of address"
    if row.kind == "number" and row.key in CURRENCIES:
        return "a currency alone: the figure's measured thing is unknown"
    if row.kind == "number" and row.key.endswith(" length") and row.key.split()[0] in EXTREMES:
        return "the span of a record ('a 46-year low'), not a length"
    if row.kind == "number" and all(_part_of_name(c) for c in row.cells.values()):
        return "the number is part of a name (\"Six Nations\", \"Top Gear\")"
    return ""


def keep_rows(rows: Iterable[Row], story: Sequence[AnalysedArticle], index: EntityIndex,
              trace: list[str] | None = None) -> list[Row]:
    rows = list(rows)
    trace = trace if trace is not None else []
    articles_of: dict[str, set[str]] = defaultdict(set)  # entity id -> story articles naming it
    mentions: dict[str, int] = defaultdict(int)  # entity id -> mentions in the story
    for a in story:
        for ref in index.by_article.get(a.article.id, ()):
            articles_of[ref.entity].add(a.article.id)
            mentions[ref.entity] += ref.mentions
    speakers = {r.speaker for r in rows if r.kind == "quote" and r.speaker}
    days = [d for d in (day_of(a.article.published, month_start=True) for a in story if a.article.published) if d]
    quotes_kept: dict[str, int] = defaultdict(int)
    subjects = {e.name for e in index.entities if 2 * len(articles_of.get(e.id, ())) >= len(story)}
    out = []
    for row in rows:
        if row.kind == "date" and len(row.key.split()[-1]) == 4:
            continue
        why = _junk(row)
        if why:
            trace.append(f"dropped row {row.kind} {row.label!r}: {why}")
            continue
        if len(row.cells) >= 2:
            out.append(row)
            continue
        if len(story) >= MANY_ARTICLES:
            continue
        cand = next(iter(row.cells.values()))
        if row.kind == "quote":
            if not row.speaker or len(articles_of.get(row.speaker, ())) < 2 \
                    or quotes_kept[row.speaker] >= MAX_SINGLE_QUOTES:
                continue
            quotes_kept[row.speaker] += 1
        elif row.kind == "person":
            if not any(w.strip(".,").lower() in ROLE_WORDS for w in (row.value or "").split()):
                continue
            speaks = SPEECH_WORDS & set(re.findall(r"[a-z]+", cand.sentence.lower()))
            if row.key in mentions and mentions[row.key] < 2 and row.key not in speakers and not speaks:
                trace.append(f"dropped row person {row.label!r}: a passing mention (named once, not quoted)")
                continue
        elif row.kind == "place":
            trace.append(f"dropped row place {row.label!r}: one outlet's place (an anecdote venue or a side remark as often as the event's)")
            continue
        elif row.kind == "date" and re.match(r"^\d{4}-\d\d$", cand.value):
            trace.append(f"dropped row date {row.label!r} {cand.value}: a month alone, reported once")
            continue
        elif row.kind == "date":
            when = day_of(cand.value.removeprefix("--"), month_start=True)
            if days and when and min(abs((when - d).days) for d in days) > DATE_WINDOW_DAYS:
                continue
        elif row.kind == "number" and row.key.startswith("age of ") and row.key[7:] not in subjects:
            continue  # one outlet's age of a passer-by ("the 26-year-old male Little One")
        elif row.kind == "number" and not row.key.startswith("age of ") and row.key not in ROLE_LABELS:
            trace.append(f"dropped row number {row.label!r} {cand.value}: one outlet's figure, not a role count")
            continue
        out.append(row)
    return out
