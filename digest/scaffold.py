"""`digest init`: a new project from the bundled template.

The template's workflows must install digest on GitHub's runners. Our distribution is
`digest-news` (the command and the import stay `digest`; the name `digest` on PyPI belongs to
another project), and until it is published there the workflows install it from a URL, with the
`model` extra (the spaCy model the build needs). When this copy of digest was installed from one
(a git URL or an archive: pip records it, PEP 610), the new workflows get that URL, pinned to the
installed commit. From a local folder or an index there is nothing a runner can reach: the
placeholder stays and `init` says what to set.
"""

from __future__ import annotations

import importlib.metadata
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

DISTRIBUTION = "digest-news"
EXTRAS = "[model]"  # what a workflow's build needs besides digest itself
WORKFLOW = Path(".github") / "workflows" / "pages.yml"  # publishes on every push
FETCH_WORKFLOW = Path(".github") / "workflows" / "fetch.yml"  # fetches, commits and publishes on a schedule
WORKFLOWS = (WORKFLOW, FETCH_WORKFLOW)  # both install digest from DIGEST_PACKAGE
PLACEHOLDER = f"{DISTRIBUTION}{EXTRAS} @ git+https://github.com/your-org/digest.git"


@dataclass(frozen=True)
class Scaffolded:
    written: tuple[Path, ...]
    package: str | None  # what the workflow installs, None when the placeholder stayed


def install_source(direct_url: str | None) -> str | None:
    """A pip requirement for where this digest came from, or None when a runner cannot use it.
    `direct_url` is the text of the distribution's direct_url.json."""
    try:
        info = json.loads(direct_url) if direct_url else None
    except ValueError:
        return None
    if not isinstance(info, dict) or not isinstance(info.get("url"), str):
        return None
    url = info["url"]
    if not url.startswith(("https://", "http://", "ssh://", "git@")):
        return None  # file:// (a local folder or wheel) is on this machine only
    vcs = info.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git":
        commit = vcs.get("commit_id")
        return f"{DISTRIBUTION}{EXTRAS} @ git+{url}" + (f"@{commit}" if isinstance(commit, str) and commit else "")
    if isinstance(info.get("archive_info"), dict):
        return f"{DISTRIBUTION}{EXTRAS} @ {url}"
    return None


def installed_source() -> str | None:
    try:
        return install_source(importlib.metadata.distribution(DISTRIBUTION).read_text("direct_url.json"))
    except importlib.metadata.PackageNotFoundError:
        return None


def scaffold(directory: Path, force: bool) -> Scaffolded:
    """Copy the template into `directory` (existing files are kept unless `force`) and point
    the workflows at where digest was installed from, when that is known."""
    template = resources.files("digest") / "templates" / "project"
    written = _copy_tree(template, directory, force)
    package = installed_source()
    for workflow in (directory / name for name in WORKFLOWS):
        if package and workflow in written:
            text = workflow.read_text(encoding="utf-8")
            workflow.write_text(text.replace(json.dumps(PLACEHOLDER), json.dumps(package)), encoding="utf-8")
    return Scaffolded(tuple(written), package)


def _copy_tree(source, target: Path, force: bool) -> list[Path]:
    written: list[Path] = []
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        name = entry.name
        if name == "__pycache__":
            continue
        destination = target / name
        if entry.is_dir():
            written += _copy_tree(entry, destination, force)
        elif force or not destination.exists():
            destination.write_bytes(entry.read_bytes())
            written.append(destination)
    return written
