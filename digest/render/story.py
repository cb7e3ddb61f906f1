"""One page per story: summary, key-facts table (a column per outlet), quotes, timeline,
coverage comparison and the articles."""

from __future__ import annotations

from urllib.parse import urlsplit

from digest.model import Fact, Story
from digest.render.context import (Context, badge, disagreed, fact_value, fmt_date, front_matter, label_list, meta_line,
                                   status_badges, yaml_list)
from digest.render.escape import description, md, safe_url, yaml_str
from digest.render.paths import outlet_of, rel

DASH = "—"


def _reference(fact: Fact) -> str:
    """The value the other reports are compared with: the latest report's (a conflict's value is
    that one; after an edit the row still shows how the outlets differed from it)."""
    latest = next((src.value for src in fact.sources if src.article == fact.latest), None)
    return latest if latest is not None else fact.value


def _cell(ctx: Context, fact: Fact, outlet: str) -> str:
    """What `outlet` reported for `fact`: its exact words, marked when they differ from the
    latest report; where outlets disagreed, each report's time, the latest one marked. Several
    articles from one outlet are joined."""
    parts: list[str] = []
    differs = disagreed(fact)
    reference = _reference(fact)
    for src in fact.sources:
        art = ctx.articles.get(src.article)
        if art is None or outlet_of(art) != outlet:
            continue
        words = md(src.text or src.value)
        if differs and src.value != reference:
            words = f'<mark class="dg-differs">{words}</mark>'
        if src.wire:  # an agency's copy: say whose, never "republished" from another outlet running it
            words += f' <small class="dg-republished">({src.wire} wire)</small>'
        elif src.republished_from:
            words += ' <small class="dg-republished">(republished)</small>'
        if differs:
            when = fmt_date(src.published or art.published)
            if when:
                words += f'<br><small class="dg-when">{when}</small>'
            if src.article == fact.latest:
                words += " " + badge("latest")
        if words not in parts:
            parts.append(words)
    return "<br>".join(parts) if parts else f'<span class="dg-none">{DASH}</span>'


def citation(text: str) -> str:
    """A writer's citation as a reader sees it: a URL becomes a link named by its site
    ("reuters.com"), anything else is shown as written."""
    url = safe_url(text)
    if not url:
        return md(text)
    host = (urlsplit(text.strip()).hostname or "").removeprefix("www.")
    return f"[{md(host or 'source')}]({url})"


def _label(ctx: Context, page: str, fact: Fact) -> str:
    label = md(fact.label)
    if fact.speaker:
        label += f" ({ctx.entity_link(page, fact.speaker)})"
    label += f"<br>{status_badges(fact)}" + (" " + badge("pinned") if fact.pinned else "")
    extras: list[str] = []
    if fact.note:
        cite = f" ({citation(fact.citation)})" if fact.citation else ""
        extras.append(f'<span class="dg-note">✎ Editor\'s note: {md(fact.note)}{cite}</span>')
    elif fact.citation:
        extras.append(f'<span class="dg-note">✎ Editor\'s source: {citation(fact.citation)}</span>')
    if fact.extracted_value is not None and fact.extracted_value != fact.value and not disagreed(fact):
        # Where the outlets disagreed, their cells show every value; otherwise say what changed.
        extras.append(f'<span class="dg-note">The outlets reported {md(fact.extracted_value)}</span>')
    if fact.added:
        extras.append('<span class="dg-note">Added by the editors</span>')
    return "<br>".join([label, *extras])


def _value(ctx: Context, fact: Fact) -> str:
    value = f"**{fact_value(fact)}**" if md(fact.value) else DASH
    if fact.status == "conflict" and fact.latest is not None:
        # Named here: on a phone the latest outlet's column may be off-screen.
        art = ctx.articles.get(fact.latest)
        by = f" ({md(outlet_of(art))})" if art is not None else ""
        value += f'<br><small class="dg-when">latest report{by}</small>'
    elif fact.status == "edited":
        value += '<br><small class="dg-when">editors\' value</small>'
    return value


