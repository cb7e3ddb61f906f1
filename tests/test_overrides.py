"""overrides.yml: schema errors (exact text, line and column), folders, application, references."""

from __future__ import annotations

import dataclasses

import os
import re
import tempfile
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.model import (
    Article,
    Digest,
    Entity,
    EntityIndex,
    EntityRef,
    Fact,
    FactSource,
    Overrides,
    Pos,
    Problem,
    Story,
    SummarySentence,
)
from digest.overrides.loader import merge
from digest.overrides import (
    added_fact_id,
    apply_to_article,
    apply_to_facts,
    check_references,
    load_overrides,
    parse_text,
)

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "digest" / "templates" / "project" / "overrides.yml"


def load(tmp_path: Path, text: str, name: str = "overrides.yml") -> tuple[Overrides, list[str]]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    ov, problems = load_overrides(path, root=tmp_path)
    return ov, [str(p) for p in problems]


def errors(tmp_path: Path, text: str) -> list[str]:
    return load(tmp_path, text)[1]


# ---------------------------------------------------------------------------------------
# The happy path: the agreed format loads into the model.

FULL = """\
outlets:
  rt.com: RT
  www.dw.com: DW
articles:
  000_faa7d48a0142e6f4:
    title: Putin arrives in China
    outlet: RT
    url: https://www.rt.com/news/597712-putin-arrives-china/
    author: RT staff
    published: 2024-05-15T20:41
    story: putin-visits-china
  004_9ff8455e145d4715:
    exclude: true
entities:
  Yury Ushakov:
    aliases: [Yuri Ushakov, Y. Ushakov]
    type: person
  Sergey Shoigu:
    split: [Shoigu Foundation]
stories:
  putin-visits-china:
    title: Putin's state visit to China
    summary: Putin chose China for his first trip abroad after his inauguration.
    merge: [putin-in-harbin]
    split:
      putin-blinken-warning: [011_abc]
    facts:
      number-bilateral-documents:
        value: about 12
        note: The Kremlin's list names eleven documents.
        citation: https://example.org/kremlin-list
      claim-tea-talks:
        hide: true
      date-visit:
        pin: true
      number-killed:
        disputed: true
        note: Local officials and police disagree.
    add_facts:
      - label: Joint statement signed
        kind: claim
        value: A joint statement was published on 16 May.
        sources:
          001_3080e5bbca213b36: "the publication of a joint declaration"
        note: Added by the desk.
"""


def test_full_example_loads(tmp_path):
    ov, problems = load(tmp_path, FULL)
    assert problems == []
    assert ov.files == ("overrides.yml",)
    assert ov.outlets == {"rt.com": "RT", "www.dw.com": "DW"}
    first, second = ov.articles
    assert first.article == "000_faa7d48a0142e6f4"
    assert first.pos == Pos("overrides.yml", 5, 3)
    assert (first.title, first.outlet, first.author, first.story) == (
        "Putin arrives in China",
        "RT",
        "RT staff",
        "putin-visits-china",
    )
    assert first.published == "2024-05-15T20:41"
    assert second.exclude is True and second.title is None
    ushakov, shoigu = ov.entities
    assert (ushakov.aliases, ushakov.label) == (("Yuri Ushakov", "Y. Ushakov"), "person")
    assert shoigu.split == ("Shoigu Foundation",)
    (story,) = ov.stories
    assert story.merge == ("putin-in-harbin",)
    assert story.split == {"putin-blinken-warning": ("011_abc",)}
    assert [f.fact for f in story.facts] == [
        "number-bilateral-documents",
        "claim-tea-talks",
        "date-visit",
        "number-killed",
    ]
    docs = story.facts[0]
    assert (docs.value, docs.citation, docs.hide) == ("about 12", "https://example.org/kremlin-list", False)
    assert story.facts[1].hide and story.facts[2].pin and story.facts[3].disputed
    (added,) = story.add_facts
    assert added.kind == "claim" and added.pos == Pos("overrides.yml", 40, 9)
    assert added.sources == {"001_3080e5bbca213b36": "the publication of a joint declaration"}
    assert ov.positions[("stories", "putin-visits-china", "merge", "putin-in-harbin")] == Pos("overrides.yml", 24, 13)
    assert ov.positions[("stories", "putin-visits-china", "split", "putin-blinken-warning", "011_abc")] == Pos(
        "overrides.yml", 26, 31
    )


