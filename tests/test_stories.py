"""Story grouping: events, hints, non-articles, overrides, stable ids, recency, scale."""

from __future__ import annotations

import random
import time

import pytest

from digest.aggregate.entities import build_index
from digest.model import AnalysedArticle, Article, EntityIndex, Pos, StoryOverride
from digest.analysis.nlp import analyse
from digest.aggregate import build_stories
from digest.aggregate.stories import _candidate_pairs, cluster


def art(aid, title, paragraphs, published, **kw) -> Article:
    return Article(id=aid, source_path=f"{aid}.txt", format="txt", title=title, title_derived=False,
                   published=published, outlet=kw.pop("outlet", f"outlet-{aid}"), url=None, author=None,
                   standfirst=None, paragraphs=paragraphs, **kw)


CRASH = ("A bus carrying tourists crashed on a mountain road near Grenoble on Monday, killing five people "
         "and injuring 27, French police said.", "The bus driver lost control on a steep bend, prosecutors said.")
FINAL = ("Real Madrid beat Liverpool 3-1 in the Champions League final in Kyiv on Saturday.",
         "Gareth Bale scored twice for Real Madrid after coming on as a substitute.")


@pytest.fixture(scope="module")
def corpus(nlp):
    articles = [
        art("c1", "Bus crash near Grenoble kills five", CRASH, "2024-05-13T10:00"),
        art("c2", "Five dead in French bus crash", (CRASH[0].replace("killing five", "leaving five dead"),
                                                   "Police said the bus driver lost control on a bend near Grenoble."),
            "2024-05-13T15:00"),
        art("c3", "Grenoble bus crash: driver lost control", ("Prosecutors in Grenoble said the driver of the bus "
                                                              "that crashed on Monday lost control on a bend.", CRASH[0]),
            "2024-05-14T09:00"),
        art("f1", "Real Madrid win Champions League", FINAL, "2024-05-26T23:00"),
        art("f2", "Bale double wins final for Real Madrid", (FINAL[1], FINAL[0]), "2024-05-27T08:00"),
        art("x1", "Subscribe to our newsletter", ("Subscribe to our newsletter for the best stories.",),
            "2024-05-20T08:00", not_article="newsletter page"),
    ]
    analysed = analyse(articles, nlp)
    return analysed, build_index(analysed)


def test_groups_events_and_skips_non_articles(corpus):
    stories = build_stories(*corpus)
    groups = sorted(tuple(sorted(s.articles)) for s in stories)
    assert groups == [("c1", "c2", "c3"), ("f1", "f2")]


def test_most_recent_first_titles_and_ids(corpus):
    stories = build_stories(*corpus)
    assert [s.articles[0][0] for s in stories] == ["f", "c"]
    crash = stories[1]
    assert crash.id == "bus-crash-near-grenoble-kills-five"  # the earliest article's title
    assert crash.title in {"Bus crash near Grenoble kills five", "Five dead in French bus crash",
                           "Grenoble bus crash: driver lost control"}
    assert crash.updated == "2024-05-14T09:00"
    assert crash.articles == ("c1", "c2", "c3")  # oldest first
    assert crash.facts and crash.summary


def test_ids_do_not_depend_on_input_order(corpus):
    analysed, index = corpus
    assert [s.id for s in build_stories(analysed, index)] == \
        [s.id for s in build_stories(list(reversed(analysed)), index)]


def test_story_hint_wins(corpus, nlp):
    analysed, index = corpus
    hinted = [a if a.article.id != "c3" else AnalysedArticle(
        article=art("c3", a.article.title, a.article.paragraphs, a.article.published, story_hint="grenoble-inquiry"),
        mentions=a.mentions, candidates=a.candidates, sentences=a.sentences, terms=a.terms) for a in analysed]
    stories = {s.id: s.articles for s in build_stories(hinted, index)}
    assert stories["grenoble-inquiry"] == ("c3",)
    assert "c3" not in stories["bus-crash-near-grenoble-kills-five"]


POS = Pos("overrides.yml", 1, 1)


