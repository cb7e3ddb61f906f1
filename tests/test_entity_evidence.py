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


# ---------------------------------------------------------------------------------------
# Issue #16, round 2: names cut from a longer name, glued words, plurals, styled names


@pytest.mark.parametrize("surface, sentence, others, kw, cut", [
    ("Murray", "He is a partner at the law firm Tods Murray, in town.", [], {}, True),  # cut on the left
    ("Fenwick", "Fenwick-Lowe ran down the wing.", [], {"after_only": True}, True),  # a hyphenated surname
    ("Pacific Fleet", "The Pacific Fleet Command said so.", [], {}, True),
    ("Civic Media", "The Alliance for Civic Media was set up.", [], {}, True),  # 'X for [Y]'
    ("Garden", "He said Oak Zoo and Garden was shut.", [], {}, True),
    ("Tim Cook", "Apple CEO Tim Cook spoke.", ["Apple"], {}, False),  # a title in front
    ("Ella Roe", "UN envoy Ella Roe spoke.", ["UN"], {"after_only": True}, False),
    ("Xinhua", "He told China's Xinhua news agency.", ["China"], {}, False),  # a possessive
    ("Orbix", "The California-based Orbix makes chips.", [], {}, False),  # an adjective
    ("Germany", "Talks with France and Germany ended.", ["France"], {}, False),  # another name
    ("Germany", "Talks with Germany Monday ended.", [], {}, False),  # a date word
    ("Orbix", "Orbix TV shows it.", [], {}, False),  # an acronym after it
    ("Orbix", "Stay with Orbix 8.1 for now.", [], {}, False),  # a version
    ("Austin", "He flew to Austin Friday.", [], {}, False),
    ("US", "The US Navy said so.", [], {"place": True}, False),  # a place as a modifier
    ("Quick Menu", "Settings Of The Quick Menu Update Now", [], {}, False),  # a title-case line
])
def test_names_cut_from_a_longer_name(surface, sentence, others, kw, cut):
    assert ev.is_cut_name(surface, sentence, others, **kw) is cut


def test_a_place_naming_a_team():
    sentence = "The former Harbour Rovers coach left."
    assert ev.names_a_team_or_body("Harbour", sentence, ["Rovers"])
    assert not ev.names_a_team_or_body("Harbour", "The Harbour Council met.", ["Council"])  # no team's plural
    assert not ev.names_a_team_or_body("Harbour", sentence, [])


@pytest.mark.parametrize("surface, stray", [('Glass House" Season 2', True), ('Dwayne "The Rock" Johnson', False),
                                            ("Harbour Point", False)])
def test_stray_quotes(surface, stray):
    assert ev.has_stray_quote(surface) is stray


@pytest.mark.parametrize("surface, prefixed", [("post-World War II", True), ("anti-Brexit", True),
                                               ("iPhone", False), ("Abdel-Fattah", False)])
def test_prefixed_adjectives(surface, prefixed):
    assert ev.is_prefixed_adjective(surface) is prefixed


def test_headline_runs():
    headline = "Mayor Condemns 'Reckless' Closing Of Harbour Bridge Over Weekend"
    assert ev.is_headline_run("Reckless' Closing Of Harbour Bridge Over Weekend", headline)
    assert not ev.is_headline_run("Bank of Harbour Point", "He joined the Bank of Harbour Point in May.")


def test_multi_word_demonyms_and_group_plurals():
    assert ev.is_demonym("north harbourers", {"north harbour"}) and ev.is_demonym("north koreans", {"north korea"})
    assert not ev.is_demonym("north harbour rovers", {"north harbour"})
    assert ev.is_demonym("europhiles", set()) and ev.is_demonym("islamists", set())
    assert not ev.is_demonym("rovers", set()) and not ev.is_demonym("lists", set())


def test_glued_words_come_off_a_name():
    s1 = "Ada Lovelace said the talks went well."
    index = build_index([
        analysed("a", ("Ada Lovelace", "PERSON", s1), ("Ada Lovelace", "PERSON", s1),
                 ("Striker Bolt", "PERSON", "Striker Bolt scored twice."), ("Bolt", "PERSON", "Bolt said so."),
                 ("Bolt 87", "LAW", "Ruiz 9, Bolt 87."),
                 ("Defence Ada Lovelace", "ORG", "The Minister of Defence Ada Lovelace said so."),
                 ("PARTY Ada Lovelace", "PERSON", "PARTY Ada Lovelace smiles as she arrives."),
                 ("Harbour Cup - good", "EVENT", "The Harbour Cup - good news for all."),
                 ("Harbour Cup", "EVENT", "He won the Harbour Cup again.")),
    ])
    assert names(index) >= {"Ada Lovelace", "Bolt", "Harbour Cup"}
    assert not names(index) & {"Striker Bolt", "Bolt 87", "Defence Ada Lovelace", "PARTY Ada Lovelace",
                               "Harbour Cup - good"}