def test_readme_example_loads_clean(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Overrides"):]
    block = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    assert errors(tmp_path, block) == []


def test_repo_overrides_load_clean():
    ov, problems = load_overrides(REPO / "overrides.yml", root=REPO)
    assert [str(p) for p in problems] == []


def test_scalars_keep_the_written_text(tmp_path):
    ov, problems = load(
        tmp_path,
        """\
        articles:
          001_123:          # YAML 1.1 would read this key as an octal number
            title: no       # ... and this as false
            published: 2024-05-15 20:41:07
        stories:
          s:
            facts:
              number-people: {value: 1_000}
        """,
    )
    assert problems == []
    assert (ov.articles[0].article, ov.articles[0].title) == ("001_123", "no")
    assert ov.articles[0].published == "2024-05-15T20:41:07"
    assert ov.stories[0].facts[0].value == "1_000"


@pytest.mark.parametrize(
    "text",
    ["", "# nothing yet\n", "outlets:\narticles:\nentities:\nstories:\n", "{}", "---\n...\n"],
)
def test_empty_documents_are_empty_overrides(tmp_path, text):
    ov, problems = load(tmp_path, text)
    assert problems == []
    assert (ov.articles, ov.entities, ov.stories, dict(ov.outlets)) == ((), (), (), {})


# ---------------------------------------------------------------------------------------
# Every error message, exactly as the writer sees it.

SCHEMA_ERRORS = [
    (
        "stores: {}\n",
        ["overrides.yml:1:1: error: unknown key 'stores'; did you mean 'stories'?"],
    ),
    (
        "settings: {}\n",
        ["overrides.yml:1:1: error: unknown key 'settings'; expected one of: outlets, articles, entities, stories"],
    ),
    (
        "- a\n- b\n",
        ["overrides.yml:1:1: error: expected a mapping of outlets, articles, entities, stories, got a list"],
    ),
    (
        "articles:\n  a1:\n    titel: X\n",
        ["overrides.yml:3:5: error: unknown key 'titel'; did you mean 'title'?"],
    ),
    (
        "articles:\n  a1:\n    title: [A, B]\n",
        ["overrides.yml:3:12: error: expected a string, got a list"],
    ),
    (
        "articles:\n  a1:\n    title: {a: b}\n",
        ["overrides.yml:3:12: error: expected a string, got a mapping"],
    ),
    (
        "articles:\n  a1:\n    title:\n",
        ["overrides.yml:3:11: error: expected a string, got null"],
    ),
    (
        "articles:\n  a1:\n    title: '  '\n",
        ["overrides.yml:3:12: error: expected a non-empty string"],
    ),
    (
        "articles:\n  a1:\n    exclude: 'yes'\n",
        ["overrides.yml:3:14: error: expected true or false, got a string"],
    ),
    (
        "articles:\n  a1:\n    exclude: 1\n",
        ["overrides.yml:3:14: error: expected true or false, got a number"],
    ),
    (
        "articles:\n  a1:\n    published: 15 May 2024\n",
        [
            "overrides.yml:3:16: error: expected an ISO 8601 date (2024-05-15) or date-time (2024-05-15T20:41) "
            "but received: '15 May 2024'"
        ],
    ),
    (
        "articles:\n  a1:\n    published: 2024-02-30\n",
        [
            "overrides.yml:3:16: error: expected an ISO 8601 date (2024-05-15) or date-time (2024-05-15T20:41) "
            "but received: '2024-02-30'"
        ],
    ),
    (
        "articles:\n  a1:\n    url: www.rt.com/news\n",
        ["overrides.yml:3:10: error: expected an http:// or https:// URL but received: 'www.rt.com/news'"],
    ),
    (
        "articles:\n  a1: RT\n",
        ["overrides.yml:2:7: error: expected a mapping, got a string"],
    ),
    (
        "articles:\n  a1: {title: A}\n  a1: {title: B}\n",
        ["overrides.yml:3:3: error: duplicate key 'a1' (first at overrides.yml:2:3)"],
    ),
    (
        "articles:\n  ? [a, b]\n  : {title: A}\n",
        ["overrides.yml:2:5: error: expected a name as the key, got a list"],
    ),
    (
        "outlets:\n  rt.com: [RT]\n",
        ["overrides.yml:2:11: error: expected a string, got a list"],
    ),
    (
        "entities:\n  Yury Ushakov:\n    type: persn\n",
        [
            "overrides.yml:3:11: error: expected one of: person, place, organization, event, other "
            "but received: 'persn'"
        ],
    ),
    (
        "entities:\n  Yury Ushakov:\n    aliases: Yuri Ushakov\n",
        ["overrides.yml:3:14: error: expected a list of strings, got a string"],
    ),
    (
        "entities:\n  Yury Ushakov:\n    aliases: [Yuri, [Y]]\n",
        ["overrides.yml:3:21: error: expected a string, got a list"],
    ),
    (
        "entities:\n  Yury Ushakov:\n    aliases: [Yuri, Yuri]\n",
        ["overrides.yml:3:21: error: duplicate 'Yuri' (first at overrides.yml:3:15)"],
    ),
    (
        "entities:\n  Yury Ushakov:\n    label: person\n",
        ["overrides.yml:3:5: error: unknown key 'label'; expected one of: aliases, type, split"],
    ),
    (
        "stories:\n  s:\n    facts:\n      f:\n        hidden: true\n",
        ["overrides.yml:5:9: error: unknown key 'hidden'; did you mean 'hide'?"],
    ),
    (
        "stories:\n  s:\n    facts:\n      - f\n",
        ["overrides.yml:4:7: error: expected a mapping, got a list"],
    ),
    (
        "stories:\n  s:\n    facts:\n      f: {hide: true, pin: true}\n",
        ["overrides.yml:4:28: error: a hidden fact cannot be pinned"],
    ),
    (
        "stories:\n  s:\n    merge: [s]\n",
        ["overrides.yml:3:13: error: story 's' cannot be merged into itself"],
    ),
    (
        "stories:\n  s:\n    split: [a, b]\n",
        ["overrides.yml:3:12: error: expected a mapping, got a list"],
    ),
    (
        "stories:\n  s:\n    add_facts:\n      label: X\n",
        ["overrides.yml:4:7: error: expected a list of facts, got a mapping"],
    ),
    (
        "stories:\n  s:\n    add_facts:\n      - X happened\n",
        ["overrides.yml:4:9: error: expected a mapping with label and value, got a string"],
    ),
    (
        "stories:\n  s:\n    add_facts:\n      - kind: claim\n",
        [
            "overrides.yml:4:9: error: missing required key 'label'",
            "overrides.yml:4:9: error: missing required key 'value'",
        ],
    ),
    (
        "stories:\n  s:\n    add_facts:\n      - {label: X, value: Y, kind: rumour}\n",
        [
            "overrides.yml:4:36: error: expected one of: date, place, person, number, quote, claim "
            "but received: 'rumour'"
        ],
    ),
    (
        "stories:\n  s:\n    add_facts:\n      - {label: X, value: Y, sources: [a1]}\n",
        ["overrides.yml:4:39: error: expected a mapping, got a list"],
    ),
    (
        "stories:\n  s:\n    add_facts:\n"
        "      - {label: Fog warning, value: Y}\n      - {label: fog  warning!, value: Z}\n",
        ["overrides.yml:5:17: error: added fact id 'added-fog-warning' is already used (first at overrides.yml:4:9)"],
    ),
    (
        "outlets:\n  rt.com: RT\n  RT: Russia Today\n  DW: DW\n  dw.com: DW\n",
        ["overrides.yml:2:3: error: 'RT' is itself renamed to 'Russia Today'; map 'rt.com' to the final name"],
    ),
    (
        "entities:\n  Yury Ushakov:\n    aliases: [Yury Ushakov]\n",
        ["overrides.yml:3:15: error: 'Yury Ushakov' is the entity's own name"],
    ),
    (
        "entities:\n  A B:\n    aliases: [C D]\n  E F:\n    aliases: [c d]\n",
        ["overrides.yml:5:15: error: 'c d' is already an alias of 'A B' (at overrides.yml:3:15)"],
    ),
    (
        "entities:\n  A B:\n    aliases: [E F]\n  E F:\n    type: person\n",
        ["overrides.yml:3:15: error: 'E F' is an entity of its own (at overrides.yml:4:3)"],
    ),
    (
        "entities:\n  A B:\n    aliases: [C]\n    split: [C]\n",
        ["overrides.yml:4:13: error: 'C' is both an alias and a split name of 'A B'"],
    ),
]


@pytest.mark.parametrize("text,expected", SCHEMA_ERRORS, ids=[e[1][0].split("error: ")[1][:40] for e in SCHEMA_ERRORS])
def test_schema_errors_exact(tmp_path, text, expected):
    assert errors(tmp_path, text) == expected


def test_every_error_is_reported_at_once_in_file_order(tmp_path):
    text = """\
    articles:
      a1:
        titel: X
        published: yesterday
    entities:
      E:
        type: thing
    stories:
      s:
        facts:
          f: {pin: maybe}
    """
    assert errors(tmp_path, text) == [
        "overrides.yml:3:5: error: unknown key 'titel'; did you mean 'title'?",
        "overrides.yml:4:16: error: expected an ISO 8601 date (2024-05-15) or date-time (2024-05-15T20:41) "
        "but received: 'yesterday'",
        "overrides.yml:7:11: error: expected one of: person, place, organization, event, other "
        "but received: 'thing'",
        "overrides.yml:11:16: error: expected true or false, got a string",
    ]


def test_bad_values_are_left_out_good_ones_kept(tmp_path):
    ov, problems = load(tmp_path, "articles:\n  a1:\n    title: Good\n    published: never\n")
    assert len(problems) == 1
    assert (ov.articles[0].title, ov.articles[0].published) == ("Good", None)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("a: b: c\n", "overrides.yml:1:5: error: invalid YAML: mapping values are not allowed here"),
        (
            "articles: [a1, a2\n",
            "overrides.yml:2:1: error: invalid YAML: expected ',' or ']', but got '<stream end>' "
            "(while parsing a flow sequence, which starts at line 1 column 11)",
        ),
        (
            "articles:\n  a1:\n    title: 'Putin\n",
            "overrides.yml:4:1: error: invalid YAML: found unexpected end of stream "
            "(while scanning a quoted scalar, which starts at line 3 column 12)",
        ),
        (
            "articles:\n\ta1: {}\n",
            "overrides.yml:2:1: error: invalid YAML: found character '\\t' that cannot start any token "
            "(while scanning for the next token); indent with spaces, not tabs",
        ),
        (
            "outlets: {}\n---\narticles: {}\n",
            "overrides.yml:2:1: error: invalid YAML: but found another document "
            "(expected a single document in the stream, which starts at line 1 column 1)",
        ),
        ("title: \x07\n", "overrides.yml:1:8: error: invalid YAML: character #x0007 is not allowed"),
        ("[" * 5000, "overrides.yml:1:1: error: invalid YAML: nested too deeply"),
    ],
)
def test_yaml_syntax_errors_carry_the_parsers_position(tmp_path, text, expected):
    assert errors(tmp_path, text) == [expected]


