"""Corpus evidence for entities (aggregate/entity_evidence.py, entity_variants.py): one test per
rule on short synthetic strings, then the rules at work in build_index."""

from __future__ import annotations

from collections import Counter

import pytest

from digest.aggregate import entity_evidence as ev
from digest.aggregate import entity_variants as var
from digest.aggregate.entities import build_index
from digest.model import AnalysedArticle, Article, Mention

STATS = ev.WordStats.of([
    "The concert ended when the ocean rose over the bay and the media arrived.",
    "A diagram of the resort and the hotel was shown, and the festival went on.",
    "She deployed the team north of the city; then she tranquilized the lion with a tranquilizer.",
    "Officials met at the Harbour Point hotel, where the Harbour Point staff waited.",
    "Reporters from Media Matters asked about the media again and again, and the media answered.",
    "It was a morning of rain in the north.",
])


def test_word_stats_count_lowercase_and_mid_sentence_capitals():
    assert STATS.lower["concert"] == 1 and STATS.capital["harbour"] == 2
    assert STATS.common("Concert") and not STATS.common("Harbour")
    assert STATS.mostly_lowercase("Media")  # 4 lowercase, 1 capitalised mid-sentence
    assert not STATS.mostly_lowercase("Concert")  # once is not "mostly"


@pytest.mark.parametrize("words, title", [
    ("Smoke Rings Spotted In The Ocean From Space".split(), True),
    ("The concert ended when the ocean rose".split(), False),
    ("Harbour Point".split(), False),  # too short to tell
])
def test_title_case_lines(words, title):
    assert ev.is_title_case(words) is title


@pytest.mark.parametrize("surface, sentence, ordinary", [
    ("Athletic", "Dr. Muntz told The Athletic that he was fine.", True),
    ("Diagram", "Diagram of the new resort and its gardens.", False),  # first word
    ("Diagram", "“Diagram of the resort", False),  # quote, then first word
    ("Quick Menu", "Settings: Quick Menu", False),  # a label line
    ("Ocean", "Smoke Rings Spotted In The Ocean From Space", False),  # a headline
])
def test_ordinary_position(surface, sentence, ordinary):
    assert ev.in_ordinary_position(surface, sentence) is ordinary


@pytest.mark.parametrize("surface, date", [
    ("September 15", True), ("Friday", True), ("Monday 3rd", True), ("May", True),
    ("Theresa May", False), ("March Madness", False), ("Game 7", False),
])
def test_date_names(surface, date):
    assert ev.is_date_name(surface) is date


@pytest.mark.parametrize("surface, fragment", [
    ("I'm on the 32nd", True), ("I’m on the 32nd", True), ("We Were There", True), ("Don't Stop", True),
    ("World War I", False), ("US", False), ("Harbour Point", False), ("Henry I", False),
])
def test_sentence_fragments(surface, fragment):
    assert ev.is_sentence_fragment(surface) is fragment


def test_quoted_titles():
    assert ev.quoted("Cry Me a River", "By the time he lurches into “Cry Me a River,” it ends.")
    assert not ev.quoted("I’m on the 32nd", "“I’m on the 32nd floor.")


def test_run_on_parts():
    assert ev.run_on_parts("Ada LovelaceAda") == [("Lovelace", "Ada")]
    assert ev.run_on_parts("McDonald") == []  # "Mc" is two letters: a name prefix
    assert ev.run_on_parts("LeBron James") == []


@pytest.mark.parametrize("surface, run", [
    ("Harbour Festival NORTH", True),  # "north" is written in lowercase: a map label
    ("HOTEL BROKEN", False),  # "broken" is never written here: cannot tell
    ("CONCERT OCEAN", True),
    ("NASA Goddard", False),  # never written in lowercase: an acronym
    ("NEW HARBOUR", False),
    ("OCEAN HARBOUR RESORT", True),  # three shouted words, two written in lowercase: a menu line
    ("NASA ESA JAXA", False),
])
def test_shouted_runs(surface, run):
    assert ev.is_shouted_run(surface, STATS) is run


@pytest.mark.parametrize("surface, common", [
    ("Concert", True), ("Ocean", True), ("Diagram", True), ("Harbour Point", False), ("US", False),
    ("Resort and Hotel", True),
])
def test_common_word_names(surface, common):
    assert ev.is_common_words(surface, STATS) is common


@pytest.mark.parametrize("surface, gerund", [
    ("Deploying Missiles", True),  # "deployed" is written
    ("Tranquilizing Lions", True),  # "tranquilizer" is written
    ("Tranquilizing Leo", True),  # "tranquilized"
    ("Morning Lark", False),  # "morning" is written, but no other form of a verb
    ("Sterling Moss", False), ("Deploying", False),
])
def test_leading_gerunds(surface, gerund):
    assert ev.leading_gerund(surface, STATS) is gerund


