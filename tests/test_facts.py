"""Key-facts alignment: status, synonym sets, republished copies, quotes, ids (real spaCy)."""

from __future__ import annotations

import pytest

from digest.aggregate.facts import build_facts
from digest.aggregate.facts.claims import claim_rows
from digest.aggregate.facts.republish import find_republished
from digest.model import AnalysedArticle, Article, Candidate, EntityIndex
from digest.analysis.nlp import analyse


def art(aid: str, paragraphs: tuple[str, ...], published: str | None = "2024-05-14T10:00",
        outlet: str | None = None, title: str | None = None) -> Article:
    return Article(id=aid, source_path=f"{aid}.txt", format="txt", title=title, title_derived=False,
                   published=published, outlet=outlet or f"outlet-{aid}", url=None, author=None,
                   standfirst=None, paragraphs=paragraphs)


EMPTY = EntityIndex(entities=(), by_article={})


@pytest.fixture(scope="module")
def crash(nlp) -> list[AnalysedArticle]:
    return analyse([
        art("a", ("At least five people were killed and 27 injured when a bus crashed in Lyon on Monday.",
                  "The driver said the brakes failed on the steep road near the river."),
            published="2024-05-14T08:00"),
        art("b", ("Seven people died and 27 were hurt in a bus crash in Lyon on Monday, police said.",
                  "Investigators believe the brakes failed on a steep road near the river."),
            published="2024-05-14T18:00"),
        art("c", ("Seven people are dead after a bus crash near Lyon, officials said on Tuesday.",),
            published="2024-05-15T09:00"),
    ], nlp)


def fact(facts, fid):
    return next(f for f in facts.facts if f.id == fid)


def test_synonyms_align_killed_dead_died_and_conflict(crash):
    facts = build_facts(crash, EMPTY)
    killed = fact(facts, "number-killed")
    assert {s.article: s.value for s in killed.sources} == {"a": "5", "b": "7", "c": "7"}
    assert killed.status == "conflict"  # an early "at least five" against a later "seven"
    assert killed.value == "7"


def test_injured_hurt_agree(crash):
    injured = fact(build_facts(crash, EMPTY), "number-injured")
    assert injured.status == "agreed" and {s.article for s in injured.sources} == {"a", "b"}


def test_place_row_and_date_row(crash):
    facts = build_facts(crash, EMPTY)
    lyon = fact(facts, "place-lyon")
    assert lyon.status == "agreed" and {s.article for s in lyon.sources} == {"a", "b", "c"}
    dated = [f for f in facts.facts if f.kind == "date"]
    assert any(f.value == "2024-05-13" for f in dated)
    assert facts.timeline and facts.timeline[0].date == "2024-05-13"


def test_similar_sentences_become_one_claim(crash):
    facts = build_facts(crash, EMPTY)
    claims = [f for f in facts.facts if f.kind == "claim"]
    brakes = [f for f in claims if "brakes" in f.value]
    assert len(brakes) == 1 and {s.article for s in brakes[0].sources} == {"a", "b"}
    assert len(facts.summary) >= 2 and len(facts.summary[0].articles) >= 2


def test_exclusive_lists_rows_only_one_outlet_has(crash):
    facts = build_facts(crash, EMPTY)
    for outlet, ids in facts.exclusive.items():
        for fid in ids:
            outlets = {f"outlet-{s.article}" for s in fact(facts, fid).sources}
            assert outlets == {outlet}


def test_fact_ids_are_unique_and_stable(crash):
    first = [f.id for f in build_facts(crash, EMPTY).facts]
    again = [f.id for f in build_facts(list(reversed(crash)), EMPTY).facts]
    assert len(first) == len(set(first))
    assert sorted(first) == sorted(again)


SHARED = ("About a dozen bilateral documents are expected to be signed during the visit, along with "
          "numerous commercial deals and regional agreements.")


def test_copied_text_marks_republished_and_is_not_corroboration(nlp):
    story = analyse([
        art("x", ("The president arrived in Beijing for talks on trade.", SHARED), published="2024-05-14T10:00"),
        art("y", ("The president landed in Beijing for trade talks.", SHARED), published="2024-05-15T10:00"),
    ], nlp)
    facts = build_facts(story, EMPTY)
    assert facts.republished == {"y": "x"}
    docs = fact(facts, "number-bilateral-documents")
    assert docs.status == "single"  # two articles, one origin
    assert [s.republished_from for s in docs.sources] == [None, "x"]


def test_quotes_are_not_copying():
    quote = "“It is very important under the current circumstances that our partnership is resistant,”"
    a = art("p", (f"{quote} Ushakov said on Monday.",), published="2024-05-14")
    b = art("q", (f"{quote} the Kremlin aide noted in Moscow.",), published="2024-05-15")
    assert find_republished([a, b]) == {}