def test_anchors_aliases_and_tags_are_refused(tmp_path):
    text = """\
    articles:
      a1: &meta
        outlet: RT
      a2: *meta
      a3:
        title: !!python/object/apply:os.system [echo hacked]
        author: !custom Someone
    """
    assert errors(tmp_path, text) == [
        "overrides.yml:2:7: error: YAML anchors are not supported (found '&meta')",
        "overrides.yml:4:7: error: YAML aliases are not supported (found '*meta'); write the value out",
        "overrides.yml:6:12: error: YAML tags are not supported (found '!!python/object/apply:os.system'); "
        "write a plain value",
        "overrides.yml:7:13: error: YAML tags are not supported (found '!custom'); write a plain value",
    ]


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "overrides.yml"
    path.write_bytes(b"articles:\n  a1:\n    title: Caf\xe9\n")
    _, problems = load_overrides(path, root=tmp_path)
    assert [str(p) for p in problems] == [
        "overrides.yml:3:15: error: not valid UTF-8 text (byte 0xe9); save the file as UTF-8"
    ]


def test_utf8_bom_is_fine(tmp_path):
    path = tmp_path / "overrides.yml"
    path.write_bytes("\ufeffoutlets:\n  rt.com: RT\n".encode())
    ov, problems = load_overrides(path, root=tmp_path)
    assert problems == () and ov.outlets == {"rt.com": "RT"}


