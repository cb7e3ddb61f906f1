"""`digest check --fix`: write the proposed ids into the overrides files.

Each fixable problem carries its position (the key's line and column, from the parser) and the
id written there; the fix replaces exactly those characters and nothing else. Comments, quoting,
key order, indentation and line endings stay byte for byte as the writer left them. (A
round-trip YAML library such as ruamel.yaml would re-emit the whole document and may re-indent
lists or change quotes; an exact span never does.) The files are re-validated before they are
replaced, atomically.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Sequence

from digest.model import Problem

from .loader import parse_text


def apply_fixes(problems: Sequence[Problem], root: Path) -> list[Problem]:
    """Apply every problem's fix; returns the problems fixed (the files named relative to `root`)."""
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        if p.fix and p.line is not None and p.col is not None and p.fix[0] != p.fix[1]:
            by_file[p.path].append(p)
    fixed: list[Problem] = []
    for shown, todo in sorted(by_file.items()):
        path = Path(shown) if Path(shown).is_absolute() else root / shown
        try:
            data = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        lines = data.splitlines(keepends=True)
        done = []
        seen: set[tuple[int, int]] = set()
        # Right to left within a line, so earlier columns stay valid.
        for p in sorted(todo, key=lambda q: (q.line, q.col), reverse=True):
            if (p.line, p.col) in seen or p.line > len(lines):
                continue
            seen.add((p.line, p.col))
            old, new = p.fix  # type: ignore[misc]
            line = lines[p.line - 1]
            start = p.col - 1
            for quote in ("", "'", '"'):
                if line.startswith(quote + old + quote, start):
                    begin = start + len(quote)
                    lines[p.line - 1] = line[:begin] + new + line[begin + len(old):]
                    done.append(p)
                    break
        if not done:
            continue
        text = "".join(lines)
        if any(q.severity == "error" for q in parse_text(text, shown).problems):
            continue  # never write a file the fix would break
        _write(path, text)
        fixed.extend(sorted(done, key=lambda q: (q.line, q.col)))
    return fixed


def _write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".overrides-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
