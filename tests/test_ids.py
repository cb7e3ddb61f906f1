"""Stable ids: the example project rebuilt after each event that used to rename stories and rows
(an earlier article added, a label changed, articles reordered, stories merged and split, the
key-facts extraction changed), with the example's overrides.yml as the fixture: every story and
fact id a writer used still applies (no stale warning, the hidden rows stay hidden)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import copy_tracked
from digest import pipeline
from digest.cli import main
from digest.config import ConfigError, load_settings
from digest.overrides import load_overrides

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "ids"
FERRY = "at-least-five-dead-after-ferry-and"
SUMMIT = "tarsenian-president-to-make-first-state-visit"


@pytest.fixture(scope="module")
def warmed(tmp_path_factory) -> Path:
    """The example project, built once (its analysis cache then serves every test)."""
    root = tmp_path_factory.mktemp("example")
    for name in ("articles", "docs", "overrides.yml", "mkdocs.yml", "ids.yml"):
        copy_tracked(name, root / name)
    build(root)
    return root


@pytest.fixture
def example(warmed, tmp_path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(warmed, root, symlinks=True)
    for stage in ("aggregate", "facts"):  # the tests below change the aggregation code itself
        shutil.rmtree(root / ".digest-cache" / stage, ignore_errors=True)
    (root / ".digest-cache" / "last-build.json").unlink(missing_ok=True)
    return root


def build(root: Path, **options) -> pipeline.Result:
    options.setdefault("site", False)
    return pipeline.run(load_settings(root), **options)


def registry(root: Path) -> dict:
    return yaml.safe_load((root / "ids.yml").read_text(encoding="utf-8"))


def save_registry(root: Path, data: dict) -> None:
    (root / "ids.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def assert_overrides_apply(result: pipeline.Result, root: Path) -> None:
    """Every story and fact id of overrides.yml names what it did, with its effect."""
    unmatched = [str(p) for p in result.problems if p.severity in ("warning", "error")]
    assert unmatched == []
    overrides, _ = load_overrides(root / "overrides.yml")
    stories = {s.id: s for s in result.digest.stories}
    assert overrides.stories
    for override in overrides.stories:
        sid = result.digest.redirects.get(override.story, override.story)  # written with an id that moved
        assert sid in stories, override.story
        facts = {f.id: f for f in stories[sid].facts}
        for edit in override.facts:
            assert edit.fact in facts, (override.story, edit.fact, sorted(facts))
            fact = facts[edit.fact]
            if edit.hide:
                assert fact.status == "hidden"
            if edit.value:
                assert (fact.status, fact.value) == ("edited", edit.value)
            assert fact.pinned == edit.pin and fact.disputed == edit.disputed
        if override.title:
            assert stories[sid].title == override.title
    page = (root / "docs" / "stories" / f"{FERRY}.md").read_text(encoding="utf-8")
    assert "Date: fly" not in page and "2025-10-19" not in page  # the hidden row stays hidden


def test_the_committed_registry_is_the_examples(warmed):
    """`make demo` leaves ids.yml as committed: it already holds every published id."""
    assert (warmed / "ids.yml").read_text(encoding="utf-8") == copy_text("ids.yml")


def copy_text(name: str) -> str:
    return (Path(__file__).resolve().parents[1] / name).read_text(encoding="utf-8")


def test_an_earlier_article_joining_keeps_the_story_id(example, tmp_path):
    shutil.copy(FIXTURES / "summit-000-coastline-news.md", example / "articles")
    # Without the registry the story would be renamed after its new earliest article.
    bare = tmp_path / "bare"
    shutil.copytree(example, bare)
    (bare / "ids.yml").unlink()
    (bare / "overrides.yml").unlink()
    renamed = {s.id for s in build(bare, write=False).digest.stories}
    assert SUMMIT not in renamed

    result = build(example)
    summit = next(s for s in result.digest.stories if s.id == SUMMIT)
    assert summit.articles[0] == "summit-000-coastline-news"
    assert_overrides_apply(result, example)
    changes = result.digest.changes
    assert changes.since is not None and not changes.new_stories and not changes.removed_stories
    assert any(c.story == SUMMIT for c in changes.rows_changed + changes.rows_added)
    assert "summit-000-coastline-news" in registry(example)["stories"][1]["articles"]


def test_a_label_change_keeps_the_fact_id(example, monkeypatch):
    from digest.aggregate.facts import rows

    monkeypatch.setitem(rows.ROLE_LABELS, "killed", "Dead")
    monkeypatch.setitem(rows.ROLE_LABELS, "injured", "Hurt")
    result = build(example)
    ferry = {f.id: f for f in next(s for s in result.digest.stories if s.id == FERRY).facts}
    assert ferry["number-killed"].label == "Dead" and ferry["number-injured"].label == "Hurt"
    assert "number-dead" not in ferry and "number-hurt" not in ferry
    assert_overrides_apply(result, example)
    entry = next(f for f in registry(example)["stories"][0]["facts"] if f["id"] == "number-killed")
    assert entry["label"] == "Dead"


def test_reordered_articles_keep_the_ids(example):
    """A time-zone fix makes another article the earliest of the ferry story."""
    path = example / "articles" / "ferry-005-meridian-daily.md"
    path.write_text(path.read_text(encoding="utf-8").replace("published: 2025-10-16T07:15:00",
                                                             "published: 2025-10-14T19:15:00"), encoding="utf-8")
    result = build(example)
    ferry = next(s for s in result.digest.stories if s.id == FERRY)
    assert ferry.articles[0] == "ferry-005-meridian-daily"
    assert_overrides_apply(result, example)


def test_two_stories_that_merge_keep_the_older_id_and_the_other_redirects(example):
    """The last build had the state visit as two stories; now the grouping makes it one."""
    data = registry(example)
    summit = data["stories"][1]
    assert summit["id"] == SUMMIT
    later = {"id": "kaal-and-sellin-sign-a-dozen-deals", "title": "Kaal and Sellin sign a dozen deals",
             "articles": [a for a in summit["articles"] if a >= "summit-004"],
             "facts": [{"id": "number-deals", "kind": "number", "key": "deal", "label": "Deals",
                        "sources": {"summit-005-meridian-daily": "about a dozen agreements"}}]}
    summit["articles"] = [a for a in summit["articles"] if a < "summit-004"]
    data["stories"].append(later)
    save_registry(example, data)
    overrides = example / "overrides.yml"
    text = overrides.read_text(encoding="utf-8")
    hint = "    author: Bram Oyelaran\n"
    written = text.replace(hint, hint + "    story: kaal-and-sellin-sign-a-dozen-deals   # the later story\n")
    overrides.write_text(written + "  kaal-and-sellin-sign-a-dozen-deals:\n"
                                   "    summary: Kaal's two-day state visit to Valdoria.\n", encoding="utf-8")
    result = build(example, site=True)
    ids = {s.id for s in result.digest.stories}
    assert SUMMIT in ids and "kaal-and-sellin-sign-a-dozen-deals" not in ids
    assert result.digest.redirects == {"kaal-and-sellin-sign-a-dozen-deals": SUMMIT}
    # The override written against the alias applies to the surviving story, with a note.
    summit_story = next(s for s in result.digest.stories if s.id == SUMMIT)
    assert summit_story.summary[0].text == "Kaal's two-day state visit to Valdoria."
    notes = [str(p) for p in result.problems if p.severity == "note" and p.path == "overrides.yml"]
    assert notes == [
        f"overrides.yml:32:12: note: story id 'kaal-and-sellin-sign-a-dozen-deals' is now '{SUMMIT}' "
        "(the override applies to it; `digest check --fix` rewrites the key)",
        f"overrides.yml:100:3: note: story id 'kaal-and-sellin-sign-a-dozen-deals' is now '{SUMMIT}', which the "
        f"overrides also name: the two apply together; move these lines under '{SUMMIT}'"]
    assert next(s for s in registry(example)["stories"] if s["id"] == "kaal-and-sellin-sign-a-dozen-deals"
                )["alias_of"] == SUMMIT
    # The old page leads to the new one, relatively, in docs/ and on the site.
    redirect = (example / "site" / "stories" / "kaal-and-sellin-sign-a-dozen-deals" / "index.html").read_text()
    assert f'content="0; url=../{SUMMIT}/"' in redirect and f'href="../{SUMMIT}/"' in redirect
    assert json.loads((example / "docs" / "digest.json").read_text())["redirects"] == [
        {"from": "kaal-and-sellin-sign-a-dozen-deals", "to": SUMMIT, "page": f"stories/{SUMMIT}.md"}]
    assert_overrides_apply(result, example)
    # `digest check --fix` rewrites the key in place, comment and layout kept.
    out = CliRunner().invoke(main, ["check", "--project", str(example), "--fix"])
    assert out.exit_code == 0, out.output
    assert overrides.read_text(encoding="utf-8") == written.replace(
        "story: kaal-and-sellin-sign-a-dozen-deals   #", f"story: {SUMMIT}   #") + \
        "  kaal-and-sellin-sign-a-dozen-deals:\n    summary: Kaal's two-day state visit to Valdoria.\n"


def test_a_split_keeps_the_id_on_the_larger_part(example):
    """The last build had two ferry articles inside the state visit's story; now they are apart."""
    data = registry(example)
    ferry, summit = data["stories"][0], data["stories"][1]
    moved = ferry["articles"][-2:]
    ferry["articles"] = ferry["articles"][:-2]
    summit["articles"] = summit["articles"] + moved
    save_registry(example, data)
    result = build(example)
    assert {s.id for s in result.digest.stories} == {FERRY, SUMMIT}
    assert result.digest.redirects == {}
    assert_overrides_apply(result, example)


