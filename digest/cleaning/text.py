"""Text shaping: normalising characters, lines, line keys, sentences and paragraphs.

Scraped texts arrive in three shapes, all turned into one paragraph per line:
- paragraphs separated by blank lines (a line inside a block may be a caption: kept apart);
- one paragraph per line, no blank lines;
- no line breaks at all (news-please often glues paragraphs: "...the ocean.The rings were"):
  split where a sentence end is glued to the next capitalised word, then long runs are cut
  into groups of sentences.
Hard-wrapped text (a line ending mid-sentence, the next starting lowercase) is re-joined.
"""

from __future__ import annotations

import re
import unicodedata

MAX_PARAGRAPH_CHARS = 1200  # longer runs without breaks are split into sentence groups
GROUP_CHARS = 600  # target size of such a group

_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
                         "«": '"', "»": '"', "–": "-", "—": "-"})
_END = re.compile(r"[.!?:;)\]\"'”’…]$")
# A sentence end glued to the next sentence: "ocean.The", "said.\u201cWe" (not "U.S.The").
_GLUED = re.compile(r"(?<=[a-z0-9%)])[.!?](?P<quote>[\"“”‘’]?)(?=[A-Z][a-z])")
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "gov", "sen", "rep", "lt", "col", "capt",
    "sgt", "rev", "inc", "corp", "ltd", "co", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "u.s", "u.k", "u.n", "e.g", "i.e",
    "a.m", "p.m", "approx", "dept", "est", "fig", "pres", "supt", "adm", "cmdr", "maj",
}
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


def normalise(text: str) -> str:
    """NFC, no invisible characters, single spaces, no trailing spaces, \\n newlines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def line_key(line: str) -> str:
    """Comparison key: case, quotes, dashes and spacing ignored."""
    return " ".join(line.translate(_QUOTES).casefold().split())


def lines_of(text: str) -> list[str]:
    """Non-empty lines, hard-wrapped lines re-joined."""
    out: list[str] = []
    previous_blank = True
    for line in normalise(text).split("\n"):
        if not line:
            previous_blank = True
            continue
        if out and not previous_blank and not _END.search(out[-1]) and line[0].islower():
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        previous_blank = False
    return out


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (abbreviation-aware, no model needed)."""
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + 1
        word = re.search(r"([\w.]+)\.$", text[start:end])
        if word and (word.group(1).lower() in _ABBREV or re.fullmatch(r"[A-Z]", word.group(1))):
            continue  # "Mr. Putin", "U.S. officials", "John F. Kennedy"
        out.append(text[start:match.end()].strip())
        start = match.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def split_paragraph(text: str) -> list[str]:
    """One line -> paragraphs: at glued sentence ends, then long runs into sentence groups."""
    parts = [p.strip() for p in _unglue(text) if p.strip()]
    out: list[str] = []
    for part in parts:
        if len(part) <= MAX_PARAGRAPH_CHARS:
            out.append(part)
            continue
        group = ""
        for sentence in sentences(part):
            if group and len(group) + len(sentence) > GROUP_CHARS:
                out.append(group)
                group = sentence
            else:
                group = f"{group} {sentence}".strip()
        if group:
            out.append(group)
    return out


def _unglue(text: str) -> list[str]:
    """Cut at glued sentence ends; a quote mark goes with the sentence it belongs to."""
    parts: list[str] = []
    start = 0
    for match in _GLUED.finditer(text):
        quote = match.group("quote")
        cut = match.end()  # after the quote: it closes the previous sentence
        if quote in "“‘" and quote or (quote == '"' and text.count('"', start, match.start()) % 2 == 0):
            cut = match.end() - len(quote)  # an opening quote starts the next sentence
        parts.append(text[start:cut])
        start = cut
    parts.append(text[start:])
    return parts


def ends_sentence(line: str) -> bool:
    """Ends like a sentence (period, !, ?, closing quote after one)."""
    return bool(re.search(r"[.!?…][\"'”’)\]]*$", line))


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))
