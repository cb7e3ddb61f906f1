"""Shared fixtures: the read-only corpus beside the repo, and one spaCy model per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()


def shared_path(*parts: str) -> Path:
    """A path under ../shared; fails (never skips) under CI when it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must have ../shared beside the repository")
        pytest.skip(f"{path} not available")
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_path()


@pytest.fixture(scope="session")
def nlp():
    from digest.analysis.nlp import load_model

    return load_model("en_core_web_sm")
