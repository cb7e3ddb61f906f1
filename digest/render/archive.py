"""The archive by month (issue 20): a page per month of publication with that month's stories and
its articles day by day, an index of the months, and a page for the undated articles.

A digest that runs daily for a year must keep every index page bounded: the home page and the
Articles, Stories and outlet pages list the recent items only (RECENT) and link here. A new
article then changes its month's page and the archive index, never the pages of earlier months.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from digest.model import Article, Story
from digest.render.context import Context, fmt_date, front_matter, meta_line
from digest.render.escape import md
from digest.render.paths import outlet_of, rel
from digest.text.dates import day_of

INDEX = "archive/index.md"
UNDATED = "undated"
# Items the Articles, Stories and outlet pages list before pointing to the archive.
RECENT = 100


def month_of(article: Article) -> str | None:
    """'YYYY-MM' of the article's publication date (as written), or None when it has none."""
    day = day_of(article.published)
    return f"{day:%Y-%m}" if day else None


def month_page(month: str | None) -> str:
    """Docs path of a month's page ('archive/2024-05.md'), or of the undated articles."""
    return f"archive/{month or UNDATED}.md"


def month_title(month: str | None) -> str:
    if month is None:
        return "Undated articles"
    return f"{date(int(month[:4]), int(month[5:7]), 1):%B %Y}"


def by_month(ctx: Context) -> dict[str | None, list[Article]]:
    """Articles by month, newest month first (undated last); each month's newest first."""
    groups: dict[str | None, list[Article]] = defaultdict(list)
    for a in ctx.newest_first(ctx.digest.articles):
        groups[month_of(a)].append(a)
    months = sorted((m for m in groups if m is not None), reverse=True)
    return {m: groups[m] for m in [*months, *([None] if None in groups else [])]}


def archive_link(page: str, text: str = "the archive by month") -> str:
    return f"[{text}]({rel(page, INDEX)})"


def more_in_archive(page: str, shown: int, total: int, what: str) -> list[str]:
    """The line under a list cut to its recent items."""
    if total <= shown:
        return []
    return ["", meta_line(f"The {shown} most recent of {total} {what}; older ones are in "
                          f"{archive_link(page)}."), ""]


def render_archive_index(ctx: Context) -> str:
    page = INDEX
    months = by_month(ctx)
    lines = [front_matter("Archive", pagefind="false") + "# Archive", "",
             "Every article by month of publication, newest first.", "",
             "| Month | Articles | Stories |", "|---|---|---|"]
    for month, articles in months.items():
        stories = ctx.stories_of(a.id for a in articles)
        lines.append(f"| [{md(month_title(month))}]({rel(page, month_page(month))}) | {len(articles)} | {len(stories)} |")
    if not months:
        lines = lines[:-2] + ["No articles yet."]
    return "\n".join(lines) + "\n"


def render_month(ctx: Context, month: str | None, articles: list[Article]) -> str:
    """A month's page: the stories with an article that month, then its articles day by day."""
    page = month_page(month)
    title = month_title(month)
    lines = [front_matter(title, pagefind="false") + f"# {md(title)}", ""]
    count = f"{len(articles)} article{'s' * (len(articles) != 1)}"
    lines += [meta_line(f"{count} · {archive_link(page, 'all months')}"), ""]
    in_month: dict[str, int] = defaultdict(int)
    for a in articles:
        story = ctx.story_of.get(a.id)
        if story is not None:
            in_month[story.id] += 1
    stories: list[Story] = ctx.stories_of(a.id for a in articles)
    if stories:
        lines += ["## Stories", "", "| Story | Articles this month | In all |", "|---|---|---|"]
        for story in stories:
            lines.append(f"| {ctx.story_link(page, story)} | {in_month[story.id]} | {len(story.articles)} |")
        lines.append("")
    lines += ["## Articles", ""]
    day = None
    for a in articles:
        if month:
            shown = fmt_date(a.published, with_time=False)
            if shown != day:
                lines += ([""] if day is not None else []) + [f"### {shown}", ""]
                day = shown
        lines.append(f"- {ctx.article_link(page, a.id)} · {ctx.outlet_link(page, outlet_of(a))}")
    return "\n".join(lines) + "\n"


def archive_pages(ctx: Context) -> dict[str, str]:
    """{docs path: Markdown} of the archive index and every month's page."""
    months = by_month(ctx)
    pages = {INDEX: render_archive_index(ctx)}
    for month, articles in months.items():
        pages[month_page(month)] = render_month(ctx, month, articles)
    return pages