@pytest.mark.parametrize("surface, sentence, role, cue", [
    ("Chirper", "He said on Chirper that he was sorry.", None, "organization"),
    ("Tarsen", "Talks were held in Tarsen.", None, "place"),
    ("Tarsen", "Talks in Tarsen's suburbs ended.", None, None),  # possessive: no place evidence
    ("Bush", "Officials in the Bush administration left.", None, None),  # a modifier
    ("Acme", "Acme shareholders voted.", None, "organization"),
    ("Acme", "It bought Acme, which makes chips.", None, "organization"),
    ("Orbitex", "He worked for Orbitex, the aerospace company, for years.", None, "organization"),
    ("Pell", "Pell said the bridge would open.", None, "person"),
    ("Pell", "The plan, Pell, who is 60, said, was good.", None, "person"),
    ("Pell", "Mayor Pell opened it.", None, "person"),
    ("Pell", "It opened.", "mayor", "person"),
])
def test_kind_cues(surface, sentence, role, cue):
    cues = ev.kind_cues(surface, sentence, role)
    assert (cues.most_common(1)[0][0] if cues else None) == cue


def test_evidence_kind():
    thing = [("Chirper", "He said on Chirper that it was over.", None)] * 3
    assert ev.evidence_kind("person", thing, Counter({"person": 3})) == "organization"
    mixed = thing + [("Chirper", "Chirper said it was over.", None)] * 4
    assert ev.evidence_kind("person", mixed, Counter({"person": 7})) == "person"
    places = [("Tarsen", "Talks were held in Tarsen, then in Lviv.", None)] * 2
    assert ev.evidence_kind("person", places, Counter({"person": 2})) == "place"
    legal = [("Acme Inc.", "Acme Inc. said so.", None), ("Acme", "Acme said so.", None)]
    assert ev.evidence_kind("person", legal, Counter({"person": 2})) == "organization"
    assert ev.evidence_kind("place", places, Counter()) == "place"
    told = [("Morning Herald", "A resident told The Morning Herald that he left.", None)]
    assert ev.evidence_kind("event", told, Counter({"event": 1})) == "organization"
    assert ev.evidence_kind("event", [("Super Bowl", "He told the Super Bowl crowd.", None)] * 2 +
                            [("Super Bowl", "It was the Super Bowl.", None)] * 3, Counter()) == "event"


# ---------------------------------------------------------------------------------------
# entity_variants


class UF:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        while self.parent.get(x, x) != x:
            x = self.parent[x]
        return x

    def union(self, a, b):
        self.parent[self.find(b)] = self.find(a)


def test_a_person_name_cut_before_a_short_part_joins_the_full_name():
    uf = UF()
    var.merge_extended_people(uf, ["lee jae", "lee jae in", "park ji", "park ji woo", "park ji min", "ann smith"])
    assert uf.find("lee jae") == uf.find("lee jae in")
    assert uf.find("park ji") not in {uf.find("park ji woo"), uf.find("park ji min")}  # two could be meant


def test_generic_words_after_a_name():
    uf = UF()
    kinds = {"harbour point": "place", "harbour point resort": "organization", "harbour point hotel": "place",
             "harbour point city": "place", "harbour point times": "organization", "ann lee": "person",
             "ann lee hotel": "organization"}
    var.merge_generic_tails(uf, kinds, {}, STATS)
    root = uf.find("harbour point")
    assert uf.find("harbour point resort") == root and uf.find("harbour point hotel") == root
    assert uf.find("harbour point city") != root and uf.find("harbour point times") != root
    assert uf.find("ann lee hotel") != uf.find("ann lee")  # people are not venues


@pytest.mark.parametrize("short, long, yes", [
    ("Calif.", "California", True), ("Pa.", "Pennsylvania", True), ("Ariz.", "Arizona", True),
    ("Ill.", "Iowa", False), ("Ariz.", "Austria", False), ("Calif.", "Cal", False),
])
def test_abbreviates(short, long, yes):
    assert var.abbreviates(short, long) is yes


def test_dotted_abbreviation():
    assert var.is_dotted_abbreviation("Calif.") and not var.is_dotted_abbreviation("U.S.")
    assert not var.is_dotted_abbreviation("Mr") and not var.is_dotted_abbreviation("CALIF.")


def test_place_abbreviation_joins_the_one_place_of_its_articles():
    uf = UF()
    var.merge_place_abbreviations(uf, {"pa": {"a"}, "ill": {"b"}},
                                  {"pennsylvania": {"a"}, "paris": {"c"}, "peru": {"b"}},
                                  {"pa": "Pa.", "ill": "Ill.", "pennsylvania": "Pennsylvania", "paris": "Paris"})
    assert uf.find("pa") == uf.find("pennsylvania") and uf.find("ill") == "ill"


# ---------------------------------------------------------------------------------------
# the rules inside build_index


def _article(id: str, *paragraphs: str) -> Article:
    return Article(id=id, source_path=f"{id}.txt", format="txt", title=None, title_derived=False,
                   published=None, outlet="Outlet", url=None, author=None, standfirst=None,
                   paragraphs=tuple(paragraphs))


