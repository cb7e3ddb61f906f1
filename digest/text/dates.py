"""Dates as text: month and weekday names, ISO 8601 days, publication dates from metadata values
and from datelines printed on a page.

Only dates that are written down are returned; nothing is ever guessed from "3 hours ago" or
from the current clock (a date is never invented). Output is ISO 8601: YYYY-MM-DD, or
YYYY-MM-DDTHH:MM when the source gives a time (seconds kept only when non-zero). A time given
with its UTC offset keeps it, with seconds: 2017-10-02T21:30:00-05:00 ("Z" becomes +00:00). A
time without one stays naive: its zone is unknown and none is invented.

Times with offsets and naive ones are ordered with `utc_key`: an offset time is compared at its
UTC instant, a naive one as written (the best guess there is), a date at the start of its day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

MONTHS = {
    name: number
    for number, names in enumerate((
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
        ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
        ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
    ), start=1)
    for name in names
}
WEEKDAYS = {name: i for i, name in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?:,?\s*(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?)?"

# Each pattern names its groups; the first that matches wins.
_PATTERNS = [
    # 2024-05-15, 2024-05-15T20:41:00, 2024-05-15 20:41, 2024/05/15
    re.compile(r"(?P<year>\d{4})[-/](?P<mon>\d{1,2})[-/](?P<day>\d{1,2})"
               r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\.\d+)?"
               r"\s?(?P<tz>Z|[+-]\d{2}:?\d{2}\b)?)?"),
    # 15 May, 2024 20:41 / 15 May 2024 / Wednesday 15 May 2024
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b" + _TIME,
               re.IGNORECASE),
    # May 15, 2024 8:41 pm / May 15 2024
    re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b" + _TIME,
               re.IGNORECASE),
]


def parse_date(text: str) -> str | None:
    """The first full date (with its time, if any) written in `text`, as ISO 8601; else None."""
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            iso = _iso(match.groupdict())
            if iso:
                return iso
    return None


def normalise_iso(value: object) -> str | None:
    """Metadata date (ISO string, datetime, date) -> ISO 8601, or None when it is not a date.

    A time of exactly midnight in metadata is how news-please and many CMSs say "date only",
    so it is dropped rather than shown as 00:00.
    """
    if isinstance(value, datetime):
        value = value.isoformat()
    elif isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    iso = parse_date(value.strip())
    if iso and (iso.endswith("T00:00") or iso[10:19] == "T00:00:00" and len(iso) > 19):
        iso = iso[:10]
    return iso


def utc_key(value: str | None) -> str:
    """A sort key for an ISO date or date-time: offset times at their UTC instant, naive ones as
    written, "" for None or text that is not a date (so callers choose where those go)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    elif len(value) <= 10:
        return value
    return moment.isoformat(timespec="seconds")


def _iso(groups: dict[str, str | None]) -> str | None:
    try:
        year = int(groups["year"] or "")
        month = int(groups["mon"]) if groups.get("mon") else MONTHS[(groups["month"] or "").lower()]
        day = int(groups["day"] or "")
        when = date(year, month, day)
    except (KeyError, ValueError):
        return None
    if not 1900 <= year <= 2100:
        return None
    if groups.get("hour") is None or groups.get("minute") is None:
        return when.isoformat()
    hour, minute = int(groups["hour"] or 0), int(groups["minute"] or 0)
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return when.isoformat()
    second = int(groups.get("second") or 0)
    stamp = f"{when.isoformat()}T{hour:02d}:{minute:02d}"
    offset = _offset(groups.get("tz"))
    if offset is not None:
        return f"{stamp}:{second:02d}{offset}"
    return stamp + (f":{second:02d}" if second else "")


def day_of(iso: str | None, month_start: bool = False) -> date | None:
    """The day an ISO 8601 date or time falls on ('2024-05-15T20:41' -> 2024-05-15), or None.
    With month_start, a month alone ('2023-03') counts as its first day."""
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10] if len(iso) >= 10 or not month_start else f"{iso[:7]}-01")
    except ValueError:
        return None


def _offset(tz: str | None) -> str | None:
    """"Z", "+0200", "-05:00" -> "+00:00", "+02:00", "-05:00"; None when absent or impossible."""
    if not tz:
        return None
    if tz == "Z":
        return "+00:00"
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        return None
    return f"{tz[0]}{hours:02d}:{minutes:02d}"
