"""The editors' page of what changed since the last published build (changes.md, linked from the
About page, not from the navigation), and the redirect pages left where a story's page was."""

from __future__ import annotations

import html

from digest.model import Changes, RowChange
from digest.render.context import Context, front_matter
from digest.render.escape import md
from digest.render.paths import rel, url_of
from digest.text.slugs import slugify

PAGE = "changes.md"


def _story(ctx: Context, story_id: str) -> str:
    story = next((s for s in ctx.digest.stories if s.id == story_id), None)
    return ctx.story_link(PAGE, story) if story is not None else f"`{md(story_id)}`"


def _row(ctx: Context, c: RowChange) -> str:
    return f"{_story(ctx, c.story)}: {md(c.label)} (`{md(c.fact)}`)"


def render_changes(ctx: Context, changes: Changes | None) -> str:
    lines = [front_matter("Changes since the last build", pagefind="false") + "# Changes since the last build", ""]
    if changes is None:
        return "\n".join(lines + ["No comparison with an earlier build was made.", ""])
    if changes.since is None:
        lines += ["This is the first published build: every story is new.", ""]
        lines += [f"- {_story(ctx, sid)}" for sid, _ in changes.new_stories]
        return "\n".join(lines) + "\n"
    if changes.empty:
        return "\n".join(lines + ["Nothing changed since the last published build.", ""])
    lines += ["What this build publishes differently from the last published one. Ids are the ones "
              "`overrides.yml` uses (`digest facts` prints them).", ""]

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.extend([f"## {title}", "", *items, ""])

    section("New stories", [f"- {_story(ctx, sid)}" for sid, _ in changes.new_stories])
    section("Removed stories", [f"- {md(title)} (`{md(sid)}`)" for sid, title in changes.removed_stories])
    section("Stories that moved", [f"- `{md(old)}` now leads to {_story(ctx, new)}"
                                   for old, new in changes.moved_stories])
    section("New conflicts", [f"- {_row(ctx, c)}: {md(c.value)}" for c in changes.new_conflicts])
    section("Rows added", [f"- {_row(ctx, c)}: {md(c.value)}" for c in changes.rows_added])
    section("Rows removed", [f"- {_row(ctx, c)}: was {md(c.value)}" for c in changes.rows_removed])
    changed = []
    for c in changes.rows_changed:
        changed.append(f"- {_row(ctx, c)}: now {md(c.value)}")
        changed += [f"    - {md(v.outlet)}: {md(v.old) if v.old else '—'} → {md(v.new) if v.new else '—'}"
                    for v in c.changes]
    section("Rows changed", changed)
    section("Overrides that match nothing", [f"- `{md(p)}`" for p in changes.stale_overrides])
    return "\n".join(lines)


def render_redirects(ctx: Context, use_directory_urls: bool = True) -> dict[str, str]:
    """A small HTML page at the path of every story page that moved, leading to the story's page
    now: a meta refresh, a canonical link and a plain link, all relative (works offline and
    under any subpath, with MkDocs and Zensical alike, which copy HTML files in docs/ as they are)."""
    pages: dict[str, str] = {}
    taken = set(ctx.paths.stories.values())
    for old, new in ctx.digest.redirects.items():
        if new not in ctx.paths.stories:
            continue
        slug = slugify(old, max_len=60)
        if not slug or f"stories/{slug}.md" in taken:
            continue
        target = url_of(ctx.paths.stories[new], use_directory_urls)
        path = f"stories/{slug}/index.html" if use_directory_urls else f"stories/{slug}.html"
        href = html.escape(rel(path, target) if not target.endswith("/") else rel(path, target + "index.html")[:-10],
                           quote=True)
        href = href or "./"
        story = next(s for s in ctx.digest.stories if s.id == new)
        pages[path] = (
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<title>{html.escape(story.title)}</title>\n'
            f'<meta http-equiv="refresh" content="0; url={href}">\n'
            f'<link rel="canonical" href="{href}">\n<meta name="robots" content="noindex">\n</head>\n'
            f'<body>\n<p>This story moved: <a href="{href}">{html.escape(story.title)}</a>.</p>\n</body>\n</html>\n'
        )
    return pages