def test_missing_file_is_empty_unless_required(tmp_path):
    assert load_overrides(tmp_path / "overrides.yml") == (Overrides(), ())
    _, problems = load_overrides(tmp_path / "overrides.yml", root=tmp_path, required=True)
    assert [str(p) for p in problems] == ["overrides.yml: error: no such file or directory"]


def test_problem_paths_relative_to_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "overrides.yml").write_text("stores:\n")
    monkeypatch.chdir(tmp_path)
    _, problems = load_overrides(Path("proj/overrides.yml"))
    assert str(problems[0]) == "proj/overrides.yml:1:1: error: unknown key 'stores'; did you mean 'stories'?"


# ---------------------------------------------------------------------------------------
# A folder of YAML files.


def test_folder_merges_sorted_files(tmp_path):
    folder = tmp_path / "overrides"
    (folder / "desk" / ".git").mkdir(parents=True)
    (folder / "b.yml").write_text("articles:\n  a2: {title: Two}\noutlets:\n  rt.com: RT\n")
    (folder / "a.yaml").write_text("articles:\n  a1: {title: One}\n")
    (folder / "desk" / "stories.yml").write_text("stories:\n  s: {title: S}\n")
    (folder / ".hidden.yml").write_text("nonsense: [")
    (folder / "desk" / ".git" / "x.yml").write_text("nonsense: [")
    (folder / "notes.txt").write_text("nonsense: [")
    ov, problems = load_overrides(folder, root=tmp_path)
    assert problems == ()
    assert ov.files == ("overrides/a.yaml", "overrides/b.yml", "overrides/desk/stories.yml")
    assert [a.article for a in ov.articles] == ["a1", "a2"]
    assert ov.articles[1].pos == Pos("overrides/b.yml", 2, 3)
    assert ov.stories[0].title == "S" and ov.outlets == {"rt.com": "RT"}


def test_folder_duplicate_key_names_both_places(tmp_path):
    folder = tmp_path / "overrides"
    folder.mkdir()
    (folder / "a.yml").write_text("articles:\n  a1: {title: One}\nentities:\n  X Y: {type: person}\n")
    (folder / "b.yml").write_text("outlets:\n  rt.com: RT\narticles:\n  a1: {title: Uno}\n")
    (folder / "c.yml").write_text("outlets:\n  rt.com: Russia Today\nentities:\n  X Y: {type: place}\n")
    ov, problems = load_overrides(folder, root=tmp_path)
    assert [str(p) for p in problems] == [
        "overrides/b.yml:4:3: error: duplicate key 'a1' in articles (first at overrides/a.yml:2:3)",
        "overrides/c.yml:2:3: error: duplicate key 'rt.com' in outlets (first at overrides/b.yml:2:3)",
        "overrides/c.yml:4:3: error: duplicate key 'X Y' in entities (first at overrides/a.yml:4:3)",
    ]
    assert ov.articles[0].title == "One" and ov.outlets == {"rt.com": "RT"}
    assert ov.entities[0].label == "person"


def test_folder_reports_errors_of_every_file(tmp_path):
    folder = tmp_path / "overrides"
    folder.mkdir()
    (folder / "a.yml").write_text("articles: [\n")
    (folder / "b.yml").write_text("stories:\n  s: {titel: X}\n")
    _, problems = load_overrides(folder, root=tmp_path)
    assert [str(p) for p in problems] == [
        "overrides/a.yml:2:1: error: invalid YAML: expected the node content, but found '<stream end>' "
        "(while parsing a flow node)",
        "overrides/b.yml:2:7: error: unknown key 'titel'; did you mean 'title'?",
    ]


def test_folder_unreadable_file_is_reported(tmp_path):
    folder = tmp_path / "overrides"
    folder.mkdir()
    (folder / "gone.yml").symlink_to(tmp_path / "nowhere.yml")
    (folder / "ok.yml").write_text("outlets:\n  rt.com: RT\n")
    ov, problems = load_overrides(folder, root=tmp_path)
    assert [str(p) for p in problems] == ["overrides/gone.yml: error: cannot read the file: No such file or directory"]
    assert ov.outlets == {"rt.com": "RT"}


def test_empty_folder_is_empty_overrides(tmp_path):
    assert load_overrides(tmp_path, root=tmp_path) == (Overrides(), ())


# ---------------------------------------------------------------------------------------
# The template `digest init` writes.


def test_init_template_loads_clean_and_does_nothing(tmp_path):
    ov, problems = load_overrides(TEMPLATE, root=TEMPLATE.parent)
    assert problems == ()
    assert (ov.articles, ov.entities, ov.stories, dict(ov.outlets)) == ((), (), (), {})


def test_init_template_examples_are_valid_when_uncommented(tmp_path):
    # Writers delete "# " to use an example; "##" lines are prose and stay comments.
    lines = TEMPLATE.read_text(encoding="utf-8").splitlines()
    active = [re.sub(r"^(\s*)# ", r"\1", line) for line in lines]
    ov, problems = load(tmp_path, "\n".join(active) + "\n")
    assert problems == []
    article = ov.articles[0]
    assert None not in (article.title, article.outlet, article.url, article.author, article.published, article.story)
    assert ov.articles[1].exclude
    assert ov.entities[0].aliases and ov.entities[0].label and ov.entities[1].split
    assert len(ov.outlets) == 2
    (story,) = ov.stories
    assert story.title and story.summary and story.merge and story.split
    fact = story.facts[0]
    assert fact.value and fact.note and fact.citation
    assert any(f.hide for f in story.facts) and any(f.pin for f in story.facts)
    assert any(f.disputed for f in story.facts)
    added = story.add_facts[0]
    assert added.sources and added.note and added.citation
    assert added_fact_id(added.label) == "added-joint-statement-signed"


# ---------------------------------------------------------------------------------------
# Applying overrides to articles.


