"""Cleaning: one test per boilerplate pattern, header detection, paragraphs, templates, non-articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.cleaning import clean_article, learn_templates
from digest.text.dates import normalise_iso, parse_date
from digest.cleaning.header import dateline, derive_title
from digest.cleaning.kinds import not_article_reason
from digest.cleaning.rules import RULES, rule_reason
from digest.cleaning.templates import Templates, learn
from digest.cleaning.text import line_key, lines_of, sentences, split_paragraph
from digest.model import Dropped, Metadata, RawArticle

# (line, reason): every pattern in rules.RULES must drop at least one of these.
RULE_EXAMPLES = [
    ("icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon closeicon", "icon and widget list"),
    ("Oops!", "widget error text"),
    ("• Something went wrong.", "widget error text"),
    ("Please try again later.", "widget error text"),
    ("Oops! Something went wrong. Please try again later.", "widget error text"),
    ("An error has occurred, please try again later.", "widget error text"),
    ("File photo: The presidential airplane in Geneva, June 2021.", "photo caption"),
    ("FILE - In this Dec. 13, 2016, file photo, the logo appears above a trading post.", "photo caption"),
    ("The airplane in Geneva. © Alessandro della Valle - Pool/Keystone via Getty Images", "photo caption"),
    ("Chart on phone image via Shutterstock", "photo caption"),
    ("Telegram's apps have been pulled from the App Store. (Photo: Telegram)", "photo caption"),
    ("Harambe in an undated handout photo provided by the zoo. [Photo/Agencies]", "photo caption"),
    ("The price of bitcoin rose by 900% last year. Photograph: George Frey/Getty Images", "photo caption"),
    ("Putin talks on the phone before his inauguration in the Kremlin. -/Kremlin/dpa", "photo caption"),
    ("Steve Mollenkopf Photographer: Patrick T. Fallon/Bloomberg", "photo caption"),
    ("Putin welcomes Xi at the Kremlin in Moscow, March 21, 2023. (Xinhua/Xie Huanchi)", "photo caption"),
    ("Offshore firms created by Mossack Fonseca (AFP/File)", "photo caption"),
    ("Getty - Contributor Russia shares a 24-mile border with North Korea", "photo caption"),
    ("Handout - Getty The South dropped bombs near the North", "photo caption"),
    ("GETTY Bitcoin has fallen to its lowest point since November", "photo caption"),
    ("Getty Images Chicago Cubs celebrate winning the World Series", "photo caption"),
    ("David Becker/Getty Images", "photo caption"),
    ("Image copyright Reuters Image caption The boy was found after the search", "photo caption"),
    ("Image caption Rescuers have spent days trying to reach the boy", "photo caption"),
    ("Enlarge this image toggle caption Joe Raedle/Getty Images Joe Raedle/Getty Images", "photo caption"),
    ("Enlarge Image Google", "photo caption"),
    ("(Courtesy of Cincinnati Zoo and Botanical Garden)", "photo caption"),
    ("Facebook Twitter Pinterest A fan reacts after the Cubs won Game 7.", "photo caption"),
    ("Photos: Mass shooting at Las Vegas music festival Police stand at the scene. Hide Caption 27 of 30",
     "gallery slide caption"),
    ("Timberlake plays the piano. Hide Caption 11 of 12", "gallery slide caption"),
    ("Photos: Celebrity splits Naomi Watts and Liev Schreiber. Hide Caption", "gallery slide caption"),
    ("Slideshow (2 Images)", "gallery slide caption"),
    ("NASA space station Mon, July 18, 2016. Play slideshow Getty Images 1 of 35", "gallery slide caption"),
    ("1 of 26 Full Screen Autoplay Close Skip Ad × The Chicago Cubs win", "gallery slide caption"),
    ("Photo", "media placeholder"),
    ("Video", "media placeholder"),
    ("Media playback is unsupported on your device", "video widget"),
    ("Media playback is not supported on this device Chicago Cubs fans go wild", "video widget"),
    ("Scroll down for video", "video widget"),
    ("JUST WATCHED Why does North Korea keep launching ICBMs? Replay More Videos ... MUST WATCH", "video widget"),
    ("Your browser does not support iframes.", "video widget"),
    ("Skip Twitter post by @durov", "embedded post widget"),
    ("Comments", "comments widget"),
    ("12 Comments", "comments widget"),
    ("View all 35 comments", "comments widget"),
    ("Join the conversation See the latest news and share your comments with CNN Health.", "comments widget"),
    ("Read more:", "related link"),
    ("READ MORE: 2 lions killed in Chile zoo", "related link"),
    ("Lloyds Bank bans customers from buying bitcoins using credit cards Read more", "related link"),
    ("More: Iran blocks messaging app Telegram used by protesters", "related link"),
    ("Related: 34 things to know about the new tax law", "related link"),
    ("Related stories OH NO, MO Moeen Ali doubt to bowl", "related link"),
    ("Related What Do the Grammys Have Against Women?", "related link"),
    ("Continue reading…", "related link"),
    ("SEE MORE: Hong Kong protests: 800 students under siege in university", "related link"),
    ("[Related: Salesforce Dreamforce Keynote: AI, Integration And Protestors]", "related link"),
    ("Also on rt.com Journalists threatened with sedition arrests", "related link"),
    ("China furious at Macron for Hong Kong protest jibe [INSIGHT]|", "related link"),
    ("Read or Share this story: https://usat.ly/2FDg8kl", "share prompt"),
    ("Share this article", "share prompt"),
    ("Share Tweet Email", "share prompt"),
    ("Like this story? Share it with a friend!", "share prompt"),
    ("This article has been sent to", "share prompt"),
    ("Sign up for BREAKING NEWS Emails privacy policy Thanks for subscribing!", "subscribe prompt"),
    ("Newsletter Sign Up Continue reading the main story Please verify you're not a robot", "subscribe prompt"),
    ("Keep up with this story and more by subscribing now", "subscribe prompt"),
    ("Get the Mach newsletter. SUBSCRIBE", "subscribe prompt"),
    ("Subscribe to Updates", "subscribe prompt"),
    ("Get the day’s top headlines delivered to your inbox every morning by subscribing to our newsletter.",
     "subscribe prompt"),
    ("Interested in Weather? Add Weather as an interest to stay up to date. Add Interest", "subscribe prompt"),
    ("Please register with your social account to comment", "register prompt"),
    ("Sign in to read the full story", "register prompt"),
    ("Advertisement", "advertisement"),
    ("Advertisement Continue reading the main story", "advertisement"),
    ("Advertisement - Continue Reading Below", "advertisement"),
    ("Story continues below advertisement", "advertisement"),
    ("We pay for your stories! Do you have a story for The Sun Online news team?", "reader appeal"),
    ("Chat with us in Facebook Messenger. Find out what's happening in the world.", "reader appeal"),
    ("If you enjoyed this article, we have a proposition for you: Join NRPLUS.", "reader appeal"),
    ("Have a tip? Amy Kuperinsky may be reached at the newsroom.", "reader appeal"),
    ("Copyright 2018 The Associated Press. All rights reserved. This material may not be published, "
     "broadcast, rewritten or redistributed.", "copyright notice"),
    ("Copyright © 2018 NPR. Visit our website terms of use.", "copyright notice"),
    ("This copy is for your personal, non-commercial use only.", "copyright notice"),
    ("(Reporting by Malcolm Foster; Editing by Bill Tarrant)", "reporting credits"),
    ("— With assistance by Katherine Chiglinsky", "reporting credits"),
    ("Reporting by Rodrigo Campos; additional reporting by Stephanie Kelly; Editing by Nick Zieminski",
     "reporting credits"),
    ("Associated Press writers Alan Fram and Zeke Miller contributed to this report.", "reporting credits"),
    ("Email: reporter@example.test; Follow the Personal Tech Columnist @edbaig on Twitter", "author note"),
    ("Follow USA TODAY reporter Mike Snider on Twitter: @MikeSnider.", "author note"),
    ("Write to Al Root at allen.root@example.test", "author note"),
    ("Reach the reporters on Twitter at http://twitter.com/MegKinnardAP", "author note"),
    ("Kelly Wallace is a correspondent. Read her other columns at CNN Parents.", "author note"),
    ("Frida Ghitis is a columnist. The opinions expressed in this commentary are solely hers.", "author note"),
    ("Information from: Erie Times-News, http://www.goerie.com", "source credit"),
    ("For more NFL coverage: http://www.pro32.ap.org", "source credit"),
    ("___", "separator"),
    ("* * *", "separator"),
    # Synthetic lines for the site notes, embeds, promotions and transcripts (none from a corpus).
    ("The content (text, photos, video) published on this site belongs to Example Media Group.", "copyright notice"),
    ("Without written permission from the publisher, such material may not be reproduced in any form.",
     "copyright notice"),
    ("Note: Browsers with 1280*800 or higher resolution are recommended for this site.", "site note"),
    ("Visit our website terms of use and permissions pages at www.example.test for details.", "site note"),
    ("Registration Number: 123456 Registration Number: 123456", "site registration notice"),
    ("Licence for online publishing 0012345", "site registration notice"),
    ("At the fair A post shared by Sam Lee (@sam_lee) on Jun 3, 2019 at 4:12pm PDT", "embedded post caption"),
    ("View this post on Instagram", "embedded post caption"),
    ("Fifty years of the Gazette! Click to read this week's archive story.", "site promotion"),
    ("You might also like", "related link"),
    ("More from the Harbour Desk: ferries, bridges and tides", "related link"),
    ("Most popular", "related link"),
    ("Pictured: the new ferry leaving the harbour at dawn", "photo caption"),
    ("From left: the mayor, the harbour master and the engineer", "photo caption"),
    ("JANE ROE, HOST:", "transcript speaker tag"),
    ("UNIDENTIFIED PERSON #2:", "transcript speaker tag"),
    ("MIRA HOLT, BYLINE:", "transcript speaker tag"),
    ("Reuters Crowds gather on the quay as the new ferry arrives in the harbour", "photo caption"),
    ("Ada Quill / AFP A ferry passes under the bridge at dawn", "photo caption"),
    ("AP:Associated Press Queues formed at the northern ramp by noon", "photo caption"),
    ("7/20 Harbour lights The quay at night, seen from the bridge", "gallery slide caption"),
    ("+ show all Pictures of the harbour", "gallery slide caption"),
    ("Source: Harbour Office", "source credit"),
    ("(Harbour Gazette 05/03/2030 page7)", "print edition note"),
    ("[ Ten things to know about the new bridge ]", "related link"),
    ("Got a story? Email the harbour desk.", "reader appeal"),
]

# Real article lines that mention the same words and must survive.
KEEP = [
    "Russian President Vladimir Putin has landed in Beijing for his first trip abroad since re-election.",
    "“It is very important under the current circumstances that our partnership demonstrate it,” Ushakov said.",
    "Pavel Durov, the app's co-founder, said on Twitter that Apple had found inappropriate content.",
    "Facebook has banned bitcoin and other cryptocurrency adverts on its site.",
    "Video footage emerged on Saturday revealing some of the chilling moments.",
    "Photographs of the scene were shared widely, police said.",
    "Copyright law in the European Union changed in 2019, the court noted.",
    "Share prices fell 3% in early trading.",
    "Register to vote by Friday, officials urged residents of the county who have moved since the last election.",
    "Subscribers to the service will pay more from June.",
    "He told readers he wanted them to read more",
    "The comments were made at a news conference in Kazan.",
    "Harambe, who was 17, was shot dead by zookeepers",
    "LACKING DETAIL",
    "Following the incident, top US officials coordinated fully, Mattis told reporters.",
    "The newsletter, which goes to 40,000 readers, criticised the mayor on Monday.",
    "Several colleagues contributed to the fund, which raised 4,000 crowns.",
    "Reporters said the error occurred twice, but officials did not try again.",
    "Write to the council before Friday, the mayor urged residents.",
    "The company said the content belongs to its users and cannot be sold without their consent on the site.",
    "The licence number 12345 was revoked by the regulator on Monday.",
    "Click here, the instructions said, and the page would load.",
    "LONDON:",
    "The FBI and the NSA briefed NATO officials in Brussels on Monday.",
    "Above all, the mayor said, the bridge must be safe.",
    "Reuters reported the closure on Monday.",
    "EPA officials said the rule changed",
    "[The account below is based on recordings of the radio traffic.]",
    "Sources said the deal was close.",
]


def raw(text: str, ident: str = "a", fmt: str = "txt", **meta) -> RawArticle:
    return RawArticle(id=ident, source_path=f"articles/{ident}.{fmt}", format=fmt, text=text, meta=Metadata(**meta))


BODY = [
    "The harbour bridge reopened to traffic on Monday after six months of repairs, the city council said.",
    "Engineers replaced all 48 cables and repainted the steel deck, which had rusted in several places.",
    "“We are glad to have our bridge back,” said Mira Holt, who chairs the transport committee.",
    "The repairs cost about 12 million crowns, slightly less than planned, according to the council.",
]


def clean(text: str, **kw) -> object:
    return clean_article(raw(text, **kw), Templates())


# --- rules ------------------------------------------------------------------------------

@pytest.mark.parametrize("line, reason", RULE_EXAMPLES, ids=[r + ":" + l[:30] for l, r in RULE_EXAMPLES])
def test_rule_drops_line(line, reason):
    assert rule_reason(line) == reason


def test_every_rule_pattern_has_an_example():
    untested = [(reason, pattern.pattern) for reason, pattern in RULES
                if not any(pattern.search(line.lstrip("• ")) for line, r in RULE_EXAMPLES if r == reason)]
    assert untested == []


@pytest.mark.parametrize("line", KEEP)
def test_body_lines_are_kept(line):
    assert rule_reason(line) is None


# --- the seeds' patterns, end to end ------------------------------------------------------

def test_title_dateline_standfirst_and_caption_like_seed_000():
    text = ("icon bookmarkicon cameraicon checkicon closeicon editicon fbicon\n15 May, 2024 20:41\n"
            "Bridge reopens in Lumen Bay\n\nThe repairs took six months and cost less than planned\n"
            "File photo: The bridge in June 2021. © Ada Quill via Getty Images\n\n" + "\n\n".join(BODY))
    a = clean(text)
    assert a.title == "Bridge reopens in Lumen Bay" and not a.title_derived
    assert a.published == "2024-05-15T20:41"
    assert a.standfirst == "The repairs took six months and cost less than planned"
    assert a.paragraphs == tuple(BODY)
    assert [d.reason for d in a.dropped] == ["icon and widget list", "photo caption", "dateline"]


def test_caption_repeating_the_title_is_dropped():
    a = clean("Bridge reopens in Lumen Bay\n\nA short standfirst about the bridge that reopened\n"
              "Bridge reopens in Lumen Bay\n\n" + "\n\n".join(BODY))
    assert ("Bridge reopens in Lumen Bay", "caption repeating the title") in [(d.text, d.reason) for d in a.dropped]
    assert a.paragraphs == tuple(BODY)


def test_duplicated_lines_and_widget_errors_like_seed_002():
    caption = "Putin talks on the phone in the Kremlin. -/Kremlin/dpa"
    text = (f"Bridge reopens in Lumen Bay\n\n{caption}\n{caption}\n  • Oops!\n    Something went wrong.\n"
            f"    Please try again later.\n\n" + "\n\n".join(BODY + [BODY[2]]))
    a = clean(text)
    assert a.standfirst is None
    assert a.paragraphs == tuple(BODY)
    reasons = [d.reason for d in a.dropped]
    assert reasons.count("photo caption") == 2 and reasons.count("widget error text") == 3
    assert reasons[-1] == "duplicate line"


def test_one_paragraph_per_line_and_trailing_comments_like_seed_003():
    a = clean("Bridge reopens in Lumen Bay\n" + "\n".join(BODY) + "\nComments")
    assert a.title == "Bridge reopens in Lumen Bay" and a.standfirst is None
    assert a.paragraphs == tuple(BODY)
    assert a.dropped[-1].reason == "comments widget"


def test_article_without_title_gets_a_derived_one_and_no_date_like_seed_004():
    a = clean("\n".join(BODY))
    assert a.title_derived and a.title == "The harbour bridge reopened to traffic on Monday"
    assert a.published is None
    assert a.paragraphs == tuple(BODY)


def test_derived_title_is_short():
    lead = ("Russian President Vladimir Putin landed in Beijing early on Thursday for discussions with "
            "Xi Jinping, aimed at bolstering a strategic partnership.")
    assert derive_title(lead) == "Russian President Vladimir Putin landed in Beijing early on Thursday"
    assert derive_title("Floods hit the north.") == "Floods hit the north"


def test_no_line_breaks_at_all_become_paragraphs():
    glued = "".join(BODY)  # news-please glues paragraphs: "...said.Engineers replaced..."
    assert clean(glued, fmt="json", title="Bridge").paragraphs == tuple(BODY)
    long_run = " ".join(f"Sentence number {i} says something about the bridge and the repairs." for i in range(60))
    paragraphs = clean(long_run, fmt="json", title="Bridge").paragraphs
    assert len(paragraphs) > 3 and all(len(p) <= 700 for p in paragraphs)
    assert " ".join(paragraphs) == long_run


def test_hard_wrapped_lines_are_joined():
    assert lines_of("The bridge reopened on\nthe Monday after repairs.\nNew line here.") == [
        "The bridge reopened on the Monday after repairs.", "New line here."]


def test_glued_quotes_go_with_their_sentence():
    assert split_paragraph('He said it was late.“We go now,” she said.') == [
        "He said it was late.", "“We go now,” she said."]
    assert split_paragraph('It was "fine."Then it rained.') == ['It was "fine."', "Then it rained."]
    assert split_paragraph("The U.S.Army said so.") == ["The U.S.Army said so."]


def test_sentences_respect_abbreviations():
    assert sentences("Mr. Putin met U.S. officials at 5 p.m. Friday. John F. Kennedy left.") == [
        "Mr. Putin met U.S. officials at 5 p.m. Friday.", "John F. Kennedy left."]


def test_news_please_description_is_not_duplicated_when_the_body_starts_with_it():
    a = clean("Bridge reopens\n" + "\n".join(BODY), fmt="json", title="Bridge reopens", standfirst=BODY[0])
    assert a.standfirst is None and a.paragraphs == tuple(BODY)
    assert a.dropped[0].reason == "title repeated in the text"
    b = clean("\n".join(BODY), fmt="json", title="Bridge reopens", standfirst="A new bridge for the harbour")
    assert b.standfirst == "A new bridge for the harbour"


def test_byline_and_update_note_in_the_header_are_dropped_and_used():
    a = clean("Bridge reopens in Lumen Bay\nBy Ada Quill\nXinhua | Updated: 2017-09-15 17:52\n" + "\n".join(BODY))
    assert a.author == "Ada Quill" and a.published == "2017-09-15T17:52"
    assert [d.reason for d in a.dropped] == ["byline", "dateline"]


def test_relative_time_notes_are_dropped_without_inventing_a_date():
    a = clean("Bridge reopens in Lumen Bay\nPublished 3 hours ago\n" + "\n".join(BODY))
    assert a.published is None and [(d.text, d.reason) for d in a.dropped] == [("Published 3 hours ago", "dateline")]


def test_truncated_description_is_not_a_standfirst():
    a = clean("\n".join(BODY), fmt="json", title="Bridge reopens", standfirst="The bridge that links the...")
    assert a.standfirst is None


def test_metadata_wins_over_the_text():
    a = clean("15 May, 2024 20:41\n" + "\n".join(BODY), fmt="json", title="T", published="2024-05-16", author="X")
    assert (a.title, a.published, a.author) == ("T", "2024-05-16", "X")


def test_a_date_in_the_body_is_not_the_publication_date():
    body = BODY + ["The next inspection is due on 15 May, 2026 at noon."]
    assert clean("Bridge reopens in Lumen Bay\n" + "\n".join(body)).published is None


# --- dates --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, iso", [
    ("15 May, 2024 20:41", "2024-05-15T20:41"),
    ("May 15, 2024 8:41 p.m.", "2024-05-15T20:41"),
    ("Monday 14 March 2016", "2016-03-14"),
    ("2017-09-15 17:52", "2017-09-15T17:52"),
    ("Published 3 hours ago", None),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_metadata_midnight_means_date_only():
    assert normalise_iso("2017-09-15T00:00:00") == "2017-09-15"
    assert normalise_iso("not a date") is None


def test_dateline_only_when_the_line_is_mostly_a_date():
    assert dateline("Xinhua | Updated: 2017-09-15 17:52") == "2017-09-15T17:52"
    assert dateline("On May 15, 2024 the president said yes") is None


# --- templates ------------------------------------------------------------------------------

ICONS = "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon closeicon"


OTHER_STORY = [
    "Orchard growers in Lindenfeld harvested four new apple varieties bred for dry summers.",
    "Cider makers expect prices to fall because the harvest was larger than forecast.",
]


def test_template_line_learned_across_unrelated_articles():
    texts = [f"{ICONS}\nBridge reopens\n" + "\n".join(BODY), f"{ICONS}\nApples galore\n" + "\n".join(OTHER_STORY)]
    templates = learn(texts)
    assert templates.count(ICONS) == 2
    assert templates.count("Bridge reopens") == 0


def test_template_line_ignores_dates_that_change():
    texts = [f"date 2024-05-10 Menu Home News Sport Weather\n" + "\n".join(BODY),
             f"date 2024-05-11 Menu Home News Sport Weather\n" + "\n".join(OTHER_STORY)]
    assert learn(texts).count("date 2030-01-01 Menu Home News Sport Weather") == 2


def test_shared_quote_or_headline_in_one_story_is_not_a_template():
    quote = "“We will rebuild the bridge,” the mayor said on Monday evening."
    texts = [f"{quote}\nThe bridge in Lumen Bay collapsed in a storm on Sunday night.\nOutlet {i} report."
             for i in range(3)]
    assert learn(texts).count(quote) == 0
    same_title = ["Asia shares defy gloom\nMarkets in Asia rose on Monday despite the quake.",
                  "Asia shares defy gloom\nAsian markets rose on Monday despite the quake damage."]
    assert learn(same_title).count("Asia shares defy gloom") == 0


def test_template_lines_are_dropped_with_their_count(shared: Path):
    from digest.readers import read_folder

    raws, _ = read_folder(shared / "corpus" / "seeds", shared)
    templates = learn_templates(raws)
    assert len(templates.lines) == 1  # the icon line of 000 and 001
    a = clean_article(raws[0], templates)
    assert a.dropped[0].reason in ("icon and widget list", "template line (repeated in 2 articles)")


# --- non-articles ------------------------------------------------------------------------------

def test_non_articles_are_flagged():
    assert not_article_reason("Search results for 'putin'", BODY, []) == "search results page"
    assert not_article_reason("x", ["124 results", *BODY], []) == "search results page"
    stub = ["Bridge reopens after repairs in Lumen Bay.", "Subscribe now to continue reading."]
    assert not_article_reason("Bridge", stub[:1], [Dropped(stub[1], "subscribe prompt")]).startswith("paywall stub")
    slides = [Dropped(f"Photos: Bridge. Hide Caption {i} of 9", "gallery slide caption") for i in range(9)]
    assert not_article_reason("Bridge in pictures", [], slides).startswith("photo gallery")
    links = [f"Headline number {i} about something" for i in range(10)]
    assert not_article_reason("Latest news", links, []).startswith("list of links")
    assert not_article_reason("Bridge", ["Too short."], []).startswith("too little text")
    assert not_article_reason("Bridge", BODY * 2, []) is None
    assert not_article_reason(None, ["US retailers posted mixed results for December. " * 10], []) is None


def test_flag_reaches_the_article():
    assert clean("Bridge\n\nOnly one line of text here.", fmt="json", title="Bridge").not_article


# --- nothing is lost silently --------------------------------------------------------------------

def _words(text: str) -> list[str]:
    return line_key(text).split()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from([l for l, _ in RULE_EXAMPLES] + KEEP + BODY + ["", "Bridge"]),
                          st.text(max_size=80)), max_size=25))
def test_kept_and_dropped_account_for_the_whole_input(lines):
    text = "\n".join(lines)
    for fmt in ("txt", "json"):
        a = clean_article(raw(text, fmt=fmt), Templates())
        parts = [] if a.title_derived else [a.title or ""]
        parts += [a.standfirst or "", *a.paragraphs, *(d.text for d in a.dropped)]
        assert sorted(_words(" ".join(parts))) == sorted(_words(" ".join(lines_of(text))))