def facts_table(ctx: Context, page: str, story: Story, facts: list[Fact]) -> list[str]:
    """Fact (with its status badge and any editor's note), the value, then a column per outlet:
    the fact stays in view when many outlet columns make the table scroll sideways. A conflict's
    value is the latest report's (figures get updated: 50 early, 59 later), never a majority.
    The marker class in the first header cell lets the stylesheet style this table only (no
    wrapper div: that would need md_in_html in the project's mkdocs.yml)."""
    outlets = ctx.story_outlets(story)
    head = ['<span class="dg-facts">Fact</span>', "Value", *(ctx.outlet_link(page, o) for o in outlets)]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"]
    for fact in facts:
        row = [_label(ctx, page, fact), _value(ctx, fact), *(_cell(ctx, fact, o) for o in outlets)]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _summary(ctx: Context, page: str, story: Story) -> list[str]:
    out = []
    for sentence in story.summary:
        sources = ", ".join(dict.fromkeys(outlet_of(ctx.articles[a]) for a in sentence.articles if a in ctx.articles))
        out.append(md(sentence.text) + (f' <small class="dg-src">({md(sources)})</small>' if sources else ""))
    return [" ".join(out), ""] if out else []


def _wordings(ctx: Context, page: str, fact: Fact) -> list[tuple[str, str]]:
    """(escaped words, linked outlet names) for each distinct wording among a fact's sources."""
    by_words: dict[str, list[str]] = {}
    for src in fact.sources:
        art = ctx.articles.get(src.article)
        if art is not None:
            by_words.setdefault(md(src.text or src.value), []).append(outlet_of(art))
    return [(w, ", ".join(ctx.outlet_link(page, o) for o in dict.fromkeys(outs))) for w, outs in by_words.items()]


def _quoted(words: str) -> str:
    """Words in quotation marks, unless the outlet's own words already open with one."""
    return words if words[:1] in "\"“‘'«„" else f"“{words}”"


def _variants(ctx: Context, page: str, fact: Fact) -> tuple[str, list[str]]:
    """Who reported a sentence-long fact, inline when all used the shown words, else each
    outlet's own wording as an indented sub-list; plus the editor's note."""
    wordings = _wordings(ctx, page, fact)
    inline, nested = "", []
    if len(wordings) == 1 and wordings[0][0] == md(fact.value):
        inline = wordings[0][1]
    else:
        nested = [line for words, names in wordings for line in ("", f"    - {names}: {_quoted(words)}")]
    if fact.note:
        cite = f" ({citation(fact.citation)})" if fact.citation else ""
        nested += ["", f"    ✎ Editor's note: {md(fact.note)}{cite}"]
    return inline, nested


def _claims(ctx: Context, page: str, claims: list[Fact]) -> list[str]:
    """Claims are whole sentences: a table cell per outlet would make rows a page tall, so each
    claim is an item with every outlet's wording beneath it."""
    lines = ["## Claims", ""]
    for claim in claims:
        label = "" if claim.label.strip().lower() == "claim" else f"**{md(claim.label)}** "
        inline, nested = _variants(ctx, page, claim)
        lines.append(f"- {label}{status_badges(claim)} {md(claim.value)}" + (f" <small>({inline})</small>" if inline else ""))
        lines += nested + [""]
    return lines


def _quotes(ctx: Context, page: str, quotes: list[Fact]) -> list[str]:
    lines = ["## Quotes", ""]
    for q in quotes:
        speaker = ctx.entity_link(page, q.speaker) if q.speaker else "Unattributed"
        inline, nested = _variants(ctx, page, q)
        lines.append(f"- {_quoted(md(q.value))} — **{speaker}** {status_badges(q)}" + (f" <small>(reported by {inline})</small>" if inline else ""))
        lines += nested + [""]
    return lines


def _timeline(ctx: Context, story: Story) -> list[str]:
    lines = ["## Timeline", ""]
    for entry in story.timeline:
        outlets = ", ".join(dict.fromkeys(outlet_of(ctx.articles[a]) for a in entry.articles if a in ctx.articles))
        lines.append(f"- **{fmt_date(entry.date)}**: {md(entry.text)}" + (f" <small>({md(outlets)})</small>" if outlets else ""))
    return lines + [""]


