"""One page per outlet: its articles, the stories it covered, facts only it reported."""

from __future__ import annotations

from digest.render.archive import RECENT, more_in_archive
from digest.render.context import Context, fmt_date, front_matter, label_list, meta_line
from digest.render.escape import description, md, yaml_str
from digest.render.paths import rel


def render_outlet(ctx: Context, outlet: str) -> str:
    page = ctx.paths.outlets[outlet]
    articles = ctx.by_outlet.get(outlet, [])
    feed = ctx.paths.outlet_feeds[outlet]
    head = front_matter(outlet, pagefind="false", description=yaml_str(description(f"What {outlet} reported, story by story, compared with other outlets.")),
                        feed=yaml_str(feed), feed_title=yaml_str(description(f"{outlet}: new articles")))
    lines = [head + f"# {md(outlet)}", ""]
    lines += [meta_line(f"{len(articles)} article{'s' * (len(articles) != 1)} in this digest · "
                        f"[Follow {md(outlet)} (Atom feed)]({rel(page, feed)})"), ""]
    stories = ctx.stories_of(a.id for a in articles)
    if stories:
        lines += ["## Stories", ""]
        for story in stories[:RECENT]:
            facts = {f.id: f for f in ctx.visible_facts(story)}
            only = label_list([facts[f].label for f in story.exclusive.get(outlet, ()) if f in facts])
            line = f"- {ctx.story_link(page, story)}"
            if only:
                line += f": only {md(outlet)} reports {only}"
            lines.append(line)
        lines += more_in_archive(page, RECENT, len(stories), "stories") or [""]
    lines += ["## Articles", "", "| Date | Title | Story |", "|---|---|---|"]
    for art in articles[:RECENT]:
        story = ctx.story_of.get(art.id)
        lines.append(
            f"| {fmt_date(art.published, with_time=False) or '—'} | {ctx.article_link(page, art.id)} | "
            f"{ctx.story_link(page, story) if story else '—'} |"
        )
    lines += more_in_archive(page, RECENT, len(articles), "articles")
    return "\n".join(lines) + "\n"
