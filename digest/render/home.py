"""The home page: latest stories, each with its summary, top facts and count of conflicts."""

from __future__ import annotations

from digest.model import Fact, Story
from digest.render.context import Context, badge, disagreed, fact_value, fmt_date, status_badges, front_matter, meta_line, yaml_list
from digest.render.escape import md, strip_controls


# What a reader wants at a glance, after the conflicts: tolls and counts, then when, then where.
KIND_RANK = {"number": 0, "date": 1, "place": 2, "person": 3, "claim": 4}


def says_something(fact: Fact) -> bool:
    """False for a row whose value only repeats its label ("Beijing: Beijing"), or shows nothing
    (blank, or only control characters, which rendering drops)."""
    value = " ".join(strip_controls(fact.value).casefold().split()) if fact.value else ""
    return bool(value) and value != " ".join(fact.label.casefold().split())


def top_facts(ctx: Context, story: Story, limit: int) -> list[Fact]:
    """Pinned rows, then conflicts (what a reader must know is contested), then counts, dates
    and places, each kind by how many outlets report it; never a row that says nothing more
    than its label."""
    facts = [f for f in ctx.visible_facts(story) if f.kind != "quote" and says_something(f)]
    rank = {f.id: i for i, f in enumerate(facts)}
    facts.sort(key=lambda f: (not f.pinned, not disagreed(f), KIND_RANK.get(f.kind, 5),
                              -len(f.sources), rank[f.id]))
    return facts[:limit]


def render_home(ctx: Context, description: str, limit: int, facts_per_story: int) -> str:
    page = "index.md"
    stories = ctx.digest.stories
    n_articles = sum(1 for a in ctx.digest.articles if not a.not_article)
    lines = [front_matter(ctx.site_title, hide=yaml_list(["navigation"]), pagefind="false") + f"# {md(ctx.site_title)}", ""]
    if description:
        lines += [md(description), ""]
    lines += [
        meta_line(
            f"{len(stories)} stories from {n_articles} articles by {len(ctx.by_outlet)} outlets. "
            "Every story compares what each outlet reported; conflicting facts are highlighted."
        ),
        "",
        "## Latest stories",
        "",
    ]
    for story in stories[:limit]:
        n_out = len(ctx.story_outlets(story))
        meta = [f"{len(story.articles)} article{'s' * (len(story.articles) != 1)}", f"{n_out} outlet{'s' * (n_out != 1)}"]
        if story.updated:
            meta.insert(0, fmt_date(story.updated, with_time=False))
        conflicts = ctx.conflicts(story)
        meta.append(badge("conflict", f"{conflicts} conflict{'s' * (conflicts != 1)}") if conflicts else badge("agreed", "no conflicts"))
        lines += [f"### {ctx.story_link(page, story)}", "", meta_line(" · ".join(meta)), ""]
        if story.summary:
            lines += [" ".join(md(s.text) for s in story.summary[:2]), ""]
        for fact in top_facts(ctx, story, facts_per_story):
            lines.append(f"- **{md(fact.label)}:** {fact_value(fact)} {status_badges(fact)}")
        lines.append("")
    if len(stories) > limit:
        lines += [f"[All {len(stories)} stories](stories/index.md)", ""]
    lines += [
        "## Browse and download",
        "",
        "- [Stories](stories/index.md), [articles](articles/index.md), [people, places and organisations](entities/index.md), [outlets](outlets/index.md), [tags](tags.md)",
        "- [The archive by month](archive/index.md)",
        "- [Atom feed of the stories](feed.xml) · [all data as JSON](digest.json)",
        "",
    ]
    return "\n".join(lines)
