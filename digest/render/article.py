"""One page per article: metadata, standfirst, cleaned paragraphs, entity tags and the parts
cleaning removed. Every scraped string goes through `escape.md` (or `escape.h` in raw HTML)."""

from __future__ import annotations

from digest.model import Article
from digest.render.context import Context, fmt_date, front_matter, meta_line, yaml_list
from digest.render.escape import h, md, safe_url, tag_name, yaml_str
from digest.render.feed import article_summary
from digest.render.paths import outlet_of


def _entities(ctx: Context, page: str, article: Article) -> list[str]:
    """Every entity with its canonical name and all its spellings, so the search finds this page
    whichever spelling a reader types ("Yuri Ushakov" or "Yury Ushakov"): the main ones (the
    page's tags) in view, the rest folded (pymdownx.details, in every digest mkdocs.yml; a link to
    an entity that lives in the fold opens it, assets/digest.js)."""
    main, rest = [], []
    keep = set(main_entities(ctx, article))
    seen: set[str] = set()
    for ref in ctx.refs(article.id):
        entity = ctx.entities.get(ref.entity)
        if entity is None or entity.id in seen:
            continue
        seen.add(entity.id)
        spellings = list(dict.fromkeys(s for s in (*ref.surface, *entity.aliases) if s != entity.name))
        if ctx.paths.has_page(entity.id):
            name = ctx.entity_link(page, entity.id)
        else:  # it lives here: the anchor every link to it points at
            name = f'<span id="{ctx.paths.entities[entity.id].partition("#")[2]}"></span>**{md(entity.name)}**'
        line = f"- {name} <small>{md(entity.label)}</small>"
        if spellings:
            line += f": also written {', '.join(md(s) for s in spellings)}"
        (main if entity.id in keep else rest).append(line)
    if not main and not rest:
        return []
    lines = ["## People, places and organisations", "", *main, ""]
    if rest:
        lines += [f'??? note "{len(rest)} more mentioned"', "", *(f"    {line}" for line in rest), ""]
    return lines


# Tag chips shown above an article's headline (and in the Tags index): the handful of entities it
# is about, by mentions; a scraped page can name three dozen, a wall no eye reads. Every entity
# stays listed, with its spellings, at the foot of the page.
MAIN_TAGS = 5


def main_entities(ctx: Context, article: Article) -> list[str]:
    """Ids of the article's main entities: most mentioned first, ties in reading order."""
    refs = [r for r in ctx.refs(article.id) if r.entity in ctx.entities]
    ranked = sorted(range(len(refs)), key=lambda i: -refs[i].mentions)
    return list(dict.fromkeys(refs[i].entity for i in ranked))[:MAIN_TAGS]


def main_tags(ctx: Context, article: Article) -> list[str]:
    """The article's tags: its main entities' names."""
    return list(dict.fromkeys(tag_name(ctx.entities[e].name) for e in main_entities(ctx, article)))


def _dropped(article: Article) -> list[str]:
    if not article.dropped:
        return []
    # Raw HTML (escaped with h) rather than pymdownx.details, so the page needs no extension.
    lines = [f'<details class="note dg-removed" data-pagefind-ignore="all"><summary>Removed from the original ({len(article.dropped)})</summary>']
    lines.append("<p>Cleaning removed these parts of the page, with the reason:</p>")
    lines.append("<ul>")
    for d in article.dropped:
        lines.append(f"<li>{h(d.text) or '(empty)'} <small>({h(d.reason)})</small></li>")
    return lines + ["</ul>", "</details>", ""]


def render_article(ctx: Context, article: Article) -> str:
    page = ctx.paths.articles[article.id]
    title = article.title or article.id
    head = front_matter(title, tags=yaml_list(main_tags(ctx, article)),
                        description=yaml_str(article_summary(article)), og_type="article")
    lines = [head + f"# {md(title)}", ""]
    meta = [ctx.outlet_link(page, outlet_of(article))]
    if article.published:
        meta.append(fmt_date(article.published))
    if article.author:
        meta.append("by " + md(article.author))
    url = safe_url(article.url)
    if url:
        meta.append(f"[Read the original]({url})")
    lines += [meta_line(" · ".join(meta)), ""]
    if article.not_article:
        lines += [
            '<div class="admonition warning"><p class="admonition-title">Not a news article</p>',
            f"<p>{h(article.not_article)}. It is kept out of the stories.</p></div>",
            "",
        ]
    story = ctx.story_of.get(article.id)
    if story is not None:
        note = f"Part of the story {ctx.story_link(page, story)}"
        original = story.republished.get(article.id)
        if original:
            note += f"; republished from {ctx.article_link(page, original)}"
        lines += [meta_line(note + ".", "dg-story"), ""]
    if article.title_derived:
        lines += [meta_line("The page had no title; this one was derived from its text.", "dg-derived"), ""]
    if article.standfirst:
        lines += [meta_line(md(article.standfirst), "dg-standfirst"), ""]
    for para in article.paragraphs:
        text = md(para)
        if text:
            lines += [text, ""]
    lines += _entities(ctx, page, article)
    lines += _dropped(article)
    return "\n".join(lines)