def test_a_changed_extraction_keeps_the_ids(example, monkeypatch):
    """New keys, labels and derived ids for every number and date row: found again by their words."""
    from digest.aggregate import facts as facts_mod
    from digest.aggregate.facts import rows

    number_rows, date_rows = rows.number_rows, rows.date_rows
    before = {f.id for f in next(s for s in build(example, write=False).digest.stories if s.id == FERRY).facts}

    def renamed_numbers(*args, **kwargs):
        out = number_rows(*args, **kwargs)
        for row in out:
            row.key, row.label = f"people {row.key}", f"People {row.label.lower()}"
        return out

    def renamed_dates(*args, **kwargs):
        out = date_rows(*args, **kwargs)
        for row in out:
            row.label = "When: " + row.label.removeprefix("Date: ")
        return out

    monkeypatch.setattr(facts_mod, "number_rows", renamed_numbers)
    monkeypatch.setattr(facts_mod, "date_rows", renamed_dates)
    original_id = facts_mod._id
    monkeypatch.setattr(facts_mod, "_id", lambda row: "v2-" + original_id(row))
    result = build(example)
    ferry = {f.id: f for f in next(s for s in result.digest.stories if s.id == FERRY).facts}
    assert ferry["number-killed"].label == "People killed" and ferry["number-killed"].key == "people killed"
    # Every published row is found again under its id. (A row the renamed keys let through that
    # the real ones filter out is a new row: it may take a new id.)
    assert before <= set(ferry), sorted(before - set(ferry))
    assert_overrides_apply(result, example)