def test_a_coordination_of_two_names_is_two_mentions():
    index = build_index([
        analysed("a", ("Oakfield", "ORG", "Oakfield won."), ("Riverside", "ORG", "Riverside lost."),
                 ("Oakfield and Riverside", "ORG", "The gap to Oakfield and Riverside grew."),
                 ("Trinidad and Tobago", "GPE", "He flew to Trinidad and Tobago.")),
    ])
    assert "Oakfield and Riverside" not in names(index)
    assert "Trinidad and Tobago" in names(index)  # 'Tobago' is never named alone
    e = next(e for e in index.entities if e.name == "Oakfield")
    assert len(index.by_article["a"]) and next(r for r in index.by_article["a"] if r.entity == e.id).mentions == 2


def test_the_plural_of_a_things_name_is_the_thing():
    index = build_index([
        analysed("a", ("Orbis Motor", "ORG", "Orbis Motor makes cars."), ("Orbis Motor", "ORG", "Orbis Motor grew."),
                 ("Orbis Motors", "PERSON", "Orbis Motors 'to get new engines'")),
    ])
    assert [e.name for e in index.entities] == ["Orbis Motor"]


def test_a_style_title_stays_with_a_one_word_name():
    from digest.aggregate.entities import styled_name
    from digest.aggregate.entity_mentions import Occurrence

    def occ(role):
        return Occurrence("a", None, "Latifa", "latifa", "person", "", role)
    assert styled_name("Latifa", [occ("rap star Queen"), occ(None)]) == "Queen Latifa"
    assert styled_name("Latifa", [occ("President"), occ(None)]) == "Latifa"  # an office, not a style
    assert styled_name("Latifa", [occ("Queen"), occ("Lady")]) == "Latifa"  # no single style
    assert styled_name("Ada Lovelace", [occ("Lady")]) == "Ada Lovelace"


def test_the_fullest_form_of_an_organisations_name_is_its_name():
    from digest.aggregate.entities import canonical_name
    from digest.aggregate.entity_mentions import Occurrence

    def occ(surface):
        from digest.text.names import name_key
        return Occurrence("a", None, surface, name_key(surface), "organization", "", None)
    assert canonical_name([occ("Orbis Media Enterprises"), occ("Orbis Media")], "organization") == \
        "Orbis Media Enterprises"
    # a headline's longer run used less often does not win
    assert canonical_name([occ("North Harbour"), occ("North Harbour"), occ("North Harbour Test")],
                          "place") == "North Harbour"


def test_a_lone_surname_joins_a_full_name_only_in_a_shared_context():
    team = "Ruiz, Bolt, Grant; Stone."
    index = build_index([
        analysed("a", ("Bolt", "PERSON", team), ("Ruiz", "PERSON", team)),
        analysed("b", ("Pete Bolt", "PERSON", "His co-defendant Pete Bolt was cleared."),
                 ("Old Bailey", "FAC", "The trial at the Old Bailey ended.")),
        analysed("c", ("Mia Kell", "PERSON", "Mia Kell won at Harbour Park."),
                 ("Harbour Park", "FAC", "Mia Kell won at Harbour Park.")),
        analysed("d", ("Kell", "PERSON", "Kell won again at Harbour Park."),
                 ("Harbour Park", "FAC", "Kell won again at Harbour Park.")),
        *[analysed(f"z{i}", ("Filler", "ORG", "Filler said so.")) for i in range(20)],
    ])
    assert ent(index, "Bolt").name == "Bolt"  # a team sheet and a court report share nothing
    assert ent(index, "Kell").name == "Mia Kell"  # both write about Harbour Park


def ent(index, surface):
    hits = [e for e in index.entities if surface == e.name or surface in e.aliases]
    assert len(hits) == 1, (surface, index.entities)
    return hits[0]


def test_an_organisation_cut_on_its_left_is_read_whole():
    from digest.aggregate.entity_evidence import name_before

    sentence = "Fans came to see the Harbour Lights and Quay Street Band play, said Ann."
    assert name_before("Quay Street Band", sentence) == "Harbour Lights and Quay Street Band"
    assert name_before("Tidewater Museum", "We met at the Greyford Tidewater Museum today.") == "Greyford Tidewater Museum"
    # Capitals that start the sentence prove nothing; nothing before the name, nothing to add.
    assert name_before("Quay Street Band", "Then Quay Street Band played.") is None
    assert name_before("Quay Street Band", "Quay Street Band played.") is None
    assert name_before("Quay Street Band", "He saw the Quay Street Band.") is None
