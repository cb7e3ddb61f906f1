"""The scheduled workflow's steps, run as written: the `run:` scripts of
digest/templates/project/.github/workflows/fetch.yml are taken from the YAML and executed with
bash -e (what GitHub runs them with) in a fresh `digest init` project that is a git clone of a
local bare repository, fetching from a feed served on 127.0.0.1.

What the runner would do with `uses:` steps is done here by hand: checkout is the clone, the
install is this test environment's digest, the cache and Pages steps are not needed. The build
runs with --no-site: the site build is tested elsewhere (tests/test_e2e.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from localhttp import HTML, RSS, Handler, Reply, Server, serve  # noqa: F401 (serve: a fixture)

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / "digest" / "templates" / "project" / ".github" / "workflows" / "fetch.yml"

GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

ARTICLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Harbour Post</title>
<meta property="og:site_name" content="Harbour Post">
<meta property="article:published_time" content="2024-05-15T09:00:00+00:00"></head>
<body><header><nav><a href="/">Home</a></nav></header><article><h1>{title}</h1>
<p>{lead} The harbour master of the invented port of Corvenna said on Wednesday that the morning
ferries would run on a reduced timetable while inspectors examined the quay.</p>
<p>Officials told reporters that two vessels had been moved to the northern basin and that the
passenger terminal would stay open. A spokesperson for the ferry operator said the company was
working closely with the port authority and expected to publish a new timetable on Thursday.</p>
<p>Residents gathered along the promenade to watch the tugboats. Several shop owners said trade
had slowed, but most expected the quay to reopen before the weekend market.</p>
<p>This is a fictional example written for digest's tests. Not real news.</p>
</article></body></html>"""


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "*")


def steps() -> dict[str, dict]:
    data = yaml.safe_load(WORKFLOW.read_text())
    return {s["id"]: s for s in data["jobs"]["fetch"]["steps"] if "id" in s}


def workflow_env() -> dict[str, str]:
    return {k: str(v) for k, v in yaml.safe_load(WORKFLOW.read_text())["env"].items()}


class Runner:
    """Runs a step's script the way GitHub does: `bash -e {0}`, the workflow's and the step's
    env (expressions replaced by the values a runner would give), GITHUB_OUTPUT collected."""

    def __init__(self, project: Path, tmp: Path) -> None:
        self.project = project
        self.tmp = tmp
        self.outputs: dict[str, dict[str, str]] = {}

    def run(self, step_id: str, expressions: dict[str, str] | None = None,
            edit=lambda script: script) -> subprocess.CompletedProcess:
        step = steps()[step_id]
        script = edit(step["run"])
        env_values = {}
        for name, value in step.get("env", {}).items():
            value = str(value)
            for expression, replacement in (expressions or {}).items():
                value = value.replace(expression, replacement)
            assert "${{" not in value, f"{step_id}: no value given for {value}"
            env_values[name] = value
        output = self.tmp / f"output-{step_id}"
        output.write_text("")
        script_file = self.tmp / f"{step_id}.sh"
        script_file.write_text(script)
        env = {**os.environ, **GIT_ENV, **workflow_env(), **env_values,
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               "GITHUB_OUTPUT": str(output), "GITHUB_REF_NAME": "main", "CI": "true"}
        proc = subprocess.run(["bash", "-e", str(script_file)], cwd=self.project, env=env,
                              capture_output=True, text=True, timeout=300)
        self.outputs[step_id] = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        return proc


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def project(tmp_path, serve):
    """A fresh `digest init` project, pushed to a bare `origin`, whose digest.yml lists a feed
    served on 127.0.0.1; yields (project, origin, server, runner)."""
    server: Server = serve()
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Post</title>'
            f'<item><title>Quay closed</title><link>{server.url("/news/quay-closed")}</link>'
            "<pubDate>Wed, 15 May 2024 09:00:00 +0000</pubDate></item>"
            f'<item><title>Ferries resume</title><link>{server.url("/news/ferries-resume")}</link>'
            "<pubDate>Wed, 15 May 2024 12:00:00 +0000</pubDate></item></channel></rss>").encode()

    def conditional_feed(handler: Handler) -> Reply:
        if handler.headers.get("If-None-Match") == '"one"':
            return 304, {"ETag": '"one"'}, b""
        return 200, {**RSS, "ETag": '"one"'}, feed

    server.routes["/feed.xml"] = conditional_feed
    server.routes["/news/quay-closed"] = (200, HTML, ARTICLE.format(
        title="Corvenna quay closed for inspection", lead="The main quay was closed on Wednesday.").encode())
    server.routes["/news/ferries-resume"] = (200, HTML, ARTICLE.format(
        title="Corvenna ferries resume on a reduced timetable", lead="Ferries sailed again at noon.").encode())
    origin = tmp_path / "origin.git"
    project = tmp_path / "news"
    subprocess.run([sys.executable, "-m", "digest", "init", str(project)], check=True, capture_output=True)
    (project / "digest.yml").write_text(f"feeds:\n  - {server.url('/feed.xml')}\n", encoding="utf-8")
    git("init", "--quiet", "--bare", "--initial-branch=main", str(origin), cwd=tmp_path)
    git("init", "--quiet", "--initial-branch=main", cwd=project)
    git("add", "--all", cwd=project)
    git("commit", "--quiet", "-m", "digest init", cwd=project)
    git("remote", "add", "origin", str(origin), cwd=project)
    git("push", "--quiet", "origin", "main", cwd=project)
    runner_tmp = tmp_path / "runner"
    runner_tmp.mkdir()
    yield project, origin, server, Runner(project, runner_tmp)