def test_an_override_that_matches_nothing_warns_with_the_likely_id_and_fails_strict(example):
    overrides = example / "overrides.yml"
    text = overrides.read_text(encoding="utf-8")
    typo = text.replace("      number-killed:\n        pin: true", "      number-kiled:   # the toll\n        pin: true")
    typo = typo.replace(f"  {SUMMIT}:", "  tarsenian-president-to-make-first-state-vist:")
    overrides.write_text(typo, encoding="utf-8")
    before = (example / "ids.yml").read_text(encoding="utf-8")
    result = build(example, write=False)
    warnings = [str(p) for p in result.problems if p.severity == "warning"]
    assert warnings == [
        f"overrides.yml:75:7: warning: stale override: story '{FERRY}' has no fact 'number-kiled'; "
        "did you mean 'number-killed'?",
        "overrides.yml:87:3: warning: unknown story id 'tarsenian-president-to-make-first-state-vist'; "
        f"did you mean '{SUMMIT}'?"]
    assert [c for c in result.digest.changes.stale_overrides] == warnings
    with pytest.raises(ConfigError):
        build(example, strict=True)
    with pytest.raises(ConfigError):  # the scheduled workflow: nothing is published
        build(example, strict_overrides=True)
    scheduled = CliRunner().invoke(main, ["build", "--project", str(example), "--no-site", "--quiet"],
                                   env={"GITHUB_EVENT_NAME": "schedule"})
    assert scheduled.exit_code == 2 and "error: unknown story id" in scheduled.output
    assert (example / "ids.yml").read_text(encoding="utf-8") == before  # never written by a failed build
    out = CliRunner().invoke(main, ["check", "--project", str(example), "--fix"])
    assert out.exit_code == 0, out.output
    assert "overrides.yml:75:7: fixed: 'number-kiled' -> 'number-killed'" in out.output
    assert overrides.read_text(encoding="utf-8") == text.replace(
        "      number-killed:\n        pin: true", "      number-killed:   # the toll\n        pin: true")
    assert (example / "ids.yml").read_text(encoding="utf-8") == before  # check writes no registry


