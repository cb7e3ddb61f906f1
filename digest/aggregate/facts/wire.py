"""Which articles are a news agency's wire copy (AP, Reuters, AFP, ...), and whose.

An outlet running a wire story is not an independent source: it is the agency's report. The
agency is recognised from what wire copies carry, never from the story's words:

- a dateline credit in the opening words: "ERIE, Pa. (AP) -", "(Reuters) -", "PARIS (AFP) --";
- the agency's copyright line: "Copyright 2017 The Associated Press. All rights reserved.";
- a byline naming only the agency ("The Associated Press", "Reuters Editorial"); a staff byline
  with the agency added ("Jane Doe For Example.com, Associated Press") is the outlet's own rewrite.

Photo credits ("(Jane Doe/AFP)", "©Jane Doe (AFP)") and attributions in the text ("told the
Associated Press") are not: outlets credit agencies' photos and quote their reporting.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence
from urllib.parse import urlparse

from digest.model import Article

# Agency -> the names its credits use (matched whole, case-insensitively).
AGENCIES: dict[str, tuple[str, ...]] = {
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "Reuters": ("Reuters", "Thomson Reuters"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "PA": ("PA", "Press Association", "PA Media"),
    "UPI": ("UPI", "United Press International"),
    "dpa": ("dpa", "Deutsche Presse-Agentur"),
    "AAP": ("AAP", "Australian Associated Press"),
    "CP": ("The Canadian Press",),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "Xinhua": ("Xinhua",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
}
AGENCY_SITES = {"apnews.com": "AP", "ap.org": "AP", "reuters.com": "Reuters", "afp.com": "AFP", "upi.com": "UPI",
                "dpa.com": "dpa", "aap.com.au": "AAP", "thecanadianpress.com": "CP", "bloomberg.com": "Bloomberg",
                "xinhuanet.com": "Xinhua", "news.cn": "Xinhua", "kyodonews.net": "Kyodo", "yna.co.kr": "Yonhap",
                "efe.com": "EFE", "ansa.it": "ANSA"}
_NAME = {n.lower(): agency for agency, names in AGENCIES.items() for n in names}
_ALT = "|".join(sorted((re.escape(n) for names in AGENCIES.values() for n in names), key=len, reverse=True))
# "(AP) -", "(Reuters) —", "(AFP) --" near the start of the first paragraph.
_DATELINE = re.compile(rf"^[^()\n]{{0,90}}\(({_ALT})\)\s*(?:-|–|—|--)\s", re.I)
# "Copyright 2017 The Associated Press", "© 2018 Reuters", "Copyright Agence France-Presse"
_COPYRIGHT = re.compile(rf"^\s*(?:copyright|©|\(c\))\s*(?:\d{{4}}\s*)?(?:,\s*)?({_ALT})\b", re.I)
# What a scraped byline carries besides names: "Reuters Editorial", "3 Min Read", "Staff".
_BYLINE_NOISE = re.compile(r"^(?:\d+\s+)?min(?:ute)?s? read$|^(?:staff|editorial|reporters?|wire|news desk)$", re.I)
_SUFFIX = re.compile(r"\s+(?:editorial|staff|reporters?|wire|news(?: service)?)$", re.I)


def agency_of_name(name: str) -> str | None:
    """'The Associated Press' -> 'AP'; 'Reuters Editorial' -> 'Reuters'; None for anything else."""
    name = " ".join(name.split()).strip(" .")
    return _NAME.get(name.lower()) or _NAME.get(_SUFFIX.sub("", name).lower())


def byline_agency(author: str | None) -> str | None:
    """The agency when the byline names only it (scraper noise aside)."""
    if not author:
        return None
    parts = [p.strip() for p in re.split(r",|;|\band\b|&", author) if p.strip()]
    parts = [p for p in parts if not _BYLINE_NOISE.match(p)]
    agencies = {agency_of_name(p) for p in parts}
    return agencies.pop() if len(agencies) == 1 and None not in agencies else None


def wire_agency(article: Article) -> str | None:
    """The agency whose wire copy this article is, or None (see module doc). The agency's own
    site is its original, not a copy."""
    agency = _credited(article)
    return None if agency is None or site_agency(article) == agency else agency


def site_agency(article: Article) -> str | None:
    """The agency whose own site this is ("Reuters" at uk.reuters.com), or None."""
    host = urlparse(article.url or "").netloc.lower().split(":")[0]
    for site, agency in AGENCY_SITES.items():
        if host == site or host.endswith("." + site):
            return agency
    return agency_of_name(article.outlet or "")


def _credited(article: Article) -> str | None:
    first = article.paragraphs[:1] + tuple(d.text for d in article.dropped[:2])
    for text in first:
        m = _DATELINE.match(text.strip())
        if m:
            return agency_of_name(m.group(1))
    for text in (*article.paragraphs[-3:], *(d.text for d in article.dropped)):
        m = _COPYRIGHT.match(text)  # a credit line, not "Image copyright Reuters" under a photo
        if m:
            return agency_of_name(m.group(1))
    return byline_agency(article.author)


def find_wires(articles: Sequence[Article], republished: Mapping[str, str] | None = None) -> dict[str, str]:
    """Article id -> agency for the wire copies of a story. With `republished`, a copy of a wire
    copy runs the same wire text and is one too."""
    wires = {a.id: w for a in articles if (w := wire_agency(a))}
    for copy, original in (republished or {}).items():
        if copy not in wires and original in wires:
            wires[copy] = wires[original]
    return wires
