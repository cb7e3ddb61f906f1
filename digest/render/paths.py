"""Where every page lives: safe, unique, stable slugs and the links between pages.

Slugs are ASCII `[a-z0-9-]` only, so a path made from a title can never hold `/`, `..`, a drive
letter or a dot file; names the site itself uses (`index`, `tags`) and Windows device names are
avoided. A collision is settled by the earliest article (publication date, then id) keeping the
plain slug and the others getting a suffix hashed from their own id, so adding an unrelated article
never renames an existing page.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import Iterable, Mapping

from digest.text.dates import utc_key
from digest.model import Article, Digest
from digest.render.escape import strip_controls
from digest.text.slugs import slugify

MAX_SLUG = 60
RESERVED = frozenset(
    {"index", "tags", "404", "search", "assets", "feed", "digest", "con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)


def short_hash(text: str, n: int = 6) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def assign_slugs(items: Iterable[tuple[str, str | None]], fallback: str) -> dict[str, str]:
    """Map each key to a unique slug of its text. `items` are (key, text) in priority order:
    the first item with a given slug keeps it plain, later ones get `-<hash of key>`."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for key, text in items:
        base = slugify(text, max_len=MAX_SLUG)
        if not base or base in RESERVED:
            base = f"{fallback}-{base}" if base else f"{fallback}-{short_hash(key)}"
        slug, n = base, 6
        while slug in taken:
            slug = f"{base}-{short_hash(key, n)}"
            n += 2
        taken.add(slug)
        result[key] = slug
    return result


def rel(from_page: str, to_path: str) -> str:
    """Relative link between two docs-relative paths (MkDocs turns `.md` links into URLs that
    work under any subpath and with or without directory URLs). Pure string work: the paths are
    normalised and relative, and posixpath.relpath would call os.getcwd() for every link."""
    src_dir, src_sep, _ = from_page.rpartition("/")
    dst_dir, dst_sep, name = to_path.rpartition("/")
    if src_sep == dst_sep and src_dir == dst_dir:  # the common case: a page in the same folder
        return name
    return _dir_rel(src_dir if src_sep else None, dst_dir if dst_sep else None) + name


@functools.lru_cache(maxsize=1024)  # a site has a handful of folders; pages link across them
def _dir_rel(src_dir: str | None, dst_dir: str | None) -> str:
    """The link prefix ("../x/", or "") from a page in `src_dir` to a file in `dst_dir`
    (None: the docs root)."""
    src = src_dir.split("/") if src_dir is not None else []
    dst = dst_dir.split("/") if dst_dir is not None else []
    common = 0
    while common < len(src) and common < len(dst) and src[common] == dst[common]:
        common += 1
    return "".join(part + "/" for part in [".."] * (len(src) - common) + dst[common:])


def url_of(path: str, use_directory_urls: bool = True) -> str:
    """The site URL (relative to the site root) MkDocs gives a docs-relative `.md` path."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _article_order(article: Article) -> tuple[str, str]:
    return (utc_key(article.published) or "9999", article.id)


@dataclass(frozen=True)
class SiteMap:
    """Docs-relative paths of every generated page, by the id of what it shows."""

    articles: Mapping[str, str]  # article id -> "articles/<slug>.md"
    stories: Mapping[str, str]  # story id -> "stories/<slug>.md"
    story_csv: Mapping[str, str]  # story id -> "stories/<slug>.csv"
    entities: Mapping[str, str]  # entity id -> "entities/<slug>.md", or its article's anchor (see below)
    outlets: Mapping[str, str]  # outlet display name -> "outlets/<slug>.md"
    story_feeds: Mapping[str, str]  # story id -> "stories/<slug>.xml" (Atom)
    outlet_feeds: Mapping[str, str]  # outlet display name -> "outlets/<slug>.xml" (Atom)

    def has_page(self, entity_id: str) -> bool:
        """Whether the entity has a page of its own (else it lives on its article's page)."""
        return "#" not in self.entities.get(entity_id, "#")

    @classmethod
    def build(cls, digest: Digest) -> "SiteMap":
        arts = sorted(digest.articles, key=_article_order)
        # A title with no ASCII letters (Cyrillic, Chinese) falls back to the file's id. A title
        # the writers replaced leaves the path as it was (Article.path_title).
        a = assign_slugs(((x.id, t if slugify(t := x.path_title or x.title) else x.id) for x in arts), "article")
        # Story and entity ids are slugs already; re-slugging guards against an upstream bug
        # ever producing a path, and keeps them unique after sanitising.
        s = assign_slugs(((x.id, x.id) for x in digest.stories), "story")
        e = assign_slugs(((x.id, x.id) for x in digest.entities.entities), "entity")
        entity_paths = {}
        for x in digest.entities.entities:
            home = a.get(x.articles[0]) if len(x.articles) < ENTITY_PAGE_MIN_ARTICLES and x.articles else None
            # An entity met in one article only lives on that article's page, at its anchor.
            entity_paths[x.id] = f"articles/{home}.md#{entity_anchor(e[x.id])}" if home else f"entities/{e[x.id]}.md"
        o = assign_slugs(((name, name) for name in outlet_names(digest.articles)), "outlet")
        return cls(
            articles={k: f"articles/{v}.md" for k, v in a.items()},
            stories={k: f"stories/{v}.md" for k, v in s.items()},
            story_csv={k: f"stories/{v}.csv" for k, v in s.items()},
            entities=entity_paths,
            outlets={k: f"outlets/{v}.md" for k, v in o.items()},
            story_feeds={k: f"stories/{v}.xml" for k, v in s.items()},
            outlet_feeds={k: f"outlets/{v}.xml" for k, v in o.items()},
        )


# An entity gets a page of its own when this many articles mention it. One met in a single
# article (three in four of them on 2,225 BBC articles) is shown on that article's page
# instead, under an anchor every link to it uses: a page for it would repeat that article's
# list and cost ~16 KB of theme for nothing.
ENTITY_PAGE_MIN_ARTICLES = 2


def entity_anchor(slug: str) -> str:
    return f"e-{slug}"


UNKNOWN_OUTLET = "Unknown outlet"


def outlet_name(outlet: str | None) -> str:
    """An outlet's display name. Control characters are no part of it: a name made of them
    alone would be an invisible link to a page of its own."""
    return strip_controls(outlet or "").strip() or UNKNOWN_OUTLET


def outlet_of(article: Article) -> str:
    return outlet_name(article.outlet)


def outlet_names(articles: Iterable[Article]) -> list[str]:
    """Distinct outlet display names, sorted case-insensitively (stable across builds)."""
    return sorted({outlet_of(a) for a in articles}, key=lambda n: (n.casefold(), n))
