"""Section index pages (stories, articles, entities, outlets) and the Material tags index."""

from __future__ import annotations

from digest.render.archive import RECENT, more_in_archive
from digest.render.context import Context, badge, fmt_date, front_matter, yaml_list
from digest.render.entity import LABELS
from digest.render.escape import md
from digest.render.paths import outlet_of


def render_stories_index(ctx: Context) -> str:
    page = "stories/index.md"
    lines = [front_matter("Stories", pagefind="false") + "# Stories", "", "Most recent first.", "", "| Updated | Story | Articles | Conflicts |", "|---|---|---|---|"]
    for s in ctx.digest.stories[:RECENT]:
        c = ctx.conflicts(s)
        lines.append(f"| {fmt_date(s.updated, with_time=False) or '—'} | {ctx.story_link(page, s)} | {len(s.articles)} | {badge('conflict', str(c)) if c else '0'} |")
    lines += more_in_archive(page, RECENT, len(ctx.digest.stories), "stories")
    return "\n".join(lines) + "\n"


def render_articles_index(ctx: Context) -> str:
    page = "articles/index.md"
    lines = [front_matter("Articles", pagefind="false") + "# Articles", "", "Newest first.", "", "| Date | Title | Outlet | Story |", "|---|---|---|---|"]
    for a in ctx.newest_first(ctx.digest.articles)[:RECENT]:
        story = ctx.story_of.get(a.id)
        title = ctx.article_link(page, a.id) + (" " + badge("other", "not an article") if a.not_article else "")
        lines.append(
            f"| {fmt_date(a.published, with_time=False) or '—'} | {title} | {ctx.outlet_link(page, outlet_of(a))} | "
            f"{ctx.story_link(page, story) if story else '—'} |"
        )
    lines += more_in_archive(page, RECENT, len(ctx.digest.articles), "articles")
    return "\n".join(lines) + "\n"


def render_entities_index(ctx: Context) -> str:
    page = "entities/index.md"
    lines = [front_matter("People, places and organisations", pagefind="false") + "# People, places and organisations", ""]
    for label, heading in LABELS.items():
        group = sorted((e for e in ctx.digest.entities.entities if e.label == label), key=lambda e: (-len(e.articles), e.name))
        if not group:
            continue
        lines += [f"## {heading}", ""]
        for e in group:
            also = f" <small>also {', '.join(md(a) for a in e.aliases)}</small>" if e.aliases else ""
            lines.append(f"- {ctx.entity_link(page, e.id)} ({len(e.articles)}){also}")
        lines.append("")
    return "\n".join(lines)


def render_outlets_index(ctx: Context) -> str:
    page = "outlets/index.md"
    lines = [front_matter("Outlets", pagefind="false") + "# Outlets", "", "| Outlet | Articles | Latest |", "|---|---|---|"]
    for outlet, arts in sorted(ctx.by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold())):
        lines.append(f"| {ctx.outlet_link(page, outlet)} | {len(arts)} | {fmt_date(arts[0].published, with_time=False) or '—'} |")
    return "\n".join(lines) + "\n"


def render_tags(ctx: Context) -> str:
    """Every person, place and organisation from A to Z, with the number of articles that
    mention it. digest writes this index itself (not Material's tags plugin, which gathers
    tags across all pages as MkDocs builds them, so an incremental site build would list only
    the pages it rebuilt). A letter's names share one wrapped line: a list per name made a
    page tens of thousands of pixels tall."""
    page = "tags.md"
    lines = [front_matter("Tags", pagefind="false") + "# Tags", "",
             "Articles by the people, places and organisations they mention.", ""]
    by_letter: dict[str, list[str]] = {}
    for e in sorted(ctx.digest.entities.entities, key=lambda e: (e.name.casefold(), e.name, e.id)):
        first = e.name[:1].upper() if e.name[:1].isalpha() else "#"
        by_letter.setdefault(first, []).append(f"{ctx.entity_link(page, e.id)}&nbsp;({len(e.articles)})")
    for letter, links in by_letter.items():
        lines += [f"## {md(letter)}", "", " · ".join(links), ""]
    return "\n".join(lines)