def analysed(id: str, *mentions: tuple[str, str, str], text: tuple[str, ...] = ()) -> AnalysedArticle:
    """mentions: (text, spaCy label, sentence)."""
    ms = tuple(Mention(text=t, label=label, paragraph=0, sentence=sentence) for t, label, sentence in mentions)
    sentences = tuple((0, s) for s in text) + tuple((0, m[2]) for m in mentions)
    return AnalysedArticle(article=_article(id, *text), mentions=ms, candidates=(), sentences=sentences, terms=())


def names(index) -> set[str]:
    return {e.name for e in index.entities}


def test_junk_names_are_left_out():
    index = build_index([
        analysed("a", ("Concert", "PERSON", "Concert goers fled."), ("Ada LovelaceAda", "PERSON", "Ada LovelaceAda"),
                 ("Ada Lovelace", "PERSON", "The governor, Ada Lovelace, spoke."),
                 ("September 15", "EVENT", "Watch it on Friday September 15"),
                 ("I'm on the 32nd", "WORK_OF_ART", "“I'm on the 32nd floor."),
                 ("Cry Me a River", "WORK_OF_ART", "He sang “Cry Me a River,” then left."),
                 ("Harbour Point", "FAC", "They met at Harbour Point on Monday."),
                 text=("The concert was long and the concert was loud.",)),
    ])
    assert names(index) == {"Ada Lovelace", "Cry Me a River", "Harbour Point"}


def test_a_name_typed_person_written_like_a_thing_is_not_a_person():
    index = build_index([
        analysed(f"a{i}", ("Chirper", "PERSON", "She announced it on Chirper that night."),
                 ("Chirper", "PERSON", "Fans reacted on Chirper."), ("Leyla Arslan", "PERSON", "Leyla Arslan said so."))
        for i in range(3)
    ])
    labels = {e.name: e.label for e in index.entities}
    assert labels == {"Chirper": "organization", "Leyla Arslan": "person"}


def test_variants_merge_in_build_index():
    index = build_index([
        analysed("a", ("Lee Jae-in", "PERSON", "President Lee Jae-in spoke."),
                 ("Harbour Point Resort", "FAC", "They stayed at the Harbour Point Resort in town."),
                 ("Pennsylvania", "GPE", "It rained in Pennsylvania today."), ("Pa.", "GPE", "ERIE, Pa. — It rained.")),
        analysed("b", ("Lee Jae", "PERSON", "Mr. Lee Jae met him."),
                 ("Harbour Point", "FAC", "They stayed at Harbour Point on Monday."),
                 text=("The resort was full and the resort was loud.",)),
    ])
    ids = {alias: e.id for e in index.entities for alias in (e.name, *e.aliases)}
    assert ids["Lee Jae"] == ids["Lee Jae-in"]
    assert ids["Harbour Point"] == ids["Harbour Point Resort"]
    assert ids["Pa."] == ids["Pennsylvania"]


def test_an_initial_that_fits_two_people_joins_neither():
    index = build_index([
        analysed("a", ("Martin Jolson", "PERSON", "Martin Jolson said so.")),
        analysed("b", ("Michael Jolson", "PERSON", "Michael Jolson said so.")),
        analysed("c", ("M Jolson", "PERSON", "M Jolson said so.")),
    ])
    ids = {alias: e.id for e in index.entities for alias in (e.name, *e.aliases)}
    assert len({ids["Martin Jolson"], ids["Michael Jolson"], ids["M Jolson"]}) == 3


def test_an_organisation_or_a_country_keeps_its_longer_names():
    index = build_index([
        analysed("a", ("Tory Party", "ORG", "He left the Tory Party in May."),
                  ("Tory Party Conference", "EVENT", "At the Tory Party Conference he spoke."),
                  ("UK", "GPE", "Rain fell in the UK today."), ("UK Government", "ORG", "The UK Government said no.")),
        analysed("b", ("Tory Party", "ORG", "He joined the Tory Party then."), text=("The conference and the government met.",)),
    ])
    ids = {alias: e.id for e in index.entities for alias in (e.name, *e.aliases)}
    assert ids["Tory Party"] != ids["Tory Party Conference"] and ids["UK"] != ids["UK Government"]


@pytest.mark.parametrize("surface, listed", [
    ("Vignal, Prso", True), ("Terry, Bridge", True), ("Apple, Inc.", False), ("Harbour Point", False),
    ("Martin Luther King, Jr.", False),
])
def test_lists_of_names(surface, listed):
    assert ev.is_list(surface) is listed


@pytest.mark.parametrize("surface, sentence, clock", [
    ("GMT", "Kick-off is at 15:00 GMT on Saturday.", True), ("ET", "Watch at 10 p.m. ET tonight.", True),
    ("BST", "From 9am BST the line opens.", True), ("GMT", "GMT said its profits rose.", False),
])
def test_time_zones_after_a_clock_time(surface, sentence, clock):
    assert ev.after_clock_time(surface, sentence) is clock


def test_demonyms():
    places = {"london", "texas", "paris", "harbour point"}
    assert ev.is_demonym("londoners", places) and ev.is_demonym("texans", places)
    assert not ev.is_demonym("giants", places) and not ev.is_demonym("london", places)