def no_site(script: str) -> str:
    assert script.count("digest build ||") == 1
    return script.replace("digest build ||", "digest build --no-site ||")


@pytest.mark.slow
def test_workflow_steps_fetch_build_commit_then_nothing_new(project, tmp_path):
    project, origin, server, runner = project
    fetched = runner.run("fetch")
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert fetched.stdout.splitlines()[-1] == "2 saved, 0 skipped, 0 failed"

    changes = runner.run("changes")
    assert changes.returncode == 0, changes.stderr
    assert runner.outputs["changes"] == {"new": "true", "count": "2"}

    # Meanwhile an editor pushes a correction: the commit step must replay on top of it.
    editor = tmp_path / "editor"
    git("clone", "--quiet", str(origin), str(editor), cwd=tmp_path)
    (editor / "overrides.yml").write_text("outlets:\n  127.0.0.1: Harbour Post\n")
    git("commit", "--quiet", "-am", "Name the outlet", cwd=editor)
    git("push", "--quiet", "origin", "main", cwd=editor)

    built = runner.run("build", {"${{ steps.pages.outputs.base_url }}": "https://example.github.io/news"},
                       edit=no_site)
    assert built.returncode == 0, built.stdout + built.stderr
    digest_json = (project / "docs" / "digest.json").read_text()
    assert "Corvenna quay closed for inspection" in digest_json and "Ferries resume" not in built.stderr

    committed = runner.run("commit", {"${{ steps.changes.outputs.count }}": runner.outputs["changes"]["count"]})
    assert committed.returncode == 0, committed.stdout + committed.stderr
    log = git("log", "--format=%s", "main", cwd=origin).splitlines()
    assert log == ["digest fetch: 2 new article(s)", "Name the outlet", "digest init"]
    files = git("show", "--name-only", "--format=", "main", cwd=origin).split()
    assert sorted(Path(f).suffix for f in files) == [".html", ".html", ".json", ".json", ".json", ".yml"]
    assert "articles/.index.fetch.json" in files and not any(f.startswith("docs/") for f in files)
    # The id registry the build wrote goes with the articles: the ids it gave are remembered.
    assert "ids.yml" in files and "stories:" in git("show", "main:ids.yml", cwd=origin)
    assert git("show", "main:overrides.yml", cwd=origin).startswith("outlets:")

    # The next scheduled run: nothing new, so nothing after the check runs (their `if:`), nothing pushed.
    again = runner.run("fetch")
    assert again.returncode == 0 and again.stdout.splitlines()[-1] == "0 saved, 0 skipped, 0 failed"
    assert "feed not modified since the last run" in again.stdout  # the validators were committed
    nothing = runner.run("changes")
    assert nothing.returncode == 0 and runner.outputs["changes"] == {"new": "false"}
    assert "Nothing new: nothing is committed or deployed." in nothing.stdout
    assert git("log", "--format=%s", "-1", "main", cwd=origin).strip() == "digest fetch: 2 new article(s)"


def test_workflow_steps_a_feed_that_is_down_warns_and_publishes_nothing(project):
    project, origin, server, runner = project
    server.routes["/feed.xml"] = (503, {"Content-Type": "text/plain"}, b"down for maintenance")
    fetched = runner.run("fetch")
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr  # the run goes on ...
    assert fetched.stderr == f"{server.url('/feed.xml')}: error: HTTP 503 Service Unavailable (after 3 attempts)\n"
    assert "::warning title=digest fetch::some sources or pages could not be fetched" in fetched.stdout
    assert runner.run("changes").returncode == 0 and runner.outputs["changes"] == {"new": "false"}  # ... to nothing


def test_workflow_steps_bad_settings_fail_the_run(project):
    project, origin, server, runner = project
    (project / "digest.yml").write_text("feeds: []\nmax_age_days: 0\n")
    fetched = runner.run("fetch")
    assert fetched.returncode == 2
    assert fetched.stderr.strip() == f"{project / 'digest.yml'}:2:15: error: 'max_age_days': expected a whole number of at least 1"