def test_the_build_summary_and_the_changes_page(example):
    shutil.copy(FIXTURES / "summit-000-coastline-news.md", example / "articles")
    out = CliRunner().invoke(main, ["build", "--project", str(example), "--no-site"])
    assert out.exit_code == 0, out.output
    assert "changes since the last published build:" in out.output
    page = (example / "docs" / "changes.md").read_text(encoding="utf-8")
    assert "# Changes since the last build" in page and "Rows changed" in page
    assert "(changes.md)" in (example / "docs" / "about.md").read_text(encoding="utf-8")
    data = json.loads((example / "docs" / "digest.json").read_text(encoding="utf-8"))
    assert data["changes"]["first_build"] is False and data["changes"]["rows_changed"]


# The naming rules on their own (no spaCy): groups of article ids against a registry.

from digest.ids import Registry, name_stories  # noqa: E402
from digest.ids.registry import StoryEntry  # noqa: E402


def named(registry: Registry, *groups: tuple[str, ...]):
    naming = name_stories(registry, [(f"proposed-{i}", g) for i, g in enumerate(groups)])
    return [sid for sid, _ in naming.groups], dict(naming.aliases)


def test_naming_merge_keeps_the_older_id_split_the_larger_part_and_fresh_ids_are_never_reused():
    registry = Registry((StoryEntry("old", articles=("a", "b")), StoryEntry("newer", articles=("c", "d", "e")),
                         StoryEntry("gone", articles=("z",)), StoryEntry("proposed-1", alias_of="newer")))
    # A bridging article merges both: the older id stays, even on the smaller share.
    assert named(registry, ("a", "b", "c", "d", "e", "x")) == (["old"], {"newer": "old", "proposed-1": "old"})
    # "newer" splits: its id stays with the part holding most of its articles.
    assert named(registry, ("a", "b"), ("c",), ("d", "e")) == (["old", "proposed-1-2", "newer"],
                                                               {"proposed-1": "newer"})
    # A merge undone: the alias comes back for the group it is the heir of.
    merged = Registry((StoryEntry("old", articles=("a", "b", "c", "d")),
                       StoryEntry("later", articles=("c", "d"), alias_of="old")))
    assert named(merged, ("a", "b"), ("c", "d")) == (["old", "later"], {})
    # New groups: the proposed slug unless any registered id (retired or alias) has it.
    assert named(registry, ("q",), ("r",))[0] == ["proposed-0", "proposed-1-2"]


def test_the_registry_is_written_with_the_usual_file_mode(tmp_path):
    """ids.yml is a project file to commit: written as any file the user writes, not 0600."""
    import os
    import stat

    from digest.publish.transaction import _replace_text

    target = tmp_path / "ids.yml"
    _replace_text(target, "version: 1\n")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