def _coverage(ctx: Context, page: str, story: Story) -> list[str]:
    facts = {f.id: f for f in ctx.visible_facts(story)}
    lines = ["## Coverage", "", "| Outlet | Articles | Facts reported | Only this outlet reports |", "|---|---|---|---|"]
    for outlet in ctx.story_outlets(story):
        arts = [a for a in story.articles if a in ctx.articles and outlet_of(ctx.articles[a]) == outlet]
        reported = sum(1 for f in facts.values() if outlet in ctx.source_outlets(f))
        only = label_list([facts[fid].label for fid in story.exclusive.get(outlet, ()) if fid in facts])
        lines.append(f"| {ctx.outlet_link(page, outlet)} | {len(arts)} | {reported} | {only or DASH} |")
    return lines + [""]


def _articles(ctx: Context, page: str, story: Story) -> list[str]:
    lines = ["## Articles", ""]
    for aid in story.articles:
        art = ctx.articles.get(aid)
        if art is None:
            continue
        meta = ", ".join(x for x in (ctx.outlet_link(page, outlet_of(art)), fmt_date(art.published)) if x)
        line = f"- {ctx.article_link(page, aid)} ({meta})"
        original = story.republished.get(aid)
        if story.wire.get(aid):
            line += f" · {story.wire[aid]} wire copy"
        elif original:
            line += f" · republished from {ctx.article_link(page, original)}"
        lines.append(line)
    return lines + [""]


def render_story(ctx: Context, story: Story) -> str:
    page = ctx.paths.stories[story.id]
    facts = ctx.visible_facts(story)
    table = [f for f in facts if f.kind not in ("quote", "claim")]
    claims = [f for f in facts if f.kind == "claim"]
    quotes = [f for f in facts if f.kind == "quote"]
    outlets = ctx.story_outlets(story)
    conflicts = ctx.conflicts(story)
    meta = [f"{len(story.articles)} article{'s' * (len(story.articles) != 1)} from {len(outlets)} outlet{'s' * (len(outlets) != 1)}"]
    if story.updated:
        meta.insert(0, f"Updated {fmt_date(story.updated)}")
    if conflicts:
        meta.append(badge("conflict", f"{conflicts} conflict{'s' * (conflicts != 1)}"))
    # The wide facts table (a column per outlet) needs the room of both sidebars.
    summary = " ".join(s.text for s in story.summary) or story.title
    feed = ctx.paths.story_feeds[story.id]
    meta.append(f"[Follow this story (Atom feed)]({rel(page, feed)})")
    head = front_matter(story.title, hide=yaml_list(["navigation", "toc"]), description=yaml_str(description(summary)),
                        feed=yaml_str(feed), feed_title=yaml_str(description(f"{story.title}: new articles")))
    lines = [head + f"# {md(story.title)}", "", meta_line(" · ".join(meta)), ""]
    lines += _summary(ctx, page, story)
    csv_link = rel(page, ctx.paths.story_csv[story.id])
    lines += ["## Key facts", ""]
    if table:
        if len(outlets) > 1:
            # Shown (assets/digest.js) only while the outlets do not all fit and the table scrolls.
            lines += [meta_line(f"{len(outlets)} outlets: scroll the table sideways to see them all →",
                                "dg-scroll-hint"), ""]
        lines += facts_table(ctx, page, story, table)
        lines += ["", f"Each column shows the words an outlet used. [Download the key facts as CSV]({csv_link})", ""]
    else:
        lines += ["No key facts were found for this story.", ""]
    if claims:
        lines += _claims(ctx, page, claims)
    if quotes:
        lines += _quotes(ctx, page, quotes)
    if story.timeline:
        lines += _timeline(ctx, story)
    lines += _coverage(ctx, page, story)
    lines += _articles(ctx, page, story)
    return "\n".join(lines)
