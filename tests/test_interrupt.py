"""An interrupted or failing build leaves docs/ and site/ byte for byte as they were.

The real CLI (`.venv/bin/digest build`) runs as a subprocess on a copy of the repository's
example project that was built once; an article is edited so the rebuild has work to do, and
SIGINT is sent at a chosen moment. Rather than guessing delays, the test watches the project
folder for the temporary folders each phase creates (publish.write_outputs' docs backup,
publish.docs.write_generated's staging folder, publish.build_site's MkDocs output) and signals as soon as
one appears, so every phase is hit on every run. docs/ holds a few MB of hand-written media so
that copying it takes long enough to be interrupted, as on a real site with images.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, copy_tracked

pytestmark = pytest.mark.slow
DIGEST = str(Path(sys.executable).parent / "digest")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
EDITED = "ferry-002-coastline-news.txt"


def tree(folder: Path) -> dict[str, str]:
    """Every file and link under folder -> sha256 of its bytes (or its link target)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            out[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            out[rel + "/"] = "dir"
    return out


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".digest-") and p.name != ".digest-cache")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("interrupt") / "example"
    project.mkdir()
    copy_tracked("articles", project / "articles")
    copy_tracked("docs", project / "docs")  # the example's hand-written pages only
    for name in ("mkdocs.yml", "overrides.yml"):
        shutil.copy(REPO / name, project / name)
    # Hand-written media: 1000 files, 4 MB, never generated, must survive every failure (many
    # files, so that copying or linking docs/ aside takes long enough to be interrupted).
    media = project / "docs" / "media"
    media.mkdir()
    for i in range(1000):
        (media / f"photo-{i:04}.bin").write_bytes(os.urandom(4 * 1024))
    proc = subprocess.run([DIGEST, "build", "--project", str(project), "--quiet"], env=ENV,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (project / "site" / "index.html").is_file()
    assert (project / ".digest-cache" / "site-build.json").is_file()  # rebuilds start from this site
    return project


@pytest.fixture
def project(built, tmp_path) -> Path:
    return fresh_copy(built, tmp_path / "example")


def fresh_copy(built: Path, copy: Path) -> Path:
    """A fresh copy of the built project with one article edited (a rebuild has work to do)."""
    shutil.copytree(built, copy, symlinks=True)
    article = copy / "articles" / EDITED
    added = "\n\nA fictional paragraph added for the interrupt test.\n"
    article.write_text(article.read_text(encoding="utf-8") + added, encoding="utf-8")
    return copy


def _temp_folder(project: Path, prefix: str) -> Path | None:
    for entry in os.scandir(project):
        if entry.name.startswith(prefix):
            return Path(entry.path)
    return None


def _maps_hold(pid: int, text: str) -> bool:
    try:
        return text in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    """Direct children (the build loads spaCy in a forked helper while it reads and cleans)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def reached(trigger: str, project: Path, pid: int) -> bool:
    """`maps:TEXT` once the process has mapped a file whose path holds TEXT (Linux /proc);
    `prefix` when the temporary folder appears; `prefix/sub/path` once that path exists in
    it and holds a file (the phase is under way, not just starting)."""
    if trigger.startswith("maps:"):
        return any(_maps_hold(p, trigger[5:]) for p in (pid, *_children(pid)))
    prefix, _, inner = trigger.partition("/")
    folder = _temp_folder(project, prefix)
    if folder is None or not inner:
        return folder is not None
    try:
        target = folder / inner
        return target.is_file() or (target.is_dir() and any(os.scandir(target)))
    except OSError:
        return False


def interrupt(project: Path, trigger: str, group: bool = False, *args: str) -> tuple[int, str, bool]:
    """Start a build, send SIGINT when `trigger` (see `reached`) is reached.
    Returns (exit status, stderr, whether the signal reached a running build)."""
    proc = subprocess.Popen([DIGEST, "build", "--project", str(project), "--quiet", *args], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    try:
        while proc.poll() is None and not reached(trigger, project, proc.pid) and time.monotonic() < deadline:
            time.sleep(0.0005)
        hit = proc.poll() is None
        if hit:
            if group:
                os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal: the whole foreground group
            else:
                proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, err, hit


BACKUP_BUG = ("BUG (digest/publish/transaction.py write_outputs): SIGINT while docs/ is being copied to the backup runs "
              "the except branch, which rmtree()s docs/ and moves the PARTIAL backup in: hand-written pages "
              "and media are deleted (about.md and most media files here), yet the CLI says "
              "'docs/ and site/ were left as they were'")

SIGINT_POINTS = [
    # spaCy's compiled modules are mapped (by the build or its model-loading helper): the model
    # is loading while pipeline.run reads, cleans or analyses. A fixed delay would be fragile:
    # too early on a slow machine, the signal lands while Python is still importing the CLI.
    ("maps:/spacy/", False, "mkdocs"),
    # publish.write_outputs has linked the pages about to change aside (the edited article's
    # page among them); the backup stays until the build ends. (Signalling the moment the
    # backup folder appears is racy: it lands either before `try:` or inside the linking.)
    (".digest-docs-backup-/articles", False, "mkdocs"),
    (".digest-staging-", False, "mkdocs"),  # publish.docs.write_generated starts staging the new pages
    (".digest-staging-/new/articles", False, "mkdocs"),  # ... and has staged some
    (".digest-site-", False, "mkdocs"),  # MkDocs starts building into its temporary folder
    (".digest-site-/site/assets", False, "mkdocs"),  # ... and is writing the site
    (".digest-site-/site/assets", True, "mkdocs"),  # the same, with Ctrl-C reaching MkDocs too
    (".digest-site-/site/assets", False, "zensical"),  # Zensical writing the site
    # The incremental site build (the fixture's build left its record): the previous site is
    # being copied by hard links, then MkDocs rebuilds the changed pages into the copy...
    (".digest-site-/site/articles", False, "mkdocs"),
    (".digest-site-/site/pagefind", False, "mkdocs"),  # ... and Pagefind indexes it
    (".digest-site-/site/pagefind", True, "mkdocs"),  # the same, with Ctrl-C reaching Pagefind too
]


@pytest.mark.parametrize("trigger,group,engine", SIGINT_POINTS)
def test_sigint_leaves_docs_and_site_as_they_were(built, project, trigger, group, engine, tmp_path):
    # A fast phase (Zensical builds the small example in a blink) can finish between two polls;
    # then the attempt interrupted nothing and is repeated on a fresh copy.
    # A signal that lands while the new site is being swapped in is held back until the swap is
    # done: the build then finished, and must say so and leave docs/ and site/ both new; that
    # attempt exercised no rollback either, so it is repeated too.
    for attempt in range(5):
        if attempt:
            project = fresh_copy(built, tmp_path / f"attempt-{attempt}")
        docs, site = tree(project / "docs"), tree(project / "site")
        status, err, hit = interrupt(project, trigger, group, "--engine", engine)
        if hit and "after the build finished" in err:
            assert status == 130, err
            assert tree(project / "docs") != docs and tree(project / "site") != site, err
            continue
        if hit:
            break
    assert hit, f"the build finished before {trigger!r} was seen: the test did not interrupt anything"
    assert status == 130, err
    assert err.strip() == "interrupted: docs/ and site/ were left as they were", err
    assert tree(project / "docs") == docs, f"docs/ changed after SIGINT at {trigger!r}\n{err}"
    assert tree(project / "site") == site, f"site/ changed after SIGINT at {trigger!r}\n{err}"
    if "/" in trigger and not trigger.startswith("maps:"):
        # Signalled inside the phase's try block: its finally must remove the temporary folder.
        # (Right at creation the signal can land between mkdtemp and `try:`, a window of a few
        # bytecodes that leaks the folder; reported, not asserted here since it is a race.)
        assert leftovers(project) == [], "temporary folders left behind"


def test_sigint_then_rebuild_succeeds(project):
    """After an interrupted build the next one works and picks up the edit."""
    status, _, hit = interrupt(project, ".digest-site-")
    assert hit and status != 0
    proc = subprocess.run([DIGEST, "build", "--project", str(project), "--quiet"], env=ENV,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "interrupt test" in (project / "docs" / "digest.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("breakage", [
    lambda text: text + "\nnot_a_mkdocs_key: [\n",  # YAML syntax error: MkDocs fails after docs/ was written
    lambda text: text.replace("name: material", "name: no-such-theme"),  # a configuration error
], ids=["yaml-syntax", "unknown-theme"])
def test_failed_site_build_leaves_docs_and_site_as_they_were(project, breakage):
    docs, site = tree(project / "docs"), tree(project / "site")
    config = project / "mkdocs.yml"
    broken = breakage(config.read_text(encoding="utf-8"))
    assert broken != config.read_text(encoding="utf-8")
    config.write_text(broken, encoding="utf-8")
    proc = subprocess.run([DIGEST, "build", "--project", str(project), "--quiet"], env=ENV,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("error: site build failed: mkdocs build failed"), proc.stderr
    assert "Traceback" not in proc.stderr
    assert tree(project / "docs") == docs
    assert tree(project / "site") == site
    assert leftovers(project) == []


def test_sigint_after_the_site_is_swapped_in_is_reported_truthfully(project):
    docs, site = tree(project / "docs"), tree(project / "site")
    proc = subprocess.Popen([DIGEST, "build", "--project", str(project)], env=ENV,  # with the summary
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = False
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        present = _temp_folder(project, ".digest-site-") is not None
        if seen and not present:
            break  # publish.build_site has swapped the new site in and cleaned up
        seen = seen or present
        time.sleep(0.0005)
    hit = proc.poll() is None
    if hit:
        proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert seen and hit, "did not catch the moment after the swap"
    if "left as they were" in err:
        assert (tree(project / "docs"), tree(project / "site")) == (docs, site), err
