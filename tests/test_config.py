from pathlib import Path

import pytest

from digest.config import ConfigError, load_settings


def make_project(tmp_path: Path, settings: str | None = None) -> Path:
    (tmp_path / "articles").mkdir()
    if settings is not None:
        (tmp_path / "digest.yml").write_text(settings, encoding="utf-8")
    return tmp_path


def test_defaults_are_relative_to_the_project(tmp_path):
    s = load_settings(make_project(tmp_path))
    assert s.articles == tmp_path / "articles"
    assert s.docs == tmp_path / "docs"
    assert s.overrides == tmp_path / "overrides.yml"
    assert s.model == "en_core_web_sm" and s.engine == "mkdocs"


def test_settings_file_and_command_line(tmp_path):
    project = make_project(tmp_path, "docs: pages\nmodel: my_model\nfeeds: [http://127.0.0.1/feed]\n")
    s = load_settings(project, docs=None, model=None)
    assert s.docs == tmp_path / "pages" and s.model == "my_model" and s.feeds == ("http://127.0.0.1/feed",)
    s = load_settings(project, model="other")
    assert s.model == "other"


def test_every_error_is_reported_with_its_line(tmp_path):
    project = make_project(tmp_path, "title: x\ndoc: pages\nprocesses: -1\nengine: hugo\n")
    with pytest.raises(ConfigError) as info:
        load_settings(project)
    lines = [str(p) for p in info.value.problems]
    assert lines == [
        f"{tmp_path / 'digest.yml'}:2:1: error: unknown setting 'doc' (did you mean 'docs'?)",
        f"{tmp_path / 'digest.yml'}:3:12: error: 'processes': expected a non-negative integer",
        f"{tmp_path / 'digest.yml'}:4:9: error: 'engine': expected one of: mkdocs, zensical but received: 'hugo'",
    ]


def test_yaml_syntax_error_names_line(tmp_path):
    project = make_project(tmp_path, "title: [unclosed\n")
    with pytest.raises(ConfigError) as info:
        load_settings(project)
    (problem,) = info.value.problems
    assert problem.path.endswith("digest.yml") and problem.line == 2


def test_missing_articles_folder(tmp_path):
    with pytest.raises(ConfigError, match="articles folder does not exist"):
        load_settings(tmp_path)
