"""CLI contract: exit statuses, exact one-line errors, every command documented in the README."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.render.csv_export import HEADER

from conftest import REPO, copy_tracked


def test_every_command_and_option_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"digest {name}" in readme, f"`digest {name}` is not in README.md"
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in ("--help",):
                    assert opt in readme, f"`digest {name} {opt}` is not in README.md"


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "x.txt").write_text("x")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.strip() == f"{tmp_path}: folder is not empty (use --force to write into it anyway)"


def test_build_without_articles_folder_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", "--project", str(tmp_path), "--no-site"])
    assert result.exit_code == 2
    assert result.output.strip() == f"{tmp_path / 'articles'}: error: articles folder does not exist"


def test_bad_engine_is_rejected_by_click(tmp_path):
    result = CliRunner().invoke(main, ["build", "--engine", "hugo"])
    assert result.exit_code == 2
    assert "Invalid value for '--engine'" in result.output


def test_help_lists_the_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in ("init", "build", "check", "serve", "facts"):
        assert re.search(rf"^\s+{name}\s", result.output, re.M), name


def test_missing_spacy_model_is_a_configuration_error_and_writes_nothing(tmp_path):
    project = tmp_path / "p"
    copy_tracked("articles", project / "articles")
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--no-site", "--model", "no_such_model_x"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("no_such_model_x: error: spaCy model cannot be loaded (Can't find model")
    assert "Traceback" not in result.output and not (project / "docs").exists()


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The bundled example's inputs, analysed once (its cache makes each command below quick)."""
    project = tmp_path_factory.mktemp("facts") / "example"
    for name in ("articles", "mkdocs.yml", "overrides.yml"):
        copy_tracked(name, project / name)
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 0, result.output
    return project


def facts_output(project, *args, columns=80):
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, ["facts", "--project", str(project), *args])
    return result


def test_facts_prints_story_ids_and_whole_fact_ids_at_80_columns(example):
    data = json.loads(facts_output(example, "--format", "json").output)
    result = facts_output(example, columns=80)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    for story in data:
        assert f"story id: {story['story']}" in result.output
        for fact in story["facts"]:
            assert fact["id"] in lines, fact["id"]  # on a line of its own, whole
    wide = facts_output(example, columns=400).output
    for story in data:
        for fact in story["facts"]:
            assert any(line.split("│")[1:2] == [f" {fact['id']} "] or f"│ {fact['id']} " in line
                       for line in wide.splitlines()), fact["id"]


def test_facts_csv_is_the_sites_download(example, tmp_path):
    """`digest facts --format csv --story X` prints exactly the CSV the site offers for X."""
    project = tmp_path / "p"
    for name in ("articles", "mkdocs.yml", "overrides.yml"):
        copy_tracked(name, project / name)
    built = CliRunner().invoke(main, ["build", "--project", str(project), "--no-site", "-q"])
    assert built.exit_code == 0, built.output
    data = json.loads((project / "docs" / "digest.json").read_text(encoding="utf-8"))
    for story in data["stories"]:
        printed = facts_output(project, "--format", "csv", "--story", story["id"])
        assert printed.exit_code == 0
        assert printed.stdout_bytes == (project / "docs" / story["csv"]).read_bytes()


def test_facts_suggests_the_story_id_meant(example):
    data = json.loads(facts_output(example, "--format", "json").output)
    wanted = data[0]["story"]
    result = facts_output(example, "--story", wanted.split("-")[0])
    assert result.exit_code == 2
    assert f"did you mean '{wanted}'" in result.stderr
    typo = facts_output(example, "--story", wanted[:-1] + "x")
    assert typo.exit_code == 2 and f"'{wanted}'" in typo.stderr
    assert facts_output(example, "--story", wanted).exit_code == 0


def test_facts_csv_cells_never_run_as_formulas(example, tmp_path):
    """The CLI's CSV goes through the site's CSV writer: a value a spreadsheet would run as a
    formula is written as text."""
    data = json.loads(facts_output(example, "--format", "json").output)
    story, fact = data[0]["story"], data[0]["facts"][0]["id"]
    project = tmp_path / "p"
    for name in ("articles", "mkdocs.yml"):
        copy_tracked(name, project / name)
    (project / "overrides.yml").write_text(
        f"stories:\n  {story}:\n    facts:\n      {fact}:\n        value: \"=HYPERLINK(1)\"\n", encoding="utf-8")
    result = facts_output(project, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert tuple(rows[0]) == HEADER  # the site's per-story download has the same shape
    assert {row[6] for row in rows[1:]} <= {"true", "false"}  # pinned
    values = [row[4] for row in rows[1:] if row[:2] == [story, fact]]
    assert values and all(v == "'=HYPERLINK(1)" for v in values), values
def test_check_reports_not_articles_unnamed_outlets_and_undated_articles(tmp_path):
    project = tmp_path / "p"
    (project / "articles").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: Test\n")
    body = " ".join(["The harbour bridge reopened to traffic on Monday after six months of repairs, "
                     "the city council said in a statement."] * 12)
    (project / "articles" / "named.json").write_text(json.dumps(
        {"title": "Bridge reopens", "text": body, "source_domain": "www.theguardian.com",
         "date_publish": "2030-05-15 20:41:00"}))
    (project / "articles" / "bare.json").write_text(json.dumps(
        {"title": "Bridge reopens again", "text": body, "source_domain": "news.harbour-times.test"}))
    (project / "articles" / "clip.json").write_text(json.dumps(
        {"title": "Bridge clip", "text": "The bridge.", "url": "https://harbour-times.test/videos/bridge",
         "date_publish": "2030-05-15"}))
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    out = result.stdout
    assert "articles/bare.json: note: outlet 'harbour-times.test' is only a domain" in out
    assert "articles/bare.json: note: undated" in out
    assert "articles/clip.json: note: not an article: video page" in out
    assert "named.json" not in out
    assert "1 not articles, 2 articles without an outlet name, 1 undated" in out


def test_check_explain_lists_dropped_candidates_and_merges(tmp_path):
    project = tmp_path / "p"
    (project / "articles").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: Test\n")
    for name, outlet in (("a", "www.theguardian.com"), ("b", "www.bbc.co.uk")):
        body = ("Fire crews said four people were injured when a warehouse burned near the harbour on Monday. "
                "In 2009 a 30-tonne crane fell onto the same harbour road at another site. ") * 3
        (project / "articles" / f"{name}.json").write_text(json.dumps(
            {"title": "Harbour warehouse fire", "text": body, "source_domain": outlet,
             "date_publish": "2030-05-15 20:41:00"}))
    result = CliRunner().invoke(main, ["check", "--project", str(project), "--explain"])
    assert "past year 2009" in result.stdout
    assert "merged number 'Injured'" in result.stdout