def test_second_article_of_same_outlet_is_republished():
    a = art("p", ("One thing happened.",), published="2024-05-14", outlet="www.rt.com")
    b = art("q", ("Another thing happened.",), published="2024-05-15", outlet="rt.com")
    assert find_republished([b, a]) == {"q": "p"}


def test_quote_matched_across_wordings(nlp):
    story = analyse([
        art("m", ("Putin’s aide Yury Ushakov briefed reporters.",
                  "“It is very important under the current circumstances that our partnership demonstrate "
                  "it is resistant to any outside meddling,” Ushakov has said."), outlet="one"),
        art("n", ("Yury Ushakov, a Kremlin aide, spoke on Tuesday.",
                  "“It is very important under the current circumstances that our partnership demonstrates "
                  "it is resistant to any outside meddling,” the Kremlin aide noted."), outlet="two"),
    ], nlp)
    quotes = [f for f in build_facts(story, EMPTY).facts if f.kind == "quote"]
    assert len(quotes) == 1
    assert quotes[0].id == "quote-yury-ushakov-outside-meddling"
    assert {s.article for s in quotes[0].sources} == {"m", "n"}
    assert "demonstrate it" in quotes[0].sources[0].text and "demonstrates it" in quotes[0].sources[1].text


def test_claims_need_two_independent_origins():
    def cand(text):
        return Candidate(kind="claim", key="", value=text, text=text, paragraph=0, sentence=text)
    one = AnalysedArticle(art("a", ()), (), (cand("The bridge over the river Rhone collapsed after heavy rain fell."),), (), ())
    two = AnalysedArticle(art("b", ()), (), (cand("After heavy rain the bridge over the Rhone river collapsed."),), (), ())
    assert len(claim_rows([one, two], {})) == 1
    assert claim_rows([one, two], {"b": "a"}) == []


# --- junk filters (facts/junk.py): one test per rule -------------------------------------------

def _single(kind, key, value, speaker=None, sentence="A sentence.", published="2024-05-14"):
    cand = Candidate(kind=kind, key=key, value=value, text=value, paragraph=0, sentence=sentence,
                     speaker=speaker)
    return AnalysedArticle(art("s", (), published=published), (), (cand,), (), ())


def _kinds(story, index=EMPTY):
    return [(f.kind, f.value) for f in build_facts(story, index).facts]


def test_unattributed_single_quote_is_dropped():
    assert _kinds([_single("quote", "", "We will rebuild the whole harbour together")]) == []


def test_single_person_needs_an_office():
    assert _kinds([_single("person", "Eric Paddock", "brother")]) == []
    assert _kinds([_single("person", "Li Qiang", "Premier")]) == [("person", "Premier")]


def test_year_alone_and_old_dates_are_background():
    assert _kinds([_single("date", "declare", "1949")]) == []
    assert _kinds([_single("date", "declare", "2022-02")]) == []  # two years before the article
    assert _kinds([_single("date", "visit", "2024-05-16")]) == [("date", "2024-05-16")]


def test_small_plain_counts_are_dropped_but_roles_stay():
    assert _kinds([_single("number", "small plane", "2")]) == []
    assert _kinds([_single("number", "injured", "1")]) == [("number", "1")]


def test_count_of_someone_else_is_not_a_conflict(nlp):
    story = analyse([
        art("g1", ("Goldman Sachs will take a $5 billion charge from the new tax law, the bank said.",),
            title="Goldman Sachs takes $5 billion tax charge"),
        art("g2", ("Goldman Sachs expects a $5 billion charge, while Bank of America Corp. will take a "
                   "$3 billion charge.",), title="Goldman Sachs expects tax charge"),
    ], nlp)
    from digest.aggregate.entities import build_index

    facts = build_facts(story, build_index(story))
    charge = fact(facts, "number-charges")
    assert charge.status == "agreed" and charge.value == "$5 billion"
    assert not any(f.status == "conflict" for f in facts.facts)


def test_plain_counts_weeks_apart_are_different_facts():
    from digest.aggregate.facts.rows import Row
    from digest.aggregate.facts.values import split_number_row

    def cand(value, sentence):
        return Candidate(kind="number", key="fall distance", value=value, text=value, paragraph=0, sentence=sentence)
    row = Row("number", "fall distance", "Fall distances")
    row.add("a", cand("1,180 km", "The missile fell into the sea east of Cape Erimo on Hokkaido, Suga said."))
    row.add("b", cand("2,000 km", "The missile fell into the sea east of Cape Erimo on Hokkaido, Suga said."))
    assert len(split_number_row(row, {}, {"a": "2017-08-29", "b": "2017-08-30"})) == 1  # a conflict
    assert split_number_row(row, {}, {"a": "2017-08-29", "b": "2017-09-15"}) == []  # two launches, one source each


