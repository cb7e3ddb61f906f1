"""A week of daily runs, as the scheduled workflow makes them: the 7-day version of
benchmarks/year.py (a local site on 127.0.0.1 publishing real BBC articles every day; each day
`digest fetch` from the project's feed, then `digest build` with the site)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import REPO, shared_path

sys.path.insert(0, str(REPO / "benchmarks"))
import year  # noqa: E402 (benchmarks is not a package)

PER_DAY = 3
DAYS = 7
DAILY_LIMIT = 60.0  # seconds for fetch + build, the target for a daily run


def digest(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    return subprocess.run([sys.executable, "-m", "digest", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


@pytest.fixture
def week(tmp_path):
    shared_path("corpus", "bbc-news")
    today = datetime.now(timezone.utc).replace(hour=6, minute=0, second=0, microsecond=0)
    pool = year.Pool(PER_DAY, today, DAYS)
    server, base = year.serve(pool)
    project = tmp_path / "news"
    assert digest("init", str(project), cwd=tmp_path).returncode == 0
    (project / "digest.yml").write_text(f"feeds:\n  - {base}/feed.xml\n", encoding="utf-8")
    yield pool, project
    server.shutdown()


def test_a_week_of_daily_runs_each_under_a_minute(week):
    pool, project = week
    bundled = len(list((project / "articles").iterdir()))  # digest init's welcome article
    seen: set[str] = set()
    for day in range(1, DAYS + 1):
        pool.published_days = day
        start = time.perf_counter()
        fetched = digest("fetch", "--delay", "0", cwd=project)
        assert fetched.returncode == 0, fetched.stderr
        built = digest("build", "--quiet", cwd=project)
        assert built.returncode in (0, 1), built.stderr
        elapsed = time.perf_counter() - start
        assert elapsed < DAILY_LIMIT, f"day {day}: {elapsed:.1f} s"
        data = json.loads((project / "site" / "digest.json").read_text(encoding="utf-8"))
        assert len(data["articles"]) == bundled + day * PER_DAY, f"day {day}"
        # The archive (issue 20): each of the run's articles is on its month's page (the week
        # may span two months), and the archive index links that page.
        new = [a for a in data["articles"] if a["id"] not in seen]
        seen.update(a["id"] for a in data["articles"])
        archive = (project / "docs" / "archive" / "index.md").read_text(encoding="utf-8")
        for article in new:
            month = article["published"][:7] if article["published"] else "undated"
            page = (project / "docs" / "archive" / f"{month}.md").read_text(encoding="utf-8")
            assert f"(../{article['page']})" in page, f"day {day}: {article['id']} not on archive/{month}.md"
            assert f"]({month}.md)" in archive, f"day {day}: archive/{month}.md not in the index"
    # The next run finds nothing new and says so; the site stays as it was.
    before = (project / "site" / "digest.json").read_bytes()
    again = digest("fetch", "--delay", "0", cwd=project)
    assert again.returncode == 0 and f"0 saved, {DAYS * PER_DAY} skipped, 0 failed" in again.stdout
    assert digest("build", "--quiet", cwd=project).returncode in (0, 1)
    assert (project / "site" / "digest.json").read_bytes() == before
