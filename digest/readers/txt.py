"""Plain-text reader: a scraped page saved as text. Title, date and standfirst are found by cleaning."""

from __future__ import annotations

import re

from ..model import RawArticle
from .common import ReadResult, Source, load_text, sha256

# A .txt that is really a saved web page goes to the HTML reader (content beats suffix).
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:4096]))


def read(source: Source) -> ReadResult:
    text, data, problems = load_text(source)
    if looks_like_html(text):
        from . import html

        raws, found = html.read_decoded(source, text, data)
        return raws, problems + found
    raw = RawArticle(id=source.stem, source_path=source.rel, format="txt", text=text,
                     content_hash=sha256(data))
    return [raw], problems