# --- this event, not another (facts/scope.py) ---------------------------------------------------

def _claim(aid, text, background, title="Ferry Aurora sinks off the coast"):
    cand = Candidate(kind="claim", key="", value=text, text=text, paragraph=0, sentence=text,
                     background=background)
    return AnalysedArticle(art(aid, (text,), title=title), (), (cand,), (), ())


def test_background_candidates_leave_with_a_trace():
    story = [_claim("a", "In 1998 another ferry sank in the same strait with 40 aboard.", "past year 1998 (subject: another ferry)"),
             _claim("b", "In 1998 a different ferry sank in the same strait with 40 people aboard.", "past year 1998 (subject: a different ferry)")]
    built = build_facts(story, EMPTY)
    assert [f for f in built.facts if f.kind == "claim"] == []
    assert sum("past year 1998" in line for line in built.trace) == 2


def test_a_past_year_about_the_story_subject_is_its_history():
    story = [_claim("a", "The Aurora was built in 1998 at a yard in the north of the country.", "past year 1998 (subject: The Aurora)"),
             _claim("b", "Built in 1998 at a northern yard, the Aurora was the country's largest ferry.", "past year 1998 (subject: the Aurora)")]
    assert [f.kind for f in build_facts(story, EMPTY).facts if f.kind == "claim"] == ["claim"]


def test_list_lines_always_leave():
    story = [_claim("a", "Harbour warehouse: 12 killed in a blaze near the docks that night", "list heading line"),
             _claim("b", "Harbour warehouse: 12 killed in a blaze near the docks that night", "list heading line")]
    assert build_facts(story, EMPTY).facts == ()


def test_values_far_apart_are_not_one_conflict():
    def cand(aid, value, text):
        c = Candidate(kind="number", key="people sign", value=value, text=text, paragraph=0,
                      sentence=f"{text} the petition to the council on the harbour plan.")
        return AnalysedArticle(art(aid, ()), (), (c,), (), ())
    story = [cand("a", "2,000", "2,000 people signed"), cand("b", "300,000", "300,000 people have signed")]
    assert [f for f in build_facts(story, EMPTY).facts if f.status == "conflict"] == []


def test_an_age_of_someone_the_story_is_not_about_is_no_row():
    assert _kinds([_single("number", "age of Little One", "26")]) == []


# --- recall of counts (issue #17) --------------------------------------------------------------

def _num(aid, key, value, paragraph=0, qualifiers=()):
    return Candidate(kind="number", key=key, value=value, text=value, paragraph=paragraph,
                     sentence=f"{value} {key}.", qualifiers=qualifiers)


def _story(*cands_by_article):
    return [AnalysedArticle(art(aid, ()), (), tuple(cands), (), ()) for aid, cands in cands_by_article]


def test_qualified_counts_are_other_rows_not_conflicts():
    from digest.aggregate.facts.rows import Names, number_rows
    rows = number_rows(_story(("a", [_num("a", "injured", "40")]),
                              ("b", [_num("b", "injured", "6", qualifiers=("critically",))])), Names(EMPTY))
    assert sorted(r.label for r in rows) == ["Injured", "Injured (critically)"]


def test_large_figure_aligns_across_nouns():
    from digest.aggregate.facts.rows import Names, number_rows
    rows = number_rows(_story(("a", [_num("a", "hit", "$7 billion")]), ("b", [_num("b", "charge", "$7 billion")]),
                              ("c", [_num("c", "charge", "$2 billion")])), Names(EMPTY))
    seven = [r for r in rows if "a" in r.cells]
    assert len(seven) == 1 and set(seven[0].cells) == {"a", "b"}
    assert all("c" not in r.cells for r in seven)


def test_an_article_with_two_ages_for_one_key_gives_neither():
    from digest.aggregate.facts.rows import Names, number_rows
    rows = number_rows(_story(("a", [_num("a", "age of child", "4"), _num("a", "age of child", "7")]),
                              ("b", [_num("b", "age of child", "4")])), Names(EMPTY))
    assert [set(r.cells) for r in rows] == [{"b"}]


def test_headline_figure_is_the_cell():
    from digest.aggregate.facts.rows import Row
    row = Row("number", "killed", "Killed")
    row.add("a", _num("a", "killed", "30", paragraph=-2))
    row.add("a", _num("a", "killed", "31", paragraph=-1))
    assert row.cells["a"].value == "31"


@pytest.mark.parametrize("key,label", [("fall size", "Fall height"), ("offer per share", "Offer per share"),
                                       ("gorilla weight", "Gorilla weight"), ("killed [of]", "Killed (part)")])
def test_number_labels_read_as_words(key, label):
    from digest.aggregate.facts.rows import Names, number_label
    assert number_label(key, Names(EMPTY)) == label
