"""nlp.py: paragraph-bounded sentences, real sentences on mentions, pipeline preparation."""

from __future__ import annotations

import pytest

from digest.model import Article
from digest.analysis.nlp import BOUNDARY_PIPE, PARAGRAPH_SEPARATOR, analyse, article_text, prepare


def article(*paragraphs: str, title: str | None = None, standfirst: str | None = None,
            id: str = "a1") -> Article:
    return Article(id=id, source_path=f"{id}.txt", format="txt", title=title, title_derived=False,
                   published=None, outlet="Example", url=None, author=None, standfirst=standfirst,
                   paragraphs=tuple(paragraphs))


def test_article_text_maps_offsets_to_paragraphs():
    text, paragraph_of = article_text(article("First one.", "Second one.", title="Title", standfirst="Stand"))
    assert text == PARAGRAPH_SEPARATOR.join(["Title", "Stand", "First one.", "Second one."])
    assert paragraph_of(0) == -1
    assert paragraph_of(text.index("Stand")) == -2
    assert paragraph_of(text.index("First")) == 0
    assert paragraph_of(text.index("Second")) == 1


def test_component_is_placed_before_the_parser_and_idempotent(nlp):
    prepare(nlp)
    prepare(nlp)
    names = nlp.pipe_names
    assert names.count(BOUNDARY_PIPE) == 1
    assert names.index(BOUNDARY_PIPE) < names.index("parser")


def test_no_sentence_spans_two_paragraphs(nlp):
    # Titles and standfirsts have no full stop: without the component the parser runs them
    # into the first paragraph's sentence.
    a = article("Russian President Vladimir Putin has landed in Beijing. He met Xi Jinping",
                "presidential aide Yury Ushakov said the visit was important",
                title="Putin arrives in China", standfirst="Beijing is the first destination after his inauguration")
    [result] = analyse([a], nlp)
    blocks = {-1: a.title, -2: a.standfirst, 0: a.paragraphs[0], 1: a.paragraphs[1]}
    for m in result.mentions:
        assert m.sentence in blocks[m.paragraph], (m, blocks[m.paragraph])
        assert "\n" not in m.sentence
    for paragraph, sentence in result.sentences:
        assert sentence in blocks[paragraph]
    assert (1, "presidential aide Yury Ushakov said the visit was important") in result.sentences


def test_mention_sentence_is_the_sentence_not_the_paragraph(nlp):
    a = article("Putin landed in Beijing on Thursday. Later that day Chinese President Xi Jinping welcomed him in Harbin.")
    [result] = analyse([a], nlp)
    xi = next(m for m in result.mentions if m.text == "Xi Jinping")
    assert xi.sentence == "Later that day Chinese President Xi Jinping welcomed him in Harbin."
    assert xi.role == "Chinese President"  # not "day Chinese President": "day" attaches to the verb


def test_analyse_returns_one_result_per_article_in_order(nlp):
    arts = [article(f"Angela Merkel visited Paris on day {i}.", id=f"a{i}") for i in range(3)]
    results = analyse(arts, nlp, batch_size=2)
    assert [r.article.id for r in results] == ["a0", "a1", "a2"]
    assert all(any(m.text == "Angela Merkel" for m in r.mentions) for r in results)
    assert "visit" in results[0].terms


@pytest.mark.slow
def test_n_process_gives_the_same_result(nlp):
    arts = [article(f"Foreign Minister Sergey Lavrov met Antony Blinken in Geneva on day {i}.",
                    "The talks lasted two hours.", id=f"a{i}") for i in range(4)]
    assert analyse(arts, nlp, n_process=2, batch_size=2) == analyse(arts, nlp)


def test_article_text_limit_keeps_whole_blocks_in_order():
    a = article("One two three.", "Four five six.", "Seven eight nine.", title="Title")
    text, paragraph_of = article_text(a, limit=len("Title\n\nOne two three.\n\nFour five six."))
    assert text == "Title\n\nOne two three.\n\nFour five six."
    assert paragraph_of(len(text) - 1) == 1
    giant, _ = article_text(article("word " * 100), limit=42)
    assert len(giant) <= 42 and giant.endswith("word")  # a single huge block is cut at a space


def test_long_articles_are_analysed_up_to_the_limit(nlp, monkeypatch):
    import digest.analysis.nlp as nlp_module

    monkeypatch.setattr(nlp_module, "MAX_ANALYSED_CHARS", 80)
    a = article("Angela Merkel visited Paris on Monday.", "Emmanuel Macron met her there.",
                "Much later, Boris Johnson arrived in Rome.")
    assert len(nlp_module.article_text(a)[0]) > 80  # the whole text does not fit
    [result] = analyse([a], nlp)
    names = {m.text for m in result.mentions}
    assert "Angela Merkel" in names and "Boris Johnson" not in names
    assert max(p for p, _ in result.sentences) == 1
