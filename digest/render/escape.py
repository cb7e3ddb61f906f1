"""Escaping for every context scraped text reaches: Markdown body, raw HTML, YAML front matter, URLs.

Scraped text must never become markup. We escape with numeric HTML entities rather than
backslashes because entities mean the same thing whatever Markdown extensions a project enables
(`\\?` is not an escape in Python-Markdown, yet `???` opens a pymdownx.details block), and
Python-Markdown stashes entities before any inline pattern or treeprocessor (attr_list, tables)
can see the character. Block syntax only matters at the start of a line, and every piece of
scraped text is written as one line, so only its first character needs the block rules.
"""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import quote, urlsplit

# C0 controls (except tab/newline/CR), DEL and the C1 controls (but NEL, a line break). Python-
# Markdown uses \x02...\x03 as placeholder markers for its HTML stash, so a scraped
# "\x02wzxhzdk:0\x03" could pull stashed HTML back in; the rest print as nothing.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SPACE = re.compile(r"\s+")

# Characters that start inline Markdown syntax in Python-Markdown or the pymdownx extensions.
_INLINE = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "\\": "&#92;",
    "`": "&#96;",
    "*": "&#42;",
    "_": "&#95;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",  # attr_list "{: onclick=...}", Jinja "{{ }}", critic "{++ ++}"
    "}": "&#125;",
    "|": "&#124;",  # table cells
    "~": "&#126;",  # fenced code "~~~", pymdownx.tilde
    "^": "&#94;",  # pymdownx.caret, footnotes "[^1]"
    "=": "&#61;",  # pymdownx.mark "==x==", setext headings
}
_INLINE_RE = re.compile("[" + re.escape("".join(_INLINE)) + "]")
# First characters that open block syntax: headings, quotes, lists, admonitions ("!!!"),
# details ("???"), definition lists (":"), horizontal rules / front matter ("---"), snippets.
_BLOCK_START = {c: f"&#{ord(c)};" for c in "#>+-!?:%"}
_ORDERED_LIST = re.compile(r"^(\d+)([.)])")


def strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text)


def one_line(text: str) -> str:
    """Collapse all whitespace (newlines, indentation, trailing double spaces) to single spaces."""
    # str.split(): every whitespace character, three times faster than re.sub.
    return " ".join(strip_controls(text).split())


@functools.lru_cache(maxsize=65536)  # names and outlets are escaped thousands of times
def md(text: str | None) -> str:
    """Scraped text as inert Markdown: one line, every syntax character an entity."""
    if not text:
        return ""
    line = _INLINE_RE.sub(lambda m: _INLINE[m.group()], one_line(text))
    if line[:1] in _BLOCK_START:
        return _BLOCK_START[line[0]] + line[1:]
    match = _ORDERED_LIST.match(line)
    if match:  # "1984. The year" would start an ordered list
        return match.group(1) + f"&#{ord(match.group(2))};" + line[match.end() :]
    return line


def h(text: str | None) -> str:
    """Scraped text for a raw HTML context (element text or a quoted attribute value)."""
    return html.escape(one_line(text or ""), quote=True)


@functools.lru_cache(maxsize=65536)  # an entity's name is a tag on every article that mentions it
def tag_name(text: str) -> str:
    """A Material tag name: Material inserts tag names into HTML unescaped, so keep them plain."""
    cleaned = one_line(text).replace("&", " and ")
    cleaned = re.sub(r"[<>\"'`{}\[\]\\|#]", "", cleaned)
    return _SPACE.sub(" ", cleaned).strip() or "untitled"


# PyYAML's reader rejects these characters anywhere in a document, even inside quotes.


# Everything yaml_str must escape: quotes and backslashes, line breaks, tabs, the BOM and every
# character outside the printable set. Listed as the complement of what passes through as is.
_YAML_ESCAPE = re.compile(r"[^\x20\x21\x23-\x5b\x5d-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def yaml_str(text: str) -> str:
    """A YAML double-quoted scalar that loads back to exactly `text`, whatever it holds."""
    return '"' + _YAML_ESCAPE.sub(_yaml_escape_char, text) + '"'


def _yaml_escape_char(match: re.Match) -> str:
    ch = match.group()
    if ch in '"\\':
        return "\\" + ch
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if ord(ch) <= 0xFF:
        return f"\\x{ord(ch):02x}"
    if ord(ch) <= 0xFFFF:
        return f"\\u{ord(ch):04x}"
    return f"\\U{ord(ch):08x}"


def page_title(text: str) -> str:
    """Front-matter `title:` value. MkDocs themes print page titles unescaped (in <title>, the
    header and the nav), so the title is HTML-escaped first, then quoted for YAML."""
    return yaml_str(h(text))


_PLAIN = str.maketrans({'"': "”", "<": "‹", ">": "›", "`": "’", "{": "(", "}": ")"})


def description(text: str | None, limit: int = 200) -> str:
    """Front-matter `description:` text, for <meta name="description"> and the Open Graph and
    Twitter cards. MkDocs' templates print it unescaped and Zensical's escape it, so it is made
    safe for both by holding nothing to escape: no quote, angle bracket or template brace (each
    turned into a typographic look-alike), one line, cut at a word before `limit` characters."""
    line = one_line(text or "").translate(_PLAIN)
    if len(line) > limit:
        line = line[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return line


# Characters percent-encoded in outbound URLs so they cannot close a Markdown link destination
# or an HTML attribute.
_URL_SAFE = ":/?#@!$&+,;=%-._~"


def safe_url(url: str | None) -> str | None:
    """An http(s) URL safe to put in a Markdown link, or None (javascript:, data:, relative...)."""
    if not url:
        return None
    url = url.strip()
    if _CONTROLS.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(url, safe=_URL_SAFE)


def csv_cell(text: str | None) -> str:
    """A CSV cell that spreadsheets will not run as a formula (OWASP CSV injection)."""
    value = strip_controls(text or "")
    if value[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"[-+]?\d+(?:[.,]\d+)?", value):
        return "'" + value
    return value
