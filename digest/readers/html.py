"""HTML reader: a saved article page -> main text and metadata (trafilatura), plus the fetch sidecar.

`digest fetch` writes `<id>.fetch.json` beside `<id>.html` ({"url", "fetched", "http_date",
"final_url"}); its URL wins over the one found in the page. The fetch and HTTP dates are when
the page was downloaded, not published, so they never become the publication date.
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

from digest.text.dates import normalise_iso
from digest.readers.encoding import DecodeError, decode
from ..model import Metadata, Problem, RawArticle
from .common import InputError, ReadResult, Source, normalise_newlines, sha256
from .extract import Extraction, extract
from .outlets import outlet_name

SIDECAR_SUFFIX = ".fetch.json"
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", re.IGNORECASE)
_BODY_OPEN = re.compile(r"<body\b", re.IGNORECASE)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# Page metadata naming the publication time (Open Graph, schema.org microdata, older CMSs).
_PUBLISHED_KEYS = frozenset({"article:published_time", "og:published_time", "datepublished", "pubdate",
                             "publishdate", "date"})


def read(source: Source) -> ReadResult:
    data = source.path.read_bytes()
    if not data.strip():
        raise InputError("empty file")
    return read_decoded(source, decode_html(data), data)


def decode_html(data: bytes) -> str:
    """Decode with the charset the page declares, else like any text file."""
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            name = codecs.lookup(declared.group(1).decode("ascii")).name
            return normalise_newlines(data.decode(name).removeprefix("\ufeff"))
        except (LookupError, UnicodeDecodeError, ValueError):
            pass  # a wrong declaration is common; fall back to detection
    try:
        return normalise_newlines(decode(data)[0])
    except DecodeError as err:
        raise InputError(str(err)) from None


def read_decoded(source: Source, html: str, data: bytes) -> ReadResult:
    problems: list[Problem] = []
    sidecar = source.path.with_name(source.path.name.rsplit(".", 1)[0] + SIDECAR_SUFFIX)
    side = _read_sidecar(sidecar, source, problems)
    url = side.get("url") or side.get("final_url")
    result = extract(html, url=url if isinstance(url, str) else None)
    if result is None or not result.text.strip():
        if not _BODY_OPEN.search(html):
            raise InputError("HTML without a <body>: no article text to read")
        raise InputError("no article text found in the HTML page")
    meta = _metadata(result, side, html)
    raw = RawArticle(id=source.stem, source_path=source.rel, format="html", text=result.text,
                     meta=meta, content_hash=sha256(data))
    return [raw], problems


def _metadata(result: Extraction, side: dict[str, object], html: str = "") -> Metadata:
    url = side.get("url") or side.get("final_url") or result.url
    return Metadata(
        title=strip_site_name(result.title, result.sitename) or None,
        published=published_time(html, normalise_iso(result.date)),
        outlet=outlet_name(result.sitename, result.hostname, url if isinstance(url, str) else None),
        url=url if isinstance(url, str) and url else None,
        author=result.author or None,
        standfirst=result.description or None,
    )


def published_time(html: str, found: str | None) -> str | None:
    """The extractor's publication date with the time of day the page's own metadata gives
    ("2025-10-15" + article:published_time 2025-10-15T11:40:00+02:00 -> "2025-10-15T11:40").
    The extractor returns dates only; metadata naming another day is not trusted over it."""
    if not found or "T" in found:
        return found
    for tag in _META_TAG.findall(html[:200_000]):  # metadata lives in the head
        attrs = {name.lower(): next(v for v in values if v) if any(values) else ""
                 for name, *values in _ATTRIBUTE.findall(tag)}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in _PUBLISHED_KEYS:
            precise = normalise_iso(attrs.get("content", ""))
            if precise and precise.startswith(found + "T"):
                return precise
    return found


_SITE_SUFFIX = re.compile(r"\s+(?:\||-|–|—|::|·)\s+(?P<site>[^|]{1,60})$")


def strip_site_name(title: str | None, sitename: str | None) -> str | None:
    """"Best gadgets of 2019 | ZDNet" -> "Best gadgets of 2019": the site's name is not the headline.

    A " | X" suffix of up to four words always goes; a dash suffix only when it is the site name.
    """
    if not title:
        return title
    match = _SITE_SUFFIX.search(title)
    if not match or len(title[: match.start()].split()) < 3:
        return title
    site = match.group("site").strip()
    same = sitename and site.casefold() == sitename.strip().casefold()
    if same or ("|" in match.group(0) and len(site.split()) <= 4):
        return strip_site_name(title[: match.start()].strip(), sitename)
    return title


def _read_sidecar(path: Path, source: Source, problems: list[Problem]) -> dict[str, object]:
    if not path.is_file():
        return {}
    rel = str(Path(source.rel).with_name(path.name))
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        problems.append(Problem(rel, f"cannot read fetch sidecar: {err}", "warning"))
        return {}
    except json.JSONDecodeError as err:
        problems.append(Problem(rel, f"invalid JSON in fetch sidecar: {err.msg}", "warning",
                                err.lineno, err.colno))
        return {}
    if not isinstance(value, dict):
        problems.append(Problem(rel, "fetch sidecar must be a JSON object", "warning"))
        return {}
    return value
