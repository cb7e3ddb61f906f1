"""Cleaning inside lines (one-paragraph records, inline widgets, diagram labels, bios) and the
not-an-article judgement on page structure. Every text here is synthetic, written for the test."""

from __future__ import annotations

from digest.cleaning import clean_article
from digest.cleaning.kinds import evidence, is_prose, media_kind, not_article_reason
from digest.cleaning.lines import drop_boilerplate, pieces, strip_inline
from digest.cleaning.rules import is_diagram_labels, rule_reason
from digest.cleaning.templates import Templates
from digest.model import Dropped, Metadata, RawArticle

NEWS = [
    "The harbour bridge reopened to traffic on Monday after six months of repairs, the city council said.",
    "Engineers replaced all 48 cables and repainted the steel deck, which had rusted in several places.",
    "“We are glad to have our bridge back,” said Mira Holt, who chairs the transport committee.",
    "The repairs cost about 12 million crowns, slightly less than planned, according to the council.",
    "Ferries that ran while the bridge was closed will stop on Friday, the harbour office said.",
    "Traffic was light on the first morning, but queues formed at the northern ramp by noon.",
    "The council will decide next month whether to add a cycle lane on the eastern side.",
    "Residents of the old town said the noise of the works had kept them awake for months.",
]


def raw(text: str, fmt: str = "json", **meta) -> RawArticle:
    return RawArticle(id="a", source_path=f"articles/a.{fmt}", format=fmt, text=text, meta=Metadata(**meta))


# --- one-paragraph records ---------------------------------------------------------------------

def test_one_paragraph_record_loses_only_its_furniture():
    text = " ".join(NEWS[:4] + ["Copyright 2030 Example Wire. All rights reserved."] + NEWS[4:])
    a = clean_article(raw(text, title="Bridge reopens"), Templates())
    assert a.not_article is None
    body = " ".join(a.paragraphs)
    assert all(sentence in body for sentence in NEWS)
    assert "All rights reserved" not in body
    assert {d.reason for d in a.dropped} == {"copyright notice"}


def test_one_sentence_bulletin_glued_to_a_copyright_line_is_kept():
    text = ("HARBOUR CITY — The harbour bridge reopened on Monday after six months of repairs, officials said. "
            "Copyright 2030 Example Wire. All rights reserved. This material may not be published, broadcast, "
            "rewritten or redistributed.")
    a = clean_article(raw(text, title="Bridge reopens"), Templates())
    assert a.paragraphs == ("HARBOUR CITY — The harbour bridge reopened on Monday after six months of repairs, "
                            "officials said.",)
    assert a.not_article is None


def test_caption_before_a_credit_goes_with_it_inside_a_long_line():
    caption = "A ferry waits at the quay on Monday. (Photo: Ada Quill/Example Wire)"
    text = " ".join(NEWS[:3] + [caption] + NEWS[3:])
    a = clean_article(raw(text, title="Bridge reopens"), Templates())
    assert "A ferry waits at the quay" not in " ".join(a.paragraphs)
    assert [d.reason for d in a.dropped] == ["photo caption", "photo caption"]


def test_an_abbreviation_in_parentheses_is_not_a_credit():
    line = " ".join(NEWS[:3] + ["The rules were set by the Environmental Protection Agency (EPA)."] + NEWS[3:])
    dropped: list[Dropped] = []
    assert drop_boilerplate([line], Templates(), dropped) == [line]
    assert dropped == []


def test_short_furniture_line_beside_a_call_to_action_goes_whole():
    dropped: list[Dropped] = []
    kept = drop_boilerplate(["Chat with us in Facebook Messenger. Find out what is new in the world today."],
                            Templates(), dropped)
    assert kept == [] and len(dropped) == 2


def test_pieces_cut_after_a_glued_credit():
    assert pieces("The quay at dawn (Photo: A. Quill) The ferry left at six.") == [
        "The quay at dawn (Photo: A. Quill)", "The ferry left at six."]


