"""Publication times keep their UTC offsets; everything that orders times does so in UTC."""

from __future__ import annotations

from digest.text.dates import normalise_iso, parse_date, utc_key
from digest.aggregate.facts.republish import order_key
from digest.model import Article
from digest.render.context import fmt_date
from digest.render.feed import rfc3339


def article(ident: str, published: str | None) -> Article:
    return Article(id=ident, source_path=f"articles/{ident}.json", format="json", title="T", title_derived=False,
                   published=published, outlet=None, url=None, author=None, standfirst=None, paragraphs=("x",))


def test_offsets_are_kept_naive_times_stay_naive():
    assert normalise_iso("2030-10-02T21:30:00-05:00") == "2030-10-02T21:30:00-05:00"
    assert normalise_iso("2030-10-02T21:30:00.250+0200") == "2030-10-02T21:30:00+02:00"
    assert normalise_iso("2030-10-02T21:30:00Z") == "2030-10-02T21:30:00+00:00"
    assert normalise_iso("2030-10-02 21:30:00") == "2030-10-02T21:30"
    assert normalise_iso("2030-10-02T00:00:00+00:00") == "2030-10-02"  # midnight: a date only
    assert parse_date("Posted 2030-10-02 21:30 GMT") == "2030-10-02T21:30"
    assert normalise_iso("2030-10-02T21:30:00+25:00") == "2030-10-02T21:30"  # no such offset


def test_utc_key_orders_by_instant():
    times = ["2030-10-02T21:30:00-05:00", "2030-10-03T01:00", "2030-10-02", "2030-10-03T00:00:00+00:00"]
    assert sorted(times, key=utc_key) == ["2030-10-02", "2030-10-03T00:00:00+00:00", "2030-10-03T01:00",
                                           "2030-10-02T21:30:00-05:00"]
    assert utc_key(None) == "" and utc_key("2030-10-02") == "2030-10-02"


def test_republished_order_uses_utc():
    # 21:30 in New York is 02:30 UTC the next day: after a naive 01:00 of that day.
    early, late = article("a", "2030-10-03T01:00"), article("b", "2030-10-02T21:30:00-05:00")
    assert sorted([late, early], key=order_key) == [early, late]
    assert sorted([article("c", None), early], key=order_key)[-1].id == "c"


def test_feed_keeps_the_offset_and_never_invents_z_for_it():
    assert rfc3339("2030-10-02T21:30:00-05:00") == "2030-10-02T21:30:00-05:00"
    assert rfc3339("2030-10-02T21:30:00+00:00") == "2030-10-02T21:30:00Z"
    assert rfc3339("2030-10-02T21:30") == "2030-10-02T21:30:00Z"  # no zone known: taken as UTC (documented)


def test_pages_show_the_local_time_with_its_offset():
    assert fmt_date("2030-10-02T21:30:00-05:00") == "2 October 2030, 21:30 (UTC-05:00)"
    assert fmt_date("2030-10-02T21:30") == "2 October 2030, 21:30"
