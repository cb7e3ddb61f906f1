"""Candidate extraction: one test per date, number and quote pattern (real spaCy, no mocks)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.analysis.candidates import extract_candidates, person_mentions, place_mentions
from digest.analysis.dates import DateValue, date_mentions, is_specific, normalise_date
from digest.model import Article
from digest.analysis.nlp import article_text
from digest.analysis.numbers import format_number, number_mentions, parse_number, parse_ordinal
from digest.analysis.quotes import find_quotes, quote_mentions

TUE = date(2024, 5, 14)  # Tuesday 14 May 2024


# --- dates: one test per pattern of dates.PATTERNS -------------------------------------------

@pytest.mark.parametrize("text,tense,expected", [
    ("2024-05-16", None, "2024-05-16"),                      # iso
    ("May 16-17", None, "2024-05-16/2024-05-17"),             # month-day range
    ("May 16", None, "2024-05-16"),                           # month-day
    ("March 21, 2023", None, "2023-03-21"),                   # month-day with year
    ("Sept. 3", "past", "2023-09-03"),                        # abbreviated month, past -> last year
    ("16 May 2024", None, "2024-05-16"),                      # day-month
    ("16-17 May", None, "2024-05-16/2024-05-17"),             # day-month range
    ("March 2023", None, "2023-03"),                          # month-year
    ("October", "future", "2024-10"),                         # month, future
    ("last October", None, "2023-10"),                        # month, last
    ("October", "past", "2023-10"),                           # month, past tense
    ("1949", None, "1949"),                                   # year
    ("Thursday", None, "2024-05-16"),                         # weekday: nearest
    ("Thursday", "future", "2024-05-16"),                     # weekday, future
    ("Monday", "past", "2024-05-13"),                         # weekday, past
    ("last Tuesday", None, "2024-05-07"),                     # weekday, last
    ("next Tuesday", None, "2024-05-21"),                     # weekday, next
    ("early on Thursday", None, "2024-05-16"),                # weekday with "early on"
    ("Thursday evening", None, "2024-05-16"),                 # weekday with part of day
    ("yesterday", None, "2024-05-13"),                        # deictic
    ("tomorrow", None, "2024-05-15"),                         # deictic
])
def test_normalise_date_with_publication_date(text, tense, expected):
    assert normalise_date(text, TUE, tense).value == expected


@pytest.mark.parametrize("text,expected", [
    ("Thursday", "Thursday"),          # weekday words kept, never guessed
    ("last October", "last October"),  # relative month kept as words
    ("yesterday", "yesterday"),
])
def test_without_publication_date_relative_words_stay_words(text, expected):
    value = normalise_date(text, None)
    assert value == DateValue(expected, relative=True)
    assert not is_specific(value)


def test_month_day_without_year_is_iso_without_year():
    assert normalise_date("May 16-17", None).value == "--05-16/--05-17"


def test_mid_month_keeps_approximation():
    assert normalise_date("mid-March", TUE, "past") == DateValue("2024-03", approx="mid")


@pytest.mark.parametrize("text", ["this week", "ten days", "recent weeks", "the 1990s", "20:41"])
def test_vague_expressions_are_not_dates(text):
    assert normalise_date(text, TUE) is None


def test_date_mentions_use_tense_and_event(nlp):
    doc = nlp("Moscow announced on Monday that Putin would visit China on May 16-17. "
              "He will arrive on Thursday.")
    found = {m.text: m for m in date_mentions(doc, "2024-05-14T19:12")}
    assert found["Monday"].value.value == "2024-05-13"
    assert found["May 16-17"].value.value == "2024-05-16/2024-05-17"
    assert found["May 16-17"].event == "visit"
    assert found["Thursday"].value.value == "2024-05-16"


# --- numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("words,value", [
    (["a", "dozen"], 12), (["two", "dozen"], 24), (["27"], 27), (["5,000"], 5000),
    (["3.5", "million"], 3.5e6), (["five"], 5), (["twenty", "-", "five"], 25),
    (["two", "hundred"], 200), (["5bn"], 5e9), (["forty"], 40),
])
def test_parse_number(words, value):
    assert parse_number(words) == value


def test_parse_number_rejects_words():
    assert parse_number(["dozens"]) is None and parse_number(["a"]) is None


def test_parse_ordinal_and_format():
    assert parse_ordinal("75th") == 75 and parse_ordinal("fifth") == 5 and parse_ordinal("five") is None
    assert format_number(12) == "12" and format_number(5000) == "5,000" and format_number(5e9) == "5 billion"


def _numbers(nlp, text):
    return {(n.key, n.value, n.approx) for n in number_mentions(nlp(text), set())}


def test_number_with_counted_noun_and_approximation(nlp):
    assert ("bilateral document", "12", "about") in _numbers(
        nlp, "About a dozen bilateral documents are expected to be signed during the visit.")


def test_people_injured_and_killed_use_synonym_sets(nlp):
    found = _numbers(nlp, "At least 27 people were injured and five killed in the crash.")
    assert ("injured", "27", "at least") in found
    assert ("killed", "5", None) in found


@pytest.mark.parametrize("text,key", [
    ("Seven people died in the fire.", "killed"),
    ("Seven people are dead after the fire.", "killed"),
    ("The fire left seven people hurt.", "injured"),
    ("Seven were wounded in the attack.", "injured"),
    ("The death toll rose to 7.", "killed"),
])
def test_role_synonyms(nlp, text, key):
    assert any(k == key and v == "7" for k, v, _ in _numbers(nlp, text))


def test_ordinal_anniversary(nlp):
    found = {(n.key, n.value) for n in number_mentions(nlp("The visit marks the 75th anniversary of ties."), set())}
    assert ("anniversary (nth)", "75th") in found


def test_duration_after_event_and_length_of_event(nlp):
    found = _numbers(nlp, "The two-day visit began exactly ten days after his inauguration.")
    assert ("visit length", "2 days", None) in found
    assert ("days after inauguration", "10 days", "exactly") in found


def test_age(nlp):
    found = _numbers(nlp, "Putin, aged 71, and Xi, aged 70, will attend.")
    assert ("age of Putin", "71", None) in found and ("age of Xi", "70", None) in found


@pytest.mark.parametrize("text,approx", [
    ("More than 50 people were arrested.", "more than"),
    ("Nearly 50 people were arrested.", "nearly"),
    ("Up to 50 people were arrested.", "up to"),
    ("Roughly 50 people were arrested.", "about"),
])
def test_approximation_phrases(nlp, text, approx):
    assert ("arrested", "50", approx) in _numbers(nlp, text)


def test_money(nlp):
    assert any(v == "$5 billion" and k.startswith("charge") for k, v, _ in _numbers(nlp, "Goldman took a $5 billion charge."))


@pytest.mark.parametrize("text", [
    "The two leaders met.",               # a reference, not a count
    "One of them spoke.",                 # bare number
    "Dozens of people gathered.",         # vague plural
    "It rose 20 percent.",                # a share of nothing
])
def test_junk_numbers_are_dropped(nlp, text):
    assert _numbers(nlp, text) == set()


# --- quotes ----------------------------------------------------------------------------------

def test_find_quotes_skips_scare_quotes():
    text = 'He called it an “old friend.” “We will act very soon on this,” she said.'
    assert [q[2] for q in find_quotes(text)] == ["We will act very soon on this"]


def test_quote_speaker_is_subject_of_speech_verb(nlp):
    doc = nlp("“It is very important that our partnership lasts,” Ushakov has said.")
    assert [(q.speaker, q.quote) for q in quote_mentions(doc)] == [
        ("Ushakov", "It is very important that our partnership lasts")]


def test_described_speaker_resolves_to_person_named_before(nlp):
    doc = nlp("Putin’s aide Yury Ushakov said the talks would be long. Xi Jinping will host them.\n\n"
              "“It is very important under the current circumstances,” the Kremlin aide noted.")
    assert [q.speaker for q in quote_mentions(doc)] == ["Yury Ushakov"]


def test_pronoun_speaker_resolves_to_last_person(nlp):
    doc = nlp("Sergey Lavrov arrived late.\n\n“We are ready for any talks at all,” he told reporters.")
    assert [q.speaker for q in quote_mentions(doc)] == ["Sergey Lavrov"]


def test_according_to_gives_the_speaker(nlp):
    doc = nlp("The talks will cover “issues of bilateral cooperation in trade,” according to the Kremlin.")
    assert [q.speaker for q in quote_mentions(doc)] == ["Kremlin"]


# --- places, people, the whole extraction ----------------------------------------------------

def test_event_places_only(nlp):
    doc = nlp("Putin landed in Beijing and will travel to Harbin. Moscow said the West is declining.")
    assert [name for name, _ in place_mentions(doc)] == ["Beijing", "Harbin"]


def test_people_with_roles(nlp):
    doc = nlp("He will also meet with Premier Li Qiang. Chinese President Xi Jinping hosted him; Xi smiled.")
    found = {name: role for name, role, _ in person_mentions(doc)}
    assert found["Li Qiang"] == "Premier"
    assert found["Xi Jinping"] == "Chinese President"


def test_extract_candidates_paragraphs_and_kinds(nlp):
    article = Article(id="a", source_path="a.txt", format="txt", title="Putin arrives in China",
                      title_derived=False, published="2024-05-15T20:41", outlet="RT", url=None,
                      author=None, standfirst=None,
                      paragraphs=("Russian President Vladimir Putin has landed in Beijing for his first trip abroad.",
                                  "About a dozen bilateral documents are expected to be signed during the visit."))
    text, paragraph_of = article_text(article)
    cands = extract_candidates(nlp(text), article, paragraph_of)
    kinds = {c.kind for c in cands}
    assert {"place", "person", "number", "claim"} <= kinds
    number = next(c for c in cands if c.kind == "number")
    assert (number.key, number.value, number.approx, number.paragraph) == ("bilateral document", "12", "about", 1)
    assert all(c.paragraph >= 0 for c in cands if c.kind == "claim")


# --- robustness: arbitrary text never raises ---------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.sampled_from([None, "past", "future"]))
def test_normalise_date_never_raises(text, tense):
    value = normalise_date(text, TUE, tense)
    assert value is None or isinstance(value.value, str)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=8), max_size=4))
def test_parse_number_never_raises(words):
    parse_number(words)


def test_quote_dominated_sentences_are_not_claims(nlp):
    article = Article(id="q", source_path="q.txt", format="txt", title=None, title_derived=False,
                      published=None, outlet=None, url=None, author=None, standfirst=None,
                      paragraphs=("“We will rebuild the whole harbour together with every family,” the mayor said.",))
    text, paragraph_of = article_text(article)
    kinds = [c.kind for c in extract_candidates(nlp(text), article, paragraph_of)]
    assert "quote" in kinds and "claim" not in kinds


def test_named_owner_of_a_count_is_kept(nlp):
    found = _numbers(nlp, "Bank of America Corp. will take a $3 billion charge.")
    assert ("charge @Bank of America Corp.", "$3 billion", None) in found
    assert ("charge", "$5 billion", None) in _numbers(nlp, "The bank estimated a $5 billion charge.")


def _candidates(nlp, *paragraphs, published="2020-06-10T09:00"):
    article = Article(id="b", source_path="b.txt", format="txt", title=None, title_derived=False,
                      published=published, outlet=None, url=None, author=None, standfirst=None,
                      paragraphs=paragraphs)
    text, paragraph_of = article_text(article)
    return extract_candidates(nlp(text), article, paragraph_of)


def test_a_past_year_marks_another_event_as_background(nlp):
    cands = _candidates(nlp, "In 2009 a 30-tonne crane fell onto the bridge at another site.",
                        "Four workers were injured when the scaffold collapsed on Tuesday.")
    crane = next(c for c in cands if c.kind == "number" and "30" in c.value)
    assert crane.background.startswith("past year 2009")
    injured = next(c for c in cands if c.kind == "number" and c.key == "injured")
    assert injured.background == ""


def test_since_a_year_is_not_background(nlp):
    cands = _candidates(nlp, "The club won its first title since 1950, beating the holders by 12 points today.")
    assert all(not c.background for c in cands)


def test_a_number_in_the_main_clause_stays_when_the_year_is_subordinate(nlp):
    cands = _candidates(nlp, "The ferry, which was built in 1998, carried 120 passengers on Monday.")
    assert next(c for c in cands if c.kind == "number" and c.value == "120").background == ""


def test_list_of_other_events_is_background(nlp):
    cands = _candidates(nlp, "Three people were killed in the fire on Monday.",
                        "Here are some of the worst fires of the past decade:",
                        "Harbour warehouse: 12 killed",
                        "A blaze at a warehouse near the harbour kills 12 people.")
    numbers = [c for c in cands if c.kind == "number"]
    assert [c.value for c in numbers if not c.background] == ["3"]
    assert all(c.background.startswith("after a list") for c in numbers if c.value == "12")


def test_a_short_heading_line_is_background(nlp):
    cands = _candidates(nlp, "Harbour warehouse: 12 killed", "The new fire killed three people on Monday.")
    assert next(c for c in cands if c.kind == "number" and c.value == "12").background == "list heading line"


def test_a_weekday_naming_a_full_date_is_not_resolved_on_its_own(nlp):
    cands = _candidates(nlp, "The rocket launches from the cosmodrome on Monday, Nov. 24, 2014, with three crew.",
                        published="2016-09-21T10:00")
    assert sorted(c.value for c in cands if c.kind == "date") == ["2014-11-24"]


# --- recall of counts (issue #17): made-up sentences, one per rule ----------------------------

def _mentions(nlp, text):
    return {(n.key, n.value, n.qualifiers) for n in number_mentions(nlp(text), set())}


def test_count_modifying_a_role_adjective(nlp):
    assert any(k == "killed" and v == "40" for k, v, _ in _mentions(nlp, "The blast left at least 40 dead."))


def test_others_count_only_with_a_role(nlp):
    assert ("injured", "300", ()) in _mentions(nlp, "More than 300 others were injured in the storm.")
    assert _mentions(nlp, "Two others said they saw it.") == set()


def test_subset_and_nationality_qualifiers_make_another_quantity(nlp):
    assert ("killed", "4", ("of",)) in _mentions(nlp, "Four of them were killed.")
    found = _mentions(nlp, "The fire killed 80 people, including 9 Canadian citizens.")
    assert ("killed", "80", ()) in found
    assert any(q and "including" in q for _, v, q in found if v == "9")


def test_a_total_is_no_subset_of_itself(nlp):
    # "among 27 injured": the 27 are all the injured, the two citizens the part.
    found = _mentions(nlp, "Two Nordlander citizens were among 27 people injured when the bus overturned.")
    assert ("injured", "27", ()) in found
    # The severity of a later number is not the total's: 25 injured, of whom four critically.
    found = _mentions(nlp, "Twenty-five people were injured, four of them critically, the hospital said.")
    assert ("injured", "25", ()) in found
    assert ("injured", "3", ("critically",)) in _mentions(nlp, "Three people were critically injured.")


def test_price_per_share_names_the_offer(nlp):
    found = _numbers(nlp, "The company raised its bid to $45 a share, up from a previous offer of $40 a share.")
    assert ("offer per share", "$45", None) in found and ("initial offer per share", "$40", None) in found


def test_age_of_a_child_whatever_the_noun(nlp):
    assert ("age of child", "6", None) in _numbers(nlp, "A six-year-old girl climbed the fence.")
    assert ("age of child", "5", None) in _numbers(nlp, "A 5-year-old slipped in.")
    assert not any(k == "age of child" for k, _, _ in _numbers(nlp, "A 40-year-old man climbed the fence."))


def test_range_is_its_upper_bound_approximately(nlp):
    found = {(n.value, n.approx, n.text) for n in number_mentions(nlp("The climber fell 30 to 40 feet into the moat."), set())}
    assert ("40 foot", "about", "30 to 40 feet") in found
