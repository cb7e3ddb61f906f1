"""CLI contract: exit statuses, exact one-line errors, every command documented in the README."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from digest.cli import main

REPO = Path(__file__).resolve().parents[1]


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
    import shutil

    project = tmp_path / "p"
    shutil.copytree(REPO / "articles", project / "articles")
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--no-site", "--model", "no_such_model_x"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("no_such_model_x: error: spaCy model cannot be loaded (Can't find model")
    assert "Traceback" not in result.output and not (project / "docs").exists()


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
