"""OPML subscription lists (what feed readers export): the feeds they name.

Every `<outline>` with an `xmlUrl` attribute is a feed, at any depth (readers nest feeds in
folders); outlines without one are folders or plain links. Parsed with lxml with entity
expansion, DTD loading and network access off, like every document digest fetches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree

from digest.model import Problem


class OpmlError(ValueError):
    """The file cannot be read as OPML; `line` and `col` (1-based) when the parser knows them."""

    def __init__(self, message: str, line: int | None = None, col: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.col = col


@dataclass(frozen=True)
class Opml:
    feeds: tuple[str, ...]  # absolute http(s) URLs, in document order, without repeats
    problems: tuple[Problem, ...] = ()  # warnings about outlines that were left out


def parse_opml(data: bytes, source: str, base: str | None = None) -> Opml:
    """The feed URLs of an OPML document. `source` names it in messages (a path or a URL);
    relative `xmlUrl`s are resolved against `base` (the OPML's URL) and refused without one."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (None, None)
        message = re.sub(r", line \d+, column \d+$", "", " ".join(str(exc.msg or exc).split()))
        raise OpmlError(f"malformed OPML: {message}", line, col) from None
    if root is None or etree.QName(root).localname.lower() != "opml":
        name = etree.QName(root).localname if root is not None else "nothing"
        raise OpmlError(f"not an OPML file (the root element is <{name}>)", getattr(root, "sourceline", None))
    feeds: list[str] = []
    problems: list[Problem] = []
    for outline in root.iter("{*}outline", "outline"):
        attributes = {name.lower(): value.strip() for name, value in outline.attrib.items()}
        url = attributes.get("xmlurl")
        if not url:
            continue
        if base:
            url = urljoin(base, url)
        if not url.lower().startswith(("http://", "https://")):
            problems.append(Problem(source, f"outline {attributes.get('text') or attributes.get('title') or url!r}: "
                                            f"xmlUrl is not an http(s) URL: {url!r}; left out",
                                    severity="warning", line=outline.sourceline))
            continue
        feeds.append(url)
    if not feeds and not problems:
        problems.append(Problem(source, "no feeds in this OPML file (no <outline> has an xmlUrl)",
                                severity="warning"))
    return Opml(tuple(dict.fromkeys(feeds)), tuple(problems))