def test_overrides_title_summary_merge_split(corpus):
    analysed, index = corpus
    crash, final = "bus-crash-near-grenoble-kills-five", "real-madrid-win-champions-league"
    merged = build_stories(analysed, index, (StoryOverride(story=crash, pos=POS, title="May 2024",
                                                           summary="Two events.", merge=(final,)),))
    assert len(merged) == 1 and merged[0].id == crash and merged[0].title == "May 2024"
    assert merged[0].summary[0].text == "Two events." and len(merged[0].articles) == 5
    split = build_stories(analysed, index, (StoryOverride(story=crash, pos=POS, split={"bus-inquiry": ("c3",)}),))
    ids = {s.id: s.articles for s in split}
    assert ids["bus-inquiry"] == ("c3",) and ids[crash] == ("c1", "c2")


def test_unknown_override_is_ignored(corpus):
    analysed, index = corpus
    assert len(build_stories(analysed, index, (StoryOverride(story="nope", pos=POS, title="x"),))) == 2


def test_duplicate_titles_get_unique_ids(nlp):
    analysed = analyse([art("a", "Storm news", ("A storm hit Oslo on Monday, cutting power to homes.",), "2024-01-01"),
                        art("b", "Storm news", ("Parliament in Lima passed a budget law on pensions.",), "2024-03-01")],
                       nlp)
    ids = sorted(s.id for s in build_stories(analysed, build_index(analysed)))
    assert ids == ["storm-news", "storm-news-2"]


def _synthetic(n_events: int, per_event: int, seed: int = 7) -> tuple[list[AnalysedArticle], dict[str, int]]:
    rng = random.Random(seed)
    common = [f"common{i}" for i in range(300)]
    out, truth = [], {}
    for e in range(n_events):
        topic = [f"e{e}w{k}" for k in range(12)]
        for k in range(per_event):
            terms = tuple(rng.sample(topic, 8) + rng.sample(common, 40))
            aid = f"{e}-{k}"
            out.append(AnalysedArticle(art(aid, None, (), f"2024-01-{1 + e % 28:02d}"), (), (), (), terms))
            truth[aid] = e
    return out, truth


def test_scales_near_linearly_without_all_pairs():
    analysed, truth = _synthetic(900, 10)  # 9,000 articles
    empty = EntityIndex(entities=(), by_article={})
    start = time.perf_counter()
    groups = cluster(analysed, empty)
    elapsed = time.perf_counter() - start
    assert elapsed < 120, elapsed
    found = {analysed[i].article.id: g for g, members in enumerate(groups) for i in members}
    pure = sum(1 for members in groups if len({truth[analysed[i].article.id] for i in members}) == 1)
    assert pure / len(groups) > 0.95 and len(groups) <= 1000
    assert len(found) == 9000


def test_blocking_grows_linearly_not_quadratically():
    from digest.aggregate.stories import _vectors
    from digest.text.dates import day_of

    def pairs(n_events):
        analysed, _ = _synthetic(n_events, 5)
        days = [day_of(a.article.published) for a in analysed]
        return len(_candidate_pairs(_vectors(analysed, EntityIndex(entities=(), by_article={})), days))

    small, large = pairs(200), pairs(800)  # 1,000 and 4,000 articles
    assert large / small < 6, (small, large)  # all pairs would grow 16 times
    assert large < 4000 * 3999 / 2 / 10


def test_bundled_example_two_stories_sharing_a_city_stay_apart(nlp):
    """The repository's fictional corpus: a ferry collision and, three weeks later, a state visit
    that mentions it. Same city, same president: two stories all the same."""
    from pathlib import Path

    from digest.eval.stages import run_stages

    root = Path(__file__).resolve().parents[1]
    analysed, index, notes = run_stages(root / "articles", root, nlp=nlp)
    assert notes == []
    groups = sorted(sorted(a.split("-")[0] for a in s.articles) for s in build_stories(analysed, index))
    assert groups == [["ferry"] * 6, ["summit"] * 6]
