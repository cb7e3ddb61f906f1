"""Broken and hostile input files through the real CLI (`.venv/bin/digest`), real spaCy and MkDocs.

One project holds two good articles beside every kind of bad input the issue lists. The build
must report each bad file as exactly one line naming it (and the line for JSONL and YAML), show
no traceback, still build the good articles, and exit 1; a clean project exits 0; with --strict
warnings count too. Every fixture is generated at test time in a tmp folder.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.readers.common import HTML_MAX_BYTES, TEXT_MAX_BYTES

pytestmark = pytest.mark.slow
DIGEST = str(Path(sys.executable).parent / "digest")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", COLUMNS="200")
MB = 1024 * 1024

GOOD_TXT = """Fictional harbour reopens after the storm

The fictional harbour of Corvenna reopened on Tuesday morning after a two-day storm closed it to every ship, the port authority said in a statement.

Harbour master Ilse Varn said 14 cargo ships and three ferries had waited outside the breakwater since Sunday. "The crews were patient and nobody was hurt," she told reporters at the quay.

The storm brought winds of 110 kilometres an hour to the coast of the invented republic of Valdoria. Two fishing boats broke their moorings, the authority said, but both were recovered.

Ferry services to Tarsen resumed at noon, operator Coastline Lines said. Passengers with tickets for cancelled sailings can travel on any ferry this week.
"""

GOOD_MD = """---
title: Fictional council approves a new bridge over the Sella
date: 2025-10-01
outlet: Example Gazette
---
The town council of the fictional city of Valdoria approved a new bridge over the river Sella on Monday, Mayor Ada Pell said after the vote.

The bridge will cost 40 million crowns and is due to open in 2027, the council said in a statement. Nineteen councillors voted for the plan and four against it.

Opponents said the money should go to the city's schools. "We need classrooms before we need another bridge," councillor Tomas Brek said during the debate.