def article(article_id: str = "a1", **fields) -> Article:
    base = dict(
        id=article_id,
        source_path=f"articles/{article_id}.txt",
        format="txt",
        title="Extracted title",
        title_derived=True,
        published="2024-05-15",
        outlet=None,
        url=None,
        author=None,
        standfirst="Beijing is the first destination",
        paragraphs=("Putin landed in Beijing on Thursday.", "The talks covered “energy” and trade."),
    )
    base.update(fields)
    return Article(**base)


def test_apply_to_article_sets_metadata(tmp_path):
    ov, _ = load(
        tmp_path,
        """\
        articles:
          a1:
            title: Putin arrives in China
            outlet: RT
            url: https://www.rt.com/news/1/
            author: RT staff
            published: 2024-05-15T20:41
            story: putin-visits-china
        """,
    )
    result = apply_to_article(article(), ov)
    assert (result.title, result.title_derived, result.outlet, result.url, result.author) == (
        "Putin arrives in China",
        False,
        "RT",
        "https://www.rt.com/news/1/",
        "RT staff",
    )
    assert (result.published, result.story_hint) == ("2024-05-15T20:41", "putin-visits-china")
    assert result.paragraphs == article().paragraphs
    assert result.path_title == (article().title or "a1")  # the page's path stays where it was
    assert apply_to_article(result, ov) == result  # idempotent


def test_an_edited_title_keeps_the_article_page_where_it_was(tmp_path):
    """Permalinks: a published article page keeps its path when the writers correct its title."""
    from digest.render.paths import SiteMap
    from digest_fixture import make_digest

    digest = make_digest()
    before = SiteMap.build(digest).articles
    ov, _ = load(tmp_path, "articles:\n  002_wire:\n    title: Grey Heron grounding leaves 14 injured\n")
    edited = tuple(apply_to_article(a, ov) for a in digest.articles)
    assert next(a for a in edited if a.id == "002_wire").title == "Grey Heron grounding leaves 14 injured"
    assert SiteMap.build(dataclasses.replace(digest, articles=edited)).articles == before


def test_apply_to_article_exclude_and_untouched(tmp_path):
    ov, _ = load(tmp_path, "articles:\n  a1: {exclude: true}\n  a2: {exclude: false}\n")
    assert apply_to_article(article("a1"), ov) is None
    untouched = article("a2")
    assert apply_to_article(untouched, ov) is untouched
    assert apply_to_article(article("a3"), Overrides()) == article("a3")


@pytest.mark.parametrize(
    "outlet,url,expected",
    [
        ("rt.com", None, "RT"),  # the outlet found in the input is a domain
        ("www.RT.com", None, "RT"),  # without case or "www."
        ("Deutsche Welle", None, "DW"),  # an outlet name
        (None, "https://www.rt.com/news/1/", "RT"),  # the URL's host
        (None, "https://russian.rt.com/x", "RT"),  # a subdomain
        (None, "https://dw.com/en/x", "DW"),  # key "www.dw.com" also covers dw.com
        ("Russia Today", "https://www.rt.com/x", "RT"),  # the domain tidies a different spelling
        (None, "https://news.bbc.co.uk/x", "BBC News"),  # the most specific domain wins
        ("Reuters", "https://www.reuters.com/x", "Reuters"),  # nothing to map
        (None, "https://[::1/x", None),  # malformed URL: left alone
        (None, "https://notrt.com/x", None),  # no partial-label match
    ],
)
def test_apply_to_article_outlet_names(tmp_path, outlet, url, expected):
    ov, problems = load(
        tmp_path,
        """\
        outlets:
          rt.com: RT
          www.dw.com: DW
          Deutsche Welle: DW
          bbc.co.uk: BBC
          news.bbc.co.uk: BBC News
        """,
    )
    assert problems == []
    assert apply_to_article(article(outlet=outlet, url=url), ov).outlet == expected


def test_outlet_mapping_applies_to_an_article_override(tmp_path):
    ov, _ = load(tmp_path, "outlets:\n  rt.com: RT\narticles:\n  a1: {outlet: rt.com}\n")
    assert apply_to_article(article(), ov).outlet == "RT"


def test_outlet_set_by_hand_is_not_overruled_by_the_url(tmp_path):
    ov, _ = load(tmp_path, "outlets:\n  rt.com: RT\narticles:\n  a1: {outlet: RT Deutsch}\n")
    assert apply_to_article(article(url="https://de.rt.com/x"), ov).outlet == "RT Deutsch"
    assert apply_to_article(article("a2", url="https://de.rt.com/x"), ov).outlet == "RT"


# ---------------------------------------------------------------------------------------
# Applying overrides to key-facts rows.


def fact(fact_id: str, value: str = "12", status: str = "agreed", **fields) -> Fact:
    sources = (FactSource("a1", f"{value} documents", value, 0),)
    return Fact(fact_id, "number", fact_id.replace("-", " ").capitalize(), value, status, sources, **fields)


STORY = Story(
    id="putin-visits-china",
    title="Putin in China",
    articles=("a1", "a2"),
    facts=(fact("number-documents", "11", "conflict"), fact("claim-tea"), fact("date-visit", "2024-05-16")),
    summary=(SummarySentence("Putin went to China.", ("a1",)),),
)

FACT_OVERRIDES = """\
stories:
  putin-visits-china:
    title: Putin's state visit to China
    summary: Putin chose China for his first trip abroad.
    facts:
      number-documents:
        value: about 12
        note: The Kremlin's list names eleven.
        citation: https://example.org/list
      claim-tea:
        hide: true
      date-visit:
        pin: true
        disputed: true
      added-joint-statement:
        pin: true
    add_facts:
      - label: Joint statement
        value: A joint statement was published on 16 May.
        kind: claim
        sources:
          a2: the publication of a "joint declaration"
          a9: words from an article we do not have
        note: Added by the desk.
"""


