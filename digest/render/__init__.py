"""Render stage: a Digest into the docs tree. Markdown pages for MkDocs + Material, digest.json, a
CSV per story (the same shape as `digest facts --format csv`), Atom feeds, the stylesheet and the
theme override. Pure: returns {docs-relative path: content};
writing is the publish stage's job. Never imports spaCy.

Entry points (called by pipeline.py): `render_parallel(digest, options, processes)` (every core;
`render_pages` in one process). pages.py lists the pages and shares them out in batches; one
module per page kind beside it (story.py, article.py, entity.py, ...); escape.py escapes scraped
text for each context it lands in; paths.py gives every page its path.
"""

from digest.render.csv_export import csv_text, facts_csv
from digest.render.pages import CSS_PATH, STATIC_ASSETS, THEME_DIR, RenderOptions, page_batches, render_pages
from digest.render.parallel import render_parallel
from digest.render.siteconfig import read_mkdocs

__all__ = ["CSS_PATH", "STATIC_ASSETS", "THEME_DIR", "csv_text", "facts_csv", "RenderOptions", "page_batches",
           "render_pages", "render_parallel", "read_mkdocs"]
