"""Every page of a Digest, and the batches the parallel rendering shares out.

Pages are built with small Python functions rather than Jinja templates: each scraped string is
escaped for exactly the context it lands in (Markdown, raw HTML, YAML, URL, CSV, XML), which
templates with one autoescape mode cannot express.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from importlib import resources
from typing import Any, Callable, Sequence

from digest.gcpause import gc_paused
from digest.model import Article, Digest, Entity, Story
from digest.render.archive import archive_pages
from digest.render.article import render_article
from digest.render.changes import PAGE as CHANGES_PAGE, render_changes, render_redirects
from digest.render.context import Context
from digest.render.csv_export import render_csv
from digest.render.entity import render_entity
from digest.render.feed import render_feed, render_outlet_feed, render_story_feed
from digest.render.home import render_home
from digest.render.indexes import (
    render_articles_index,
    render_entities_index,
    render_outlets_index,
    render_stories_index,
    render_tags,
)
from digest.render.json_export import render_json
from digest.render.outlet import render_outlet
from digest.render.paths import SiteMap
from digest.render.siteconfig import read_mkdocs
from digest.render.story import render_story

# Referenced by mkdocs.yml (`extra_css`) of every digest project.
CSS_PATH = "assets/digest.css"
# mkdocs.yml's theme.custom_dir: the theme overrides digest writes (Pagefind search, feed
# autodiscovery, Open Graph and Twitter cards), and the scripts and style they load. A dot
# folder: MkDocs and Zensical never publish it; every build rewrites it.
THEME_DIR = ".digest-theme"
THEME_FILES = {f"{THEME_DIR}/main.html": "assets/theme/main.html",
               "assets/digest-search.js": "assets/digest-search.js",
               "assets/digest-search.css": "assets/digest-search.css",
               "assets/digest.js": "assets/digest.js"}
# Packaged files written verbatim (no page data in them).
STATIC_ASSETS = {CSS_PATH: "assets/digest.css", **THEME_FILES}


@dataclass(frozen=True)
class RenderOptions:
    site_title: str | None = None  # None: Digest.title
    site_url: str | None = None  # absolute URL of the published site, for the feed's links
    description: str = ""  # shown under the title on the home page
    use_directory_urls: bool = True  # must match mkdocs.yml (feed links)
    home_stories: int = 20  # stories listed on the home page
    home_facts: int = 4  # key facts shown per story on the home page

    @classmethod
    def from_settings(cls, settings) -> "RenderOptions":
        """Options from the project's settings (digest.config.Settings: `title`, `mkdocs_config`)
        and its mkdocs.yml, so the feed and links agree with what MkDocs publishes."""
        conf = read_mkdocs(settings.mkdocs_config)
        url = conf.get("site_url")
        return cls(
            site_title=getattr(settings, "title", None) or _str(conf.get("site_name")),
            site_url=url if isinstance(url, str) and url.strip() else None,
            description=_str(conf.get("site_description")) or "",
            use_directory_urls=conf.get("use_directory_urls", True) is not False,
        )


def _str(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


# A share of the pages: returns {path: content} for them.
Batch = Callable[[], dict[str, str | bytes]]


def render_pages(digest: Digest, options: RenderOptions = RenderOptions()) -> dict[str, str | bytes]:
    """Every generated file: {docs-relative path: content}."""
    with gc_paused():
        pages: dict[str, str | bytes] = {}
        for batch in page_batches(digest, options):
            pages.update(batch())
        return pages


def page_batches(digest: Digest, options: RenderOptions = RenderOptions()) -> list[Batch]:
    """The work of render_pages as independent batches (pages are pure functions of the digest),
    so the pipeline can share them between processes; merged in this order they give exactly
    render_pages. The site-wide pages come first, one batch each (digest.json alone is a fifth
    of the work), then the per-item pages in runs."""
    ctx = Context(digest=digest, paths=SiteMap.build(digest), site_title=options.site_title or digest.title)
    batches: list[Batch] = [partial(_site_page, path, make) for path, make in _site_pages(ctx, options).items()]
    batches.append(partial(archive_pages, ctx))
    if digest.redirects:
        batches.append(partial(render_redirects, ctx, options.use_directory_urls))
    refs = digest.entities.by_article
    # Estimated µs to render each item's pages (fitted on a 2,225-article digest): batches of
    # equal cost let processes sharing them (render/parallel.py) finish within ~25 ms of each other.
    for render_run, items, cost in (
        (_story_pages, digest.stories, lambda s: 20 * (len(s.articles) + len(s.facts))),
        (_article_pages, digest.articles, lambda a: 12 + 3 * len(refs.get(a.id, ()))),
        (_entity_pages, [e for e in digest.entities.entities if ctx.paths.has_page(e.id)],
         lambda e: 25 + 7 * len(e.articles)),
        (_outlet_pages, list(ctx.paths.outlets), lambda o: 10 * len(ctx.by_outlet.get(o, ()))),
    ):
        batches += [partial(render_run, ctx, run, options) for run in _runs(items, cost, 25_000)]
    return batches


def _runs(items: Sequence, cost: Callable[[Any], int], budget: int) -> list[Sequence]:
    """`items` cut into consecutive runs costing about `budget` each."""
    runs, start, total = [], 0, 0
    for end, item in enumerate(items, 1):
        total += cost(item)
        if total >= budget:
            runs.append(items[start:end])
            start, total = end, 0
    if start < len(items):
        runs.append(items[start:])
    return runs


def _site_pages(ctx: Context, options: RenderOptions) -> dict[str, Callable[[], str]]:
    return {
        "index.md": lambda: render_home(ctx, options.description, options.home_stories, options.home_facts),
        "stories/index.md": lambda: render_stories_index(ctx),
        "articles/index.md": lambda: render_articles_index(ctx),
        "entities/index.md": lambda: render_entities_index(ctx),
        "outlets/index.md": lambda: render_outlets_index(ctx),
        "tags.md": lambda: render_tags(ctx),
        "feed.xml": lambda: render_feed(ctx, options.site_url, options.use_directory_urls),
        "digest.json": lambda: render_json(ctx, ctx.digest),
        CHANGES_PAGE: lambda: render_changes(ctx, ctx.digest.changes),
        **{path: partial(_asset, source) for path, source in STATIC_ASSETS.items()},
    }


def _asset(name: str) -> str:
    return resources.files("digest.render").joinpath(name).read_text(encoding="utf-8")


def _site_page(path: str, make: Callable[[], str]) -> dict[str, str | bytes]:
    return {path: make()}


def _story_pages(ctx: Context, stories: Sequence[Story], options: RenderOptions) -> dict[str, str | bytes]:
    pages: dict[str, str | bytes] = {}
    for story in stories:
        pages[ctx.paths.stories[story.id]] = render_story(ctx, story)
        pages[ctx.paths.story_csv[story.id]] = render_csv(ctx, story)
        pages[ctx.paths.story_feeds[story.id]] = render_story_feed(ctx, story.id, options.site_url, options.use_directory_urls)
    return pages


def _article_pages(ctx: Context, articles: Sequence[Article], options: RenderOptions) -> dict[str, str | bytes]:
    return {ctx.paths.articles[a.id]: render_article(ctx, a) for a in articles}


def _entity_pages(ctx: Context, entities: Sequence[Entity], options: RenderOptions) -> dict[str, str | bytes]:
    return {ctx.paths.entities[e.id]: render_entity(ctx, e) for e in entities}


def _outlet_pages(ctx: Context, outlets: Sequence[str], options: RenderOptions) -> dict[str, str | bytes]:
    pages: dict[str, str | bytes] = {}
    for o in outlets:
        pages[ctx.paths.outlets[o]] = render_outlet(ctx, o)
        pages[ctx.paths.outlet_feeds[o]] = render_outlet_feed(ctx, o, options.site_url, options.use_directory_urls)
    return pages