# --- furniture inside lines --------------------------------------------------------------------

def test_inline_promo_widget_is_cut_out_of_the_sentence():
    dropped: list[Dropped] = []
    line = "Mayor Jo DoeJoanna Mary DoeHarbour mayor says the bridge will open… MORE said on Monday it was safe."
    assert strip_inline(line, dropped) == "Mayor Jo Doe said on Monday it was safe."
    assert dropped == [Dropped("Joanna Mary DoeHarbour mayor says the bridge will open… MORE", "promo widget")]


def test_camel_case_names_and_capitals_are_not_widgets():
    dropped: list[Dropped] = []
    line = "Senator McAllister and YouTube said MORE checks were needed… MORE or less."
    assert strip_inline(line, dropped) == line and dropped == []


def test_transcript_speaker_tag_before_speech():
    dropped: list[Dropped] = []
    assert strip_inline("JANE ROE, HOST: Good morning from the harbour.", dropped) == "Good morning from the harbour."
    assert dropped == [Dropped("JANE ROE, HOST:", "transcript speaker tag")]
    assert strip_inline("LONDON: The bridge reopened.", []) == "LONDON: The bridge reopened."


def test_map_and_diagram_labels():
    labels = ("NORTH GATE RIVER ROAD Harbour Bridge The ferry left from the quay. MAIN STAGE CROWD 200 FEET "
              "OLD TOWN HALL The crowd gathered here.")
    assert is_diagram_labels(labels)
    assert rule_reason(labels) == "map or diagram labels"
    assert not is_diagram_labels("The FBI and the NSA briefed NATO officials and the EU on Monday.")
    assert not is_diagram_labels("LACKING DETAIL")


def test_author_bio_closing_the_text_is_dropped():
    dropped: list[Dropped] = []
    lines = NEWS[:2] + ["About the Author", "Jo Doe is a harbour reporter living in the old town."]
    assert drop_boilerplate(lines, Templates(), dropped) == NEWS[:2]
    assert [d.reason for d in dropped] == ["author bio", "author bio"]
    # A heading followed by more article text is left alone.
    assert drop_boilerplate(["About the author", *NEWS], Templates(), []) == ["About the author", *NEWS]


# --- the not-an-article judgement ------------------------------------------------------------------

def test_prose_is_sentences_with_lowercase_words():
    assert is_prose(NEWS[0])
    assert not is_prose("Harbour v Rivertown")
    assert not is_prose("NORTH GATE MAIN STAGE RIVER ROAD OLD TOWN HALL.")


def test_a_report_with_a_fixture_list_is_an_article():
    fixtures = [f"Harbour {i} v Rivertown {i}" for i in range(20)]
    assert not_article_reason("Harbour draw made", NEWS * 2 + fixtures, []) is None


def test_a_headline_naming_search_is_not_a_search_page():
    assert not_article_reason("Search engines fight for the desktop", NEWS * 2, []) is None
    assert not_article_reason("Search engines fight for the desktop", NEWS[:2], []) is None
    assert not_article_reason("Search results for 'bridge'", NEWS[:2], []) == "search results page"


def test_a_long_results_list_is_a_search_page_whatever_its_prose():
    results = [line for i, sentence in enumerate(NEWS * 2) for line in (f"Bridge story {i}", "12 May 2030", sentence)]
    assert not_article_reason("Results for: bridge", results, []) == "search results page"
    assert not_article_reason("Search", results[:12], []) == "search results page"  # weak title, little prose
    assert not_article_reason("Results for: bridge", NEWS * 3, []) is None  # prose, no list: an article


def test_teaser_list_is_an_index_page():
    teasers = [f"Bridge story {i}: the council said on Monday that the works would…" for i in range(6)]
    assert not_article_reason("Bridge", teasers, []).startswith("list of teasers")


def test_embedded_post_roundup():
    posts = [f"What a day for the harbour! — Fan {i} (@fan{i}) March 3, 2030" for i in range(6)]
    assert not_article_reason("Fans react", NEWS[:1] + posts, []).startswith("roundup of embedded")