Construction is expected to start next spring, Pell said, once the regional government has approved the budget.
"""

JSONL_GOOD_1 = {"title": "Fictional school opens in Valdoria", "source_domain": "valdoriawire.example",
                "text": "The fictional mayor of Valdoria, Ada Pell, opened a new school on Friday, officials said. "
                        "Around 300 pupils will attend it from next week.\n"
                        "The school cost 12 million crowns and has 20 classrooms, the city said. Teachers "
                        "moved into the building on Thursday. Parents praised the new playground, and the "
                        "head teacher, Mira Sol, said the library would open to the public on Saturdays."}
JSONL_GOOD_3 = {"title": "Fictional train reaches Tarsen late", "source_domain": "valdoriawire.example",
                "text": "A fictional night train reached Tarsen two hours late on Sunday, the operator Valdoria "
                        "Rail said.\nA fallen tree had blocked the line near the border for most of the night. "
                        "About 200 passengers were on board and nobody was hurt, the operator said. Crews "
                        "cleared the line by dawn and services ran normally on Monday, a spokesman said."}
SECRET = "Outside text that must never be read: token 7f3c9e"


def prose(size: int, seed: int = 1) -> str:
    """`size` characters of fictional sentences in paragraphs (real text, not zeros)."""
    rng = random.Random(seed)
    words = ("harbour ferry storm council bridge mayor passengers officials Tarsen Valdoria said the "
             "crew port ships coast river vote budget school train line").split()
    parts: list[str] = []
    total = 0
    while total < size:
        sentence = " ".join(rng.choice(words) for _ in range(14)).capitalize() + ". "
        if rng.random() < 0.15:
            sentence += "\n\n"
        parts.append(sentence)
        total += len(sentence)
    return "".join(parts)[:size]


def write_big_html(path: Path, size: int) -> None:
    body = prose(size)
    path.write_text("<!doctype html><html><head><title>A very long fictional page</title></head><body><article>"
                    + "".join(f"<p>{p}</p>\n" for p in body.split("\n\n")) + "</article></body></html>",
                    encoding="utf-8")


def mb(path: Path) -> str:
    return f"{path.stat().st_size / MB:.1f} MB"


def new_project(root: Path) -> Path:
    """A project from `digest init`, with its sample article replaced by two good ones."""
    result = CliRunner().invoke(main, ["init", str(root)])
    assert result.exit_code == 0, result.output
    articles = root / "articles"
    for sample in articles.iterdir():
        sample.unlink()
    (articles / "good-harbour.txt").write_text(GOOD_TXT, encoding="utf-8")
    (articles / "good-bridge.md").write_text(GOOD_MD, encoding="utf-8")
    return root


def _bad_inputs(articles: Path, outside: Path) -> dict[str, str | re.Pattern[str]]:
    """Write every bad input; return file name -> the exact line expected (a regex where the tail
    may change: the list of known suffixes, the column of a YAML reader error)."""
    (articles / "empty.txt").write_bytes(b"")
    (articles / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (articles / "nul-bytes.txt").write_bytes(b"Plain looking text\x00with a NUL byte in the middle.\n")
    (articles / "undecodable.txt").write_bytes(b"\xef\xbb\xbfUTF-8 mark, then \xff\xfe bytes no UTF-8 has.\n")
    (articles / "broken-utf16.txt").write_bytes(b"\xff\xfeA\x00B\x00\x00\xd8")  # a lone surrogate half
    (articles / "huge.txt").write_text(prose(50 * MB), encoding="utf-8")
    write_big_html(articles / "huge.html", 20 * MB)
    (articles / "broken.json").write_text('{\n  "title": "Fictional",\n  "text": \n}\n', encoding="utf-8")
    (articles / "feed.jsonl").write_text(
        json.dumps(JSONL_GOOD_1) + "\n{not json at all\n" + json.dumps(JSONL_GOOD_3) + "\n", encoding="utf-8")
    (articles / "no-body.html").write_text("<html><head><title>Nothing here</title></head></html>", encoding="utf-8")
    (articles / "bad-front.md").write_text("---\ntitle: Fine\ndate: [2025-01-01\nauthor: x\n---\nBody text.\n",
                                           encoding="utf-8")
    (articles / "control-front.md").write_text("---\ntitle: Form\x0cfeed\n---\n" + GOOD_MD.split("---\n")[2],
                                               encoding="utf-8")
    (articles / "same-id.md").write_text(GOOD_MD.replace("bridge", "tunnel"), encoding="utf-8")
    (articles / "same-id.txt").write_text(GOOD_TXT.replace("harbour", "airport"), encoding="utf-8")
    (articles / "notes.docx").write_bytes(b"PK\x03\x04 not really a Word file")
    (outside / "secret.txt").write_text(SECRET + "\n" + GOOD_TXT, encoding="utf-8")
    (articles / "leak.txt").symlink_to(outside / "secret.txt")
    (articles / "leak-dir").symlink_to(outside, target_is_directory=True)
    return {
        "empty.txt": "articles/empty.txt: error: empty file",
        "picture.txt": "articles/picture.txt: error: binary file (contains NUL bytes), not text",
        "nul-bytes.txt": "articles/nul-bytes.txt: error: binary file (contains NUL bytes), not text",
        "undecodable.txt": "articles/undecodable.txt: error: invalid utf-8-sig text after its byte-order mark "
                           "(invalid start byte)",
        "broken-utf16.txt": "articles/broken-utf16.txt: error: invalid utf-16 text after its byte-order mark "
                            "(unexpected end of data)",
        "huge.txt": f"articles/huge.txt: error: file is {mb(articles / 'huge.txt')}, over the "
                    f"{TEXT_MAX_BYTES / MB:.1f} MB limit for txt input; not read",
        "huge.html": f"articles/huge.html: error: file is {mb(articles / 'huge.html')}, over the "
                     f"{HTML_MAX_BYTES / MB:.1f} MB limit for html input; not read",
        "broken.json": "articles/broken.json:4:1: error: invalid JSON: Expecting value",
        "feed.jsonl": "articles/feed.jsonl:2:2: error: invalid JSON: Expecting property name enclosed in double quotes",
        "no-body.html": "articles/no-body.html: error: HTML without a <body>: no article text to read",
        "bad-front.md": "articles/bad-front.md:4:7: error: invalid YAML front matter: expected ',' or ']', but got ':'",
        "control-front.md": re.compile(r"articles/control-front\.md:2(:\d+)?: error: invalid YAML front matter: "
                                       r"unacceptable character #x000c.*"),
        "same-id.txt": "articles/same-id.txt: error: duplicate article id 'same-id': already read from "
                       "articles/same-id.md; this one is skipped (rename one of the two files)",
        "notes.docx": re.compile(r"articles/notes\.docx: note: unknown file type '\.docx'; skipped "
                                 r"\(articles are .*\)"),
        "leak.txt": "articles/leak.txt: warning: symbolic link leads outside the articles folder; not followed",
        "leak-dir": "articles/leak-dir: warning: symbolic link leads outside the articles folder; not followed",
    }


@dataclass
class Build:
    project: Path
    proc: subprocess.CompletedProcess
    expected: dict
    seconds: float
    peak_rss_mb: float | None


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([DIGEST, *args], env=ENV, capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> Build:
    root = tmp_path_factory.mktemp("bad")
    project = new_project(root / "project")
    (root / "outside").mkdir()
    expected = _bad_inputs(project / "articles", root / "outside")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    started = time.monotonic()
    proc = run("build", "--project", str(project))
    seconds = time.monotonic() - started
    # ru_maxrss of waited-for children (KiB on Linux): the largest child process so far. It only
    # tells about this build when no earlier child of the test session was bigger (None then).
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return Build(project, proc, expected, seconds, peak if peak > before else None)


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"^\S.*: (error|warning|note): ", line)]


def test_build_with_bad_inputs_exits_1(bad: Build):
    assert bad.proc.returncode == 1, bad.proc.stderr


def test_no_traceback_without_debug(bad: Build):
    assert "Traceback" not in bad.proc.stderr + bad.proc.stdout
    assert "(run with --debug" not in bad.proc.stderr, "an unexpected exception reached the CLI"


@pytest.mark.parametrize("name", [
    "empty.txt", "picture.txt", "nul-bytes.txt", "undecodable.txt", "broken-utf16.txt", "huge.txt", "huge.html",
    "broken.json", "feed.jsonl", "no-body.html", "bad-front.md", "same-id.txt", "leak.txt", "leak-dir",
])
def test_each_bad_file_is_one_exact_line(bad: Build, name: str):
    lines = [line for line in bad.proc.stderr.splitlines() if f"articles/{name}" in line]
    assert lines == [bad.expected[name]], bad.proc.stderr


def test_control_character_in_front_matter_is_one_line_with_its_line(bad: Build):
    start = bad.proc.stderr.find("articles/control-front.md")
    block = bad.proc.stderr[start:].split("\narticles/", 1)[0]  # up to the next problem line
    assert bad.expected["control-front.md"].fullmatch(block), block


def test_duplicate_ids_name_both_files(bad: Build):
    [line] = [line for line in bad.proc.stderr.splitlines() if "duplicate article id" in line]
    assert "articles/same-id.md" in line and "articles/same-id.txt" in line


def test_unknown_extension_is_one_note_line_in_build(bad: Build):
    lines = [line for line in bad.proc.stderr.splitlines() if "notes.docx" in line]
    assert len(lines) == 1 and bad.expected["notes.docx"].fullmatch(lines[0]), bad.proc.stderr


def test_every_problem_line_names_a_file_and_no_other_line_is_an_error(bad: Build):
    lines = problem_lines(bad.proc.stderr)
    named = {name for name in bad.expected if any(f"articles/{name}" in line for line in lines)}
    assert named >= set(bad.expected) - {"notes.docx", "control-front.md"}
    stray = [line for line in lines if not any(f"articles/{name}" in line for name in bad.expected)]
    assert stray == [], "problems about files that are fine"
    assert len(lines) == len(named), "some file got more than one line"


def _article_records(project: Path) -> dict[str, dict]:
    data = json.loads((project / "docs" / "digest.json").read_text(encoding="utf-8"))
    return {a["id"]: a for a in data["articles"]}


def test_good_articles_are_built(bad: Build):
    records = _article_records(bad.project)
    # The JSONL's good lines are kept (ids: stem-lineno); the first of two same-id files is kept.
    assert set(records) == {"good-harbour", "good-bridge", "feed-1", "feed-3", "same-id"}
    assert records["same-id"]["source_path"] == "articles/same-id.md"
    for record in records.values():
        assert not record.get("not_article"), record
        page = bad.project / "docs" / record["page"]
        assert page.is_file(), page
        html = bad.project / "site" / record["page"].removesuffix(".md") / "index.html"
        assert html.is_file(), html


def test_links_leaving_the_folder_are_not_followed(bad: Build):
    for folder in ("docs", "site"):
        for path in (bad.project / folder).rglob("*"):
            if path.is_file() and path.suffix in (".md", ".json", ".html", ".xml", ".csv"):
                assert "7f3c9e" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_huge_files_are_refused_in_bounded_time_and_memory(bad: Build):
    # The whole build (spaCy load, five analyses, MkDocs) beside 70 MB of input.
    assert bad.seconds < 90, bad.seconds
    assert bad.peak_rss_mb is None or bad.peak_rss_mb < 1500, f"peak RSS {bad.peak_rss_mb:.0f} MB"


def test_check_reports_the_same_problems_and_writes_nothing(bad: Build, tmp_path):
    project = tmp_path / "copy"
    shutil.copytree(bad.project / "articles", project / "articles", symlinks=True)
    shutil.copy(bad.project / "mkdocs.yml", project / "mkdocs.yml")
    proc = run("check", "--project", str(project))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    expected = [e for n, e in sorted(bad.expected.items()) if isinstance(e, str)]
    assert sorted(line for line in problem_lines(proc.stderr)
                  if "notes.docx" not in line and "control-front" not in line) == sorted(expected)
    assert [line for line in problem_lines(proc.stderr) if "notes.docx" in line][0].startswith(
        "articles/notes.docx: note: unknown file type '.docx'; skipped")
    assert not (project / "docs").exists() and not (project / "site").exists()


def test_names_with_spaces_and_non_ascii_work(tmp_path):
    project = new_project(tmp_path / "dossier d'été")
    articles = project / "articles"
    (articles / "good-harbour.txt").rename(articles / "Café report – Ünïcødé 北京.txt")
    (articles / "good-bridge.md").rename(articles / "bridge vote (final).md")
    proc = run("build", "--project", str(project))
    assert proc.returncode == 0, proc.stderr
    assert problem_lines(proc.stderr) == []
    records = _article_records(project)
    assert set(records) == {"Café report – Ünïcødé 北京", "bridge vote (final)"}
    assert records["Café report – Ünïcødé 北京"]["source_path"] == "articles/Café report – Ünïcødé 北京.txt"
    for record in records.values():
        assert (project / "docs" / record["page"]).is_file()
        assert (project / "site" / record["page"].removesuffix(".md") / "index.html").is_file()


def test_clean_project_exits_0_and_strict_counts_warnings(tmp_path):
    project = new_project(tmp_path / "clean")
    proc = run("build", "--project", str(project), "--no-site")
    assert proc.returncode == 0, proc.stderr
    assert problem_lines(proc.stderr) == []
    # A note (unknown file type) is not a warning: --strict still passes.
    (project / "articles" / "notes.docx").write_bytes(b"PK\x03\x04")
    proc = run("build", "--project", str(project), "--no-site", "--strict")
    assert proc.returncode == 0, proc.stderr
    # A warning (a link leaving the folder): 0 without --strict, 1 with it, one line either way.
    (tmp_path / "elsewhere.txt").write_text(GOOD_TXT, encoding="utf-8")
    (project / "articles" / "link.txt").symlink_to(tmp_path / "elsewhere.txt")
    warning = "articles/link.txt: warning: symbolic link leads outside the articles folder; not followed"
    for flags, status in (((), 0), (("--strict",), 1), (("--strict", "--debug"), 1)):
        proc = run("build", "--project", str(project), "--no-site", *flags)
        assert proc.returncode == status, (flags, proc.stderr)
        assert [line for line in proc.stderr.splitlines() if "link.txt" in line] == [warning]
        assert "Traceback" not in proc.stderr


LONG_INPUT_BUG = ("BUG (no length guard between the readers and digest/analysis/nlp.py analyse): an article whose text "
                  "is over spaCy's nlp.max_length (1,000,000 characters) but under the readers' byte caps (5 MB "
                  "text, 15 MB HTML) raises ValueError [E088] in spaCy; the CLI prints one 'error: ValueError: "
                  "[E088] ...' line that names no file, exits 1, and writes no docs/ at all (the good articles "
                  "are not built)")


@pytest.mark.parametrize("kind", ["txt", "html", "json", "md"])
def test_long_input_under_the_size_cap_does_not_stop_the_build(tmp_path, kind):
    """A 2 MB article is under the readers' caps (5 MB text or JSON record, 15 MB HTML) but twice
    spaCy's max_length: it must be refused (or cut) with one line naming it, never crash the build."""
    project = new_project(tmp_path / "long")
    name = f"long-report.{kind}"
    path = project / "articles" / name
    text = prose(2 * MB)
    if kind == "html":
        write_big_html(path, 2 * MB)
    elif kind == "json":
        path.write_text(json.dumps({"title": "A very long fictional report", "text": text}), encoding="utf-8")
    elif kind == "md":
        path.write_text("---\ntitle: A very long fictional report\n---\n" + text, encoding="utf-8")
    else:
        path.write_text("A very long fictional report\n\n" + text, encoding="utf-8")
    started = time.monotonic()
    proc = run("build", "--project", str(project), "--no-site")
    # Refusing must be quick: analysing even spaCy's 1M characters takes ~60 s and 2 GB here.
    assert time.monotonic() - started < 60
    assert "Traceback" not in proc.stderr and "(run with --debug" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if name in line]
    assert len(lines) <= 1, lines
    assert proc.returncode == (1 if lines and ": error: " in lines[0] else 0), proc.stderr
    records = _article_records(project)
    assert {"good-harbour", "good-bridge"} <= set(records)
