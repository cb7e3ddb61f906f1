"""Wire copies (AP, Reuters, AFP, ...): recognised from dateline, credit line and byline; one
origin wherever they run; shown as the agency's copy, never "republished from" another outlet."""

from __future__ import annotations

from dataclasses import replace

from digest.aggregate.facts.republish import find_republished
from digest.aggregate.facts.wire import agency_of_name, byline_agency, find_wires, wire_agency
from digest.model import Article, Dropped


def art(aid: str, paragraphs: tuple[str, ...], published: str = "2024-05-14T10:00", outlet: str | None = None,
        author: str | None = None, url: str | None = None, dropped: tuple[Dropped, ...] = ()) -> Article:
    return Article(id=aid, source_path=f"{aid}.txt", format="txt", title=None, title_derived=False,
                   published=published, outlet=outlet or f"outlet-{aid}", url=url, author=author,
                   standfirst=None, paragraphs=paragraphs, dropped=dropped)


def test_agency_names():
    assert agency_of_name("The Associated Press") == "AP"
    assert agency_of_name("Reuters Editorial") == "Reuters"
    assert agency_of_name("Agence France-Presse") == "AFP"
    assert agency_of_name("Australian Associated Press") == "AAP"
    assert agency_of_name("Jane Doe") is None


def test_byline_only_the_agency():
    assert byline_agency("The Associated Press") == "AP"
    assert byline_agency("Reuters Editorial, 3 Min Read") == "Reuters"
    assert byline_agency("Jane Doe For Example.com, Associated Press") is None  # the outlet's rewrite
    assert byline_agency("Jane Doe") is None and byline_agency(None) is None


def test_dateline_credit():
    assert wire_agency(art("a", ("SPRINGFIELD, Ill. (AP) — A bridge closed on Monday after a flood.",))) == "AP"
    assert wire_agency(art("b", ("(Reuters) - A mining firm raised its offer on Tuesday.",))) == "Reuters"
    assert wire_agency(art("c", ("LYON, France, May 3 (AFP) -- Two trains collided.",))) == "AFP"
    assert wire_agency(art("d", ("A bridge closed on Monday, the mayor told The Associated Press.",))) is None


def test_copyright_line_not_photo_credit():
    credit = Dropped("Copyright 2024 The Associated Press. All rights reserved.", "template line")
    assert wire_agency(art("a", ("A bridge closed on Monday.",), dropped=(credit,))) == "AP"
    photo = ("Image copyright Reuters Image caption The bridge was closed.", "A bridge closed on Monday.",
             "The bridge was shut ©Jane Doe (AFP/File)")
    assert wire_agency(art("b", photo)) is None


def test_agency_own_site_is_the_original():
    original = art("r", ("(Reuters) - A mining firm raised its offer on Tuesday.",), outlet="Reuters",
                   url="https://uk.reuters.com/article/x")
    assert wire_agency(original) is None


SHARED = ("A bridge over the river closed on Monday after the flood waters rose higher than at any "
          "time since records began in the small town, officials said.")


def test_same_wire_is_one_origin_and_named_as_wire():
    first = art("w1", (f"SPRINGFIELD (AP) — {SHARED}",), published="2024-05-14T08:00", outlet="One Post")
    copy = art("w2", (f"SPRINGFIELD — {SHARED}",), published="2024-05-14T09:00", outlet="Two Times",
               author="The Associated Press")
    other = art("w3", ("LONDON (Reuters) - The bridge closed on Monday after the flood.",),
                published="2024-05-14T10:00", outlet="Three Daily")
    articles = [first, copy, other]
    republished = find_republished(articles, find_wires(articles))
    assert republished == {"w2": "w1"}  # one AP origin; Reuters is another
    assert find_wires(articles, republished) == {"w1": "AP", "w2": "AP", "w3": "Reuters"}


def test_copy_of_a_wire_copy_runs_the_wire():
    first = art("w1", (f"SPRINGFIELD (AP) — {SHARED}",), published="2024-05-14T08:00", outlet="One Post")
    copy = art("w2", (SHARED,), published="2024-05-14T09:00", outlet="Two Times")
    republished = find_republished([first, copy])
    assert find_wires([first, copy], republished) == {"w1": "AP", "w2": "AP"}


def test_agency_wire_copies_are_one_outlet_even_without_shared_text():
    a = art("a", ("SPRINGFIELD (AP) — The bridge closed on Monday.",), published="2024-05-14T08:00", outlet="One")
    b = art("b", ("SPRINGFIELD (AP) — Flood waters kept rising on Tuesday.",), published="2024-05-15T08:00", outlet="Two")
    assert find_republished([a, b], find_wires([a, b])) == {"b": "a"}


def test_story_page_names_the_wire_not_republished():
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).parent))
    from digest_fixture import make_digest
    from digest.render import RenderOptions, render_pages

    digest = make_digest()
    stories = []
    for story in digest.stories:
        facts = tuple(replace(f, sources=tuple(replace(s, wire="AP") if s.republished_from else s for s in f.sources))
                      for f in story.facts)
        wires = {copy: "AP" for copy in story.republished}
        stories.append(replace(story, facts=facts, wire=wires))
    pages = render_pages(replace(digest, stories=tuple(stories)), RenderOptions(site_url="https://example.org/"))
    page = pages["stories/grey-heron-ferry-grounding.md"]
    injured = next(ln for ln in page.splitlines() if ln.startswith("| Injured"))
    assert "(AP wire)" in injured and "(republished)" not in injured
    assert "AP wire copy" in page and "republished from" not in page


def test_offer_value_rows_fold_the_storys_own_target():
    from digest.aggregate.facts.rows import Names, _fold_target, number_label
    from digest.model import EntityIndex
    names = Names(EntityIndex(entities=(), by_article={}))
    assert _fold_target("offer value for #Zenith @Acme", names, {"zenith"}) == "offer value @Acme"
    assert _fold_target("offer value for #Nordco", names, {"zenith"}) == "offer value for Nordco"
    assert number_label("offer value", names) == "Offer value"
    assert number_label("initial offer value", names) == "Initial offer value"
