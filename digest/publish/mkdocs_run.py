"""MkDocs' build run by digest: `python -m digest.publish.mkdocs_run CONFIG SITE_DIR [--strict] [--dirty]`.

The same build as `mkdocs build -f CONFIG -d SITE_DIR`, with two differences that make an
incremental (`--dirty`) build into a copy of the previous site safe:

- every file MkDocs writes goes to a temporary file first and is renamed into place, so a
  file of the copy that is a hard link to the published site/ is replaced, never written
  through (the published site stays as it was until the new one is swapped in);
- the whitespace that indents Material's templates is dropped from every HTML page (a line's
  leading blanks and the empty lines; never inside <pre>, <textarea> or <script>): a sixth of
  each page's bytes, for nothing a browser shows (issue 18, the site's size per article);
- MkDocs' warning that a dirty build "will likely lead to inaccurate navigation" is dropped
  (with --strict it would fail the build): digest only builds dirty when that cannot happen
  (publish/incremental.py: nothing aggregated across pages, every nav entry titled, and the
  outputs of every changed, added or removed source removed beforehand).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile


def _replace_into(output_path: str, write) -> None:
    folder = os.path.dirname(output_path)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".mkdocs-")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, output_path)
    except BaseException:
        with _suppress():
            os.unlink(tmp)
        raise


class _suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], OSError)


# A newline and the blanks after it, outside the elements whose whitespace shows or matters.
_KEEP = re.compile(rb"(<(pre|textarea|script)\b.*?</\2\s*>)", re.S | re.I)
_INDENT = re.compile(rb"\n\s+")


def squeeze(html: bytes) -> bytes:
    """`html` without the indentation and blank lines between its tags: each newline stays, so
    what a browser renders is the same (whitespace between elements collapses to one space)."""
    parts = _KEEP.split(html)
    out = []
    # split() with two groups gives [text, whole kept element, its tag name, text, ...].
    for i in range(0, len(parts), 3):
        out.append(_INDENT.sub(b"\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return b"".join(out)


def write_file(content: bytes, output_path: str) -> None:
    if output_path.endswith(".html"):
        content = squeeze(content)
    _replace_into(output_path, lambda handle: handle.write(content))


def copy_file(source_path: str, output_path: str) -> None:
    if os.path.isdir(output_path):
        output_path = os.path.join(output_path, os.path.basename(source_path))

    def copy(handle) -> None:
        with open(source_path, "rb") as source:
            shutil.copyfileobj(source, handle)
    _replace_into(output_path, copy)


class _NoDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


_UMASK = os.umask(0)
os.umask(_UMASK)


def main(argv: list[str]) -> int:
    config_file, site_dir, *flags = argv
    from mkdocs import utils
    from mkdocs.commands import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    utils.write_file = write_file
    utils.copy_file = copy_file
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logging.getLogger("mkdocs.commands.build").addFilter(_NoDirtyWarning())
    dirty = "--dirty" in flags
    try:
        config = load_config(config_file, site_dir=site_dir, strict="--strict" in flags)
        config.plugins.on_startup(command="build", dirty=dirty)
        try:
            build.build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        print(f"ERROR   -  {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
