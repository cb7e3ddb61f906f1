"""Golden files for the whole pipeline: the fixture corpus (tests/fixtures/corpus, fictional)
goes through the real readers, cleaning, spaCy, entities, stories, facts and renderer, and the
generated docs/ tree must match tests/golden/corpus/ byte for byte.

After an intended change, regenerate and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_corpus.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from digest.render import STATIC_ASSETS

GOLDEN = REPO / "tests" / "golden" / "corpus"
DIGEST = str(Path(sys.executable).parent / "digest")


def generated(tmp_path: Path) -> dict[str, bytes]:
    project = tmp_path / "project"
    (project / "articles").mkdir(parents=True)
    shutil.copytree(REPO / "tests" / "fixtures" / "corpus", project / "articles", dirs_exist_ok=True)
    shutil.copy(REPO / "digest" / "templates" / "project" / "mkdocs.yml", project / "mkdocs.yml")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([DIGEST, "build", "--no-site", "--quiet", "--no-cache"], cwd=project, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    docs = project / "docs"
    return {str(p.relative_to(docs)): p.read_bytes() for p in sorted(docs.rglob("*"))
            if p.is_file() and p.name != ".digest-manifest.json" and p.relative_to(docs).parts[0] != "about.md"
            and str(p.relative_to(docs)) not in STATIC_ASSETS}  # static assets, checked in test_golden.py


@pytest.mark.slow
def test_fixture_corpus_renders_as_the_golden_files(tmp_path):
    pages = generated(tmp_path)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, content in pages.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(content)
    expected = {str(p.relative_to(GOLDEN)): p.read_bytes() for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(pages) == sorted(expected), \
        "pages added or removed: run UPDATE_GOLDEN=1 pytest tests/test_golden_corpus.py and review the diff"
    for rel, content in pages.items():
        assert content == expected[rel], f"{rel} differs from tests/golden/corpus/{rel}"
    assert len([p for p in pages if p.startswith("stories/") and p.endswith(".md") and p != "stories/index.md"]) >= 2