def test_apply_to_facts(tmp_path):
    ov, problems = load(tmp_path, FACT_OVERRIDES)
    assert problems == []
    articles = {
        "a1": article("a1"),
        "a2": article("a2", paragraphs=("Intro.", "It ended with the publication of a “joint  declaration”.")),
    }
    story = apply_to_facts(STORY, ov, articles)
    assert story.title == "Putin's state visit to China"
    assert story.summary == (SummarySentence("Putin chose China for his first trip abroad.", ()),)
    assert [f.id for f in story.facts] == ["date-visit", "added-joint-statement", "number-documents", "claim-tea"]
    date_visit, added, documents, tea = story.facts
    assert (date_visit.pinned, date_visit.disputed, date_visit.status) == (True, True, "agreed")
    assert (documents.value, documents.extracted_value, documents.status) == ("about 12", "11", "edited")
    assert (documents.note, documents.citation) == ("The Kremlin's list names eleven.", "https://example.org/list")
    assert documents.sources == STORY.facts[0].sources
    assert (tea.status, tea.value, tea.extracted_value) == ("hidden", "12", None)
    assert added == Fact(
        id="added-joint-statement",
        kind="claim",
        label="Joint statement",
        value="A joint statement was published on 16 May.",
        status="edited",
        sources=(
            FactSource("a2", 'the publication of a "joint declaration"', added.value, 1),
            FactSource("a9", "words from an article we do not have", added.value, 0),
        ),
        note="Added by the desk.",
        pinned=True,
        added=True,
    )
    assert apply_to_facts(story, ov, articles) == story  # idempotent


def test_apply_to_facts_other_story_untouched(tmp_path):
    ov, _ = load(tmp_path, FACT_OVERRIDES)
    other = replace(STORY, id="other")
    assert apply_to_facts(other, ov, {}) is other


def test_edit_keeps_the_first_machine_value(tmp_path):
    ov, _ = load(tmp_path, "stories:\n  putin-visits-china:\n    facts:\n      number-documents: {value: '12'}\n")
    edited = apply_to_facts(STORY, ov, {})
    again = apply_to_facts(edited, ov, {})
    assert again.facts[0].extracted_value == "11" and again.facts[0].value == "12"


# ---------------------------------------------------------------------------------------
# References against what the build found.


def make_digest() -> Digest:
    a1 = article("a1", outlet="RT", url="https://www.rt.com/news/1/")
    a2 = article("a2", outlet="DW", paragraphs=("It ended with the publication of a joint declaration.",))
    a3 = article("a3", outlet="Reuters")
    story = replace(STORY, articles=("a1", "a2"))
    other = Story(id="putin-in-harbin", title="Harbin", articles=("a3",))
    entities = EntityIndex(
        entities=(
            Entity("yury-ushakov", "Yury Ushakov", "person", ("Yuri Ushakov", "Ushakov")),
            Entity("sergey-shoigu", "Sergey Shoigu", "person", ("Shoigu",)),
        ),
        by_article={
            "a1": (EntityRef("yury-ushakov", 2, ("Yury Ushakov", "Yuri Ushakov")),),
            "a2": (EntityRef("sergey-shoigu", 1, ("Shoigu", "Shoigu Foundation")),),
        },
    )
    return Digest(articles=(a1, a2, a3), entities=entities, stories=(story, other))


def references(tmp_path: Path, text: str, strict: bool = False, **kwargs) -> list[str]:
    ov, problems = load(tmp_path, text)
    assert problems == []
    return [str(p) for p in check_references(ov, make_digest(), strict, **kwargs)]


def test_references_clean(tmp_path):
    text = """\
    outlets:
      rt.com: RT
    articles:
      a1: {title: X, story: putin-visits-china}
    entities:
      Yury Ushakov: {aliases: [Yuri Ushakov, Y. Ushakov, YURI USHAKOV’S]}  # matched as the entities stage does
      Sergey Shoigu: {split: [Shoigu Foundation]}
    stories:
      putin-visits-china:
        facts:
          claim-tea: {hide: true}
          added-joint: {pin: true}
        add_facts:
          - label: Joint
            value: Y
            sources: {a2: "publication of a  joint declaration"}
    """
    assert references(tmp_path, text) == []


def test_unknown_article_ids_are_errors_unknown_story_ids_warnings(tmp_path):
    """No input has an unknown article id; a story id matching nothing is a typo or a story that
    is gone (story ids never change once published): a warning naming the likely id."""
    text = """\
    articles:
      a11: {title: X}
      zzz: {title: X}
    stories:
      putin-visit-china:
        title: X
      putin-visits-china:
        split:
          new-story: [a4]
        add_facts:
          - label: X
            value: Y
            sources: {b2: words}
    """
    assert references(tmp_path, text) == [
        "overrides.yml:2:3: error: unknown article id 'a11'; did you mean 'a1'?",
        "overrides.yml:3:3: error: unknown article id 'zzz'",
        "overrides.yml:5:3: warning: unknown story id 'putin-visit-china'; did you mean 'putin-visits-china'?",
        "overrides.yml:9:19: error: unknown article id 'a4'",
        "overrides.yml:13:19: error: unknown article id 'b2'",
    ]


STALE = """\
outlets:
  rt.com: RT
  bbc.co.uk: BBC
articles:
  a1: {story: putin-in-harbin}
  a3: {story: putin-visits-china}
entities:
  Yury Ushakov: {aliases: [Juri Uschakow]}
  Nikolai Patrushev: {type: person}
  Sergey Shoigu: {split: [Shoigu Fund]}
stories:
  putin-visits-china:
    merge: [putin-in-harbin]
    split:
      new-story: [a2]
    facts:
      number-documentz: {value: '12'}
    add_facts:
      - label: Joint
        value: Y
        sources: {a1: "words nobody wrote"}
"""