def test_video_and_programme_pages_need_little_prose_and_their_address():
    assert media_kind("https://example.test/videos/us/2030/01/01/bridge.html") == "video page"
    assert media_kind("https://example.test/shows/harbour-hour/123-episode/") == "programme page"
    assert media_kind("https://example.test/news/bridge-reopens") is None
    assert media_kind(None, [Dropped("Media playback is unsupported on your device", "video widget")]) == "video page"
    one = NEWS[:1]
    assert not_article_reason("Bridge", one, [], url="https://example.test/videos/bridge").startswith("video page")
    assert not_article_reason("Bridge", NEWS * 3, [], url="https://example.test/videos/bridge") is None


def test_thin_articles_stay_articles():
    # A one-sentence wire bulletin, or an empty body under a description that states the news.
    assert not_article_reason("Bridge reopens", NEWS[:1], []) is None
    assert not_article_reason("Bridge reopens", [], [], standfirst=NEWS[0]) is None
    assert not_article_reason("Bridge", [], [Dropped("Share this", "share prompt")]).startswith("too little")
    # A newsletter prompt is not a paywall: a thin article keeps its place.
    assert not_article_reason("Bridge", NEWS[:1], [Dropped("Subscribe now!", "subscribe prompt")]) is None


def test_evidence_counts():
    e = evidence(NEWS + ["Harbour v Rivertown", "https://example.test/x"], [])
    assert e.lines == 10 and e.link_like == 2 and e.prose_words > 100 and e.media is None


def test_caption_without_a_credit_or_a_final_stop_between_paragraphs():
    caption = "Rescuers search the river bank near the old bridge on Monday morning"
    lines = ["Bridge reopens", "A standfirst without a final stop under the title here", *NEWS[:3], caption,
             *NEWS[3:]]
    dropped: list[Dropped] = []
    kept = drop_boilerplate(lines, Templates(), dropped)
    assert caption not in kept and dropped == [Dropped(caption, "caption or note (no final stop)")]
    assert kept[:2] == lines[:2]  # the head of the page is not looked at
    # Not in HTML text (its unpunctuated lines are headings), not in a list, not a cut-off line.
    assert drop_boilerplate(lines, Templates(), [], scraped_text=False) == lines
    items = [f"Harbour {i} and the long list of ferry routes that run all night" for i in range(3)]
    assert drop_boilerplate(NEWS[:4] + items + NEWS[4:], Templates(), []) == NEWS[:4] + items + NEWS[4:]
    cut = "The ferry that crossed the harbour every night for forty years was sold to"
    assert cut in drop_boilerplate(NEWS[:4] + [cut] + NEWS[4:], Templates(), [])


def test_every_form_of_embedded_post_counts():
    forms = ["Great day! — Fan (@fan) March 3, 2030", "Look at this pic.twitter.com/abc123",
             "Quay at dawn A post shared by Sam (@sam.lee) on Jun 3, 2030 at 4:12pm PDT"]
    assert evidence(forms, []).embeds == 3


def test_snippets_and_bare_urls():
    e = evidence(["The council said on Monday that the works would...", "The ferry will stop… (more)",
                  "https://example.test/bridge", "www.example.test/ferry"], [])
    assert e.snippets == 2 and e.link_like == 2 and e.prose_words == 0


def test_a_short_exclamation_beside_furniture_goes_with_it():
    dropped: list[Dropped] = []
    line = "Fifty years of the Gazette! Click to read this week's archive story."
    assert drop_boilerplate([line], Templates(), dropped) == []
    assert [d.reason for d in dropped] == ["site promotion", "site promotion"]
    # In a one-paragraph record the pieces are judged one by one, and an exclamation of the
    # article stays when no furniture is beside it.
    text = " ".join(["What a day for the harbour!", *NEWS])
    assert drop_boilerplate([text], Templates(), []) == [text]
