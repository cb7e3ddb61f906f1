"""One page per entity: names, roles by outlet, every article that mentions it (with the
sentence), its stories and the entities seen alongside it."""

from __future__ import annotations

from digest.model import Entity
from digest.render.context import Context, fmt_date, front_matter, meta_line
from digest.render.escape import md
from digest.render.paths import outlet_name, outlet_of

LABELS = {"person": "Person", "place": "Place", "organization": "Organisation", "event": "Event", "other": "Other"}


def render_entity(ctx: Context, entity: Entity) -> str:
    page = ctx.paths.entities[entity.id]
    lines = [front_matter(entity.name) + f"# {md(entity.name)}", ""]
    meta = [md(LABELS.get(entity.label, entity.label)), f"mentioned in {len(entity.articles)} article{'s' * (len(entity.articles) != 1)}"]
    lines += [meta_line(" · ".join(meta)), ""]
    if entity.aliases:
        # The aliases are plain page text so the site search finds this page by any spelling.
        # Weighted like the title, so a search for any spelling ranks this page above the
        # articles that merely mention the name.
        lines += [f'<span class="dg-names" data-pagefind-weight="7">**Also written:** {", ".join(md(a) for a in entity.aliases)}</span>', ""]
    if entity.roles:
        lines += ["## Roles", "", "| Role | Outlet | Article |", "|---|---|---|"]
        for role in entity.roles:
            outlet = ctx.outlet_link(page, outlet_name(role.outlet)) if role.outlet else "—"
            lines.append(f"| {md(role.role)} | {outlet} | {ctx.article_link(page, role.article)} |")
        lines.append("")
    stories = ctx.stories_of(entity.articles)
    if stories:
        lines += ["## Stories", ""] + [f"- {ctx.story_link(page, s)}" for s in stories] + [""]
    lines += ["## Articles", ""]
    for art in ctx.newest_first_ids(entity.articles):
        ref = ctx.ref(art.id, entity.id)
        when = fmt_date(art.published, with_time=False)
        head = f"- {ctx.article_link(page, art.id)} ({', '.join(x for x in (ctx.outlet_link(page, outlet_of(art)), when) if x)})"
        if ref and ref.surface:
            head += f" <small>as {', '.join(md(s) for s in ref.surface)}</small>"
        lines.append(head)
        for sentence in (ref.sentences if ref else ())[:2]:
            lines += ["", f"    > {md(sentence)}"]
        lines.append("")
    others = ctx.cooccurring(entity)
    if others:
        lines += ["## Often mentioned with", ""]
        lines.append(", ".join(f"{ctx.entity_link(page, e.id)} ({n})" for e, n in others))
        lines.append("")
    return "\n".join(lines)