STALE_EXPECTED = [
    "overrides.yml:3:3: {sev}: stale override: outlet 'bbc.co.uk' matches no article",
    "overrides.yml:6:15: {sev}: stale override: article 'a3' is in story 'putin-in-harbin', "
    "not in 'putin-visits-china'",
    "overrides.yml:8:28: {sev}: stale override: alias 'Juri Uschakow' of 'Yury Ushakov' occurs in no article",
    "overrides.yml:9:3: {sev}: stale override: entity 'Nikolai Patrushev' matches no entity",
    "overrides.yml:10:27: {sev}: stale override: split name 'Shoigu Fund' of 'Sergey Shoigu' occurs in no article",
    "overrides.yml:13:13: {sev}: stale override: story 'putin-in-harbin' is still a story of its own; "
    "the merge did not happen",
    "overrides.yml:15:19: {sev}: stale override: article 'a2' is not in story 'new-story'; the split did not happen",
    "overrides.yml:17:7: {sev}: stale override: story 'putin-visits-china' has no fact 'number-documentz'; "
    "did you mean 'number-documents'?",
    "overrides.yml:21:19: {sev}: stale override: article 'a1' does not contain the words \"words nobody wrote\"",
]


def test_stale_overrides_are_warnings(tmp_path):
    # a1 asks for putin-in-harbin, which merges into putin-visits-china (where a1 is): not stale.
    assert references(tmp_path, STALE) == [line.format(sev="warning") for line in STALE_EXPECTED]


def test_stale_overrides_are_errors_when_strict(tmp_path):
    assert references(tmp_path, STALE, strict=True) == [line.format(sev="error") for line in STALE_EXPECTED]


def test_story_hint_typo_suggests_the_story(tmp_path):
    assert references(tmp_path, "articles:\n  a3: {story: putin-visit-china}\n") == [
        "overrides.yml:2:15: warning: stale override: article 'a3' is in story 'putin-in-harbin', "
        "not in 'putin-visit-china'; did you mean 'putin-visits-china'?"
    ]


def test_no_overrides_no_problems():
    assert check_references(Overrides(), make_digest(), strict=True) == ()


def test_excluded_articles(tmp_path):
    text = """\
    articles:
      a4: {exclude: true}
    stories:
      putin-visits-china:
        add_facts:
          - {label: X, value: Y, sources: {a4: some words}}
    """
    stale = "overrides.yml:6:40: warning: stale override: article 'a4' is excluded from the digest"
    assert references(tmp_path, text) == [stale]
    # With the articles as read, an id that no input has is caught even when excluded.
    inputs = list(make_digest().articles)
    assert references(tmp_path, text, inputs=inputs) == [
        "overrides.yml:2:3: error: unknown article id 'a4'",
        "overrides.yml:6:40: error: unknown article id 'a4'",
    ]
    assert references(tmp_path, text, inputs=inputs + [article("a4")]) == [stale]


def test_outlets_judged_on_the_inputs(tmp_path):
    text = "outlets:\n  Russia Today: RT\n  rt.com: RT\n"
    digest_only = references(tmp_path, text)
    assert digest_only == []  # from the digest alone, any article named RT could be the one
    inputs = [article("a1", outlet="Russia Today"), article("a2", outlet="DW")]
    assert references(tmp_path, text, inputs=inputs) == [
        "overrides.yml:3:3: warning: stale override: outlet 'rt.com' matches no article"
    ]


# ---------------------------------------------------------------------------------------
# The loader never crashes, whatever the text.

