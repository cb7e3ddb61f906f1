"""Shared fixtures: the read-only corpus beside the repo, and one spaCy model per session."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()


# Under CI every property test runs the same examples each time (a failure found by chance is
# pinned with @example and fixed, never left to luck); elsewhere they explore.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def shared_path(*parts: str) -> Path:
    """A path under ../shared; fails (never skips) under CI when it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must have ../shared beside the repository")
        pytest.skip(f"{path} not available")
    return path


def copy_tracked(name: str, target: Path) -> None:
    """Copy the repository's `name` (a file or folder) to `target` as git tracks it: never what
    a build or an editor left in the working tree (`make demo` fills docs/ with generated pages,
    which in a copy without their manifest would look hand-written). Outside a git checkout
    (an unpacked archive holds only tracked files) everything is copied."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", name], cwd=REPO, capture_output=True,
                                check=True).stdout.decode("utf-8", "surrogateescape").split("\0")
    except (OSError, subprocess.CalledProcessError):
        listed = None
    source = REPO / name
    if listed is None:
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
        return
    files = [rel for rel in listed if rel]
    if not files:
        raise FileNotFoundError(f"{name} is not tracked by git in {REPO}")
    for rel in files:
        destination = target / Path(rel).relative_to(name) if source.is_dir() else target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / rel, destination)


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_path()


@pytest.fixture(scope="session")
def nlp():
    from digest.analysis.nlp import load_model

    return load_model("en_core_web_sm")
