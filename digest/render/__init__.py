"""Render a Digest into the docs tree: Markdown pages for MkDocs + Material, digest.json, a CSV per
story, an Atom feed and the stylesheet. Pure: returns {docs-relative path: content}; writing is
digest.site's job.

Pages are built with small Python functions rather than Jinja templates: each scraped string is
escaped for exactly the context it lands in (Markdown, raw HTML, YAML, URL, CSV, XML), which
templates with one autoescape mode cannot express.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from digest.model import Digest
from digest.render.article import render_article
from digest.render.context import Context
from digest.render.csv_export import render_csv
from digest.render.entity import render_entity
from digest.render.feed import render_feed
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

__all__ = ["RenderOptions", "render_pages", "CSS_PATH"]

# Referenced by mkdocs.yml (`extra_css`) of every digest project.
CSS_PATH = "assets/digest.css"


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


def render_pages(digest: Digest, options: RenderOptions = RenderOptions(),
                 shard: tuple[int, int] = (0, 1)) -> dict[str, str | bytes]:
    """Every generated file. `shard=(i, n)` renders only the i-th of n interleaved slices of the
    per-item pages (and the site-wide pages in slice 0), so the pipeline can use every core."""
    ctx = Context(digest=digest, paths=SiteMap.build(digest), site_title=options.site_title or digest.title)
    part, parts = shard

    def mine(items):
        return [item for i, item in enumerate(items) if i % parts == part]

    if part != 0:
        pages: dict[str, str | bytes] = {}
    else:
        pages = {
            "index.md": render_home(ctx, options.description, options.home_stories, options.home_facts),
            "stories/index.md": render_stories_index(ctx),
            "articles/index.md": render_articles_index(ctx),
            "entities/index.md": render_entities_index(ctx),
            "outlets/index.md": render_outlets_index(ctx),
            "tags.md": render_tags(ctx),
            "feed.xml": render_feed(ctx, options.site_url, options.use_directory_urls),
            "digest.json": render_json(ctx, digest),
            CSS_PATH: resources.files("digest.render").joinpath("assets/digest.css").read_text(encoding="utf-8"),
        }
    for story in mine(digest.stories):
        pages[ctx.paths.stories[story.id]] = render_story(ctx, story)
        pages[ctx.paths.story_csv[story.id]] = render_csv(ctx, story)
    for article in mine(digest.articles):
        pages[ctx.paths.articles[article.id]] = render_article(ctx, article)
    for entity in mine(digest.entities.entities):
        pages[ctx.paths.entities[entity.id]] = render_entity(ctx, entity)
    for outlet in mine(list(ctx.paths.outlets)):
        pages[ctx.paths.outlets[outlet]] = render_outlet(ctx, outlet)
    return pages