# DIGEST_FUZZ_EXAMPLES=5000 for a deeper run than the suite's default.
FUZZ_SETTINGS = settings(
    max_examples=int(os.environ.get("DIGEST_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _assert_well_formed(problems, text: str) -> None:
    lines = sum(text.count(c) for c in "\n\r\x85\u2028\u2029") + 2
    for problem in problems:
        assert isinstance(problem, Problem) and problem.severity == "error"
        assert problem.line is None or 1 <= problem.line <= lines
        assert problem.col is None or problem.col >= 1
        assert "\n" not in problem.message


@FUZZ_SETTINGS
@given(st.text())
def test_fuzz_random_text_never_raises(text):
    result = parse_text(text, "overrides.yml")
    _assert_well_formed(result.problems, text)


YAML_PIECES = st.sampled_from(
    [
        "outlets:", "articles:", "entities:", "stories:", "facts:", "add_facts:", "title:", "value:",
        "sources:", "merge:", "split:", "aliases:", "type:", "published:", "exclude:", "hide:", "pin:",
        "- ", "-", "[", "]", "{", "}", ",", ":", "? ", "&a ", "*a", "!!str ", "!x ", "'", '"', "#",
        "|", ">", "\n", "  ", "\t", "a1", "true", "null", "~", "2024-05-15", "person", "claim", "---",
        "...", "%YAML 1.1", "label:", "kind:", "\\", "\x85", "\u2028", "\ufeff", "0x1F", "1_000",
    ]
)


@FUZZ_SETTINGS
@given(st.lists(YAML_PIECES, max_size=40).map("".join))
def test_fuzz_yaml_like_text_never_raises(text):
    result = parse_text(text, "overrides.yml")
    _assert_well_formed(result.problems, text)


@FUZZ_SETTINGS
@given(st.binary(max_size=200))
def test_fuzz_random_bytes_in_a_file_never_raise(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "overrides.yml"
        path.write_bytes(data)
        ov, problems = load_overrides(path, root=Path(folder))
    assert isinstance(ov, Overrides)
    _assert_well_formed(problems, data.decode("utf-8", "replace"))


LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.sampled_from(["person", "claim", "2024-05-15"])
)
KEYS = st.sampled_from(
    ["outlets", "articles", "entities", "stories", "facts", "add_facts", "title", "value", "sources",
     "merge", "split", "aliases", "type", "kind", "label", "published", "exclude", "hide", "pin", "a1", "s"]
)
TREES = st.recursive(
    LEAF, lambda kids: st.lists(kids, max_size=3) | st.dictionaries(KEYS, kids, max_size=4), max_leaves=25
)


@FUZZ_SETTINGS
@given(st.dictionaries(KEYS, TREES, max_size=4))
def test_fuzz_schema_shaped_documents_never_raise(tree):
    import yaml

    text = yaml.safe_dump(tree, allow_unicode=True)
    result = parse_text(text, "overrides.yml")
    _assert_well_formed(result.problems, text)
    # Whatever survived validation is safe to apply and to check, and applying is idempotent.
    ov, _ = merge([result])
    digest = make_digest()
    for item in digest.articles:
        once = apply_to_article(item, ov)
        assert once is None or apply_to_article(once, ov) == once
    by_id = {a.id: a for a in digest.articles}
    for story in digest.stories:
        once = apply_to_facts(story, ov, by_id)
        assert apply_to_facts(once, ov, by_id) == once
    check_references(ov, digest, strict=True)


WORDS = st.sampled_from(["RT", "DW", "Putin", "about 12", "joint declaration", "Yury Ushakov", "x", "2024-05-16"])
BOOLS = st.booleans()
ARTICLE_OV = st.fixed_dictionaries(
    {},
    optional={
        "title": WORDS, "outlet": WORDS, "author": WORDS, "story": st.sampled_from(["putin-visits-china", "new"]),
        "published": st.sampled_from(["2024-05-16", "2024-05-16T10:00", "bad"]), "exclude": BOOLS,
        "url": st.sampled_from(["https://www.rt.com/x", "https://dw.com/y"]),
    },
)
FACT_OV = st.fixed_dictionaries(
    {}, optional={"value": WORDS, "note": WORDS, "citation": WORDS, "hide": BOOLS, "pin": BOOLS, "disputed": BOOLS}
)
ADDED = st.fixed_dictionaries(
    {"label": WORDS, "value": WORDS},
    optional={"kind": st.sampled_from(["claim", "number"]), "note": WORDS,
              "sources": st.dictionaries(st.sampled_from(["a1", "a2", "a9"]), WORDS, max_size=2)},
)
STORY_OV = st.fixed_dictionaries(
    {},
    optional={
        "title": WORDS, "summary": WORDS, "merge": st.lists(st.sampled_from(["putin-in-harbin", "zz"]), unique=True),
        "facts": st.dictionaries(st.sampled_from(["number-documents", "claim-tea", "date-visit", "added-putin"]),
                                 FACT_OV, max_size=3),
        "add_facts": st.lists(ADDED, max_size=3),
    },
)
DOCUMENTS = st.fixed_dictionaries(
    {},
    optional={
        "outlets": st.dictionaries(st.sampled_from(["rt.com", "www.dw.com", "RT", "bbc.co.uk"]), WORDS, max_size=3),
        "articles": st.dictionaries(st.sampled_from(["a1", "a2", "a3", "a4"]), ARTICLE_OV, max_size=3),
        "entities": st.dictionaries(
            st.sampled_from(["Yury Ushakov", "Sergey Shoigu", "Nobody"]),
            st.fixed_dictionaries({}, optional={"aliases": st.lists(WORDS, unique=True, max_size=2),
                                                "type": st.sampled_from(["person", "place"])}),
            max_size=2,
        ),
        "stories": st.dictionaries(st.sampled_from(["putin-visits-china", "putin-in-harbin"]), STORY_OV, max_size=2),
    },
)


@FUZZ_SETTINGS
@given(DOCUMENTS)
def test_fuzz_plausible_overrides_apply_idempotently(document):
    import yaml

    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    result = parse_text(text, "overrides.yml")
    _assert_well_formed(result.problems, text)
    ov, _ = merge([result])
    digest = make_digest()
    by_id = {a.id: a for a in digest.articles}
    for item in digest.articles:
        once = apply_to_article(item, ov)
        assert once is None or apply_to_article(once, ov) == once
    for story in digest.stories:
        once = apply_to_facts(story, ov, by_id)
        assert apply_to_facts(once, ov, by_id) == once
        assert [f.pinned for f in once.facts] == sorted((f.pinned for f in once.facts), reverse=True)
        assert len({f.id for f in once.facts}) == len(once.facts)
    for problem in check_references(ov, digest, strict=True):
        assert problem.severity == "error" and problem.line is not None


def test_an_alias_the_articles_write_is_not_stale(tmp_path):
    """A working alias is not "stale": the article writes it, even where the model did not tag
    it as a name (lowercase, or inside a longer phrase); an alias written nowhere still is."""
    digest = make_digest()
    a2 = replace(digest.articles[1], paragraphs=("Aide Juri Uschakow’s office said the Kremlin’s ushakov desk was shut.",))
    digest = replace(digest, articles=(digest.articles[0], a2, digest.articles[2]))
    ov, problems = load(tmp_path, "entities:\n  Yury Ushakov: {aliases: [Juri Uschakow, USHAKOV DESK, Jury Uschakov]}\n")
    assert problems == []
    found = [str(p) for p in check_references(ov, digest, strict=True)]
    assert found == ["overrides.yml:2:57: error: stale override: alias 'Jury Uschakov' of 'Yury Ushakov' "
                     "occurs in no article"]
