"""A small fictional Digest built straight from the model dataclasses, for the render, site,
golden and browser tests (the pipeline stages are not needed to exercise the site).

Everything here is invented: the town of Port Alder, its outlets and its minister Yury Varenko
(whose name outlets also spell "Yuri Varenko", like Yury/Yuri Ushakov in the real seeds)."""

from __future__ import annotations

from digest.model import (
    Article,
    Digest,
    Dropped,
    Entity,
    EntityIndex,
    EntityRef,
    Fact,
    FactSource,
    Problem,
    Role,
    Story,
    SummarySentence,
    TimelineEntry,
)


def _article(id: str, title: str | None, outlet: str | None, published: str | None, paragraphs: tuple[str, ...], **kw) -> Article:
    return Article(
        id=id,
        source_path=f"articles/{id}.txt",
        format="txt",
        title=title,
        title_derived=kw.pop("title_derived", False),
        published=published,
        outlet=outlet,
        url=kw.pop("url", f"https://{(outlet or 'example').lower().replace(' ', '')}.example/{id}"),
        author=kw.pop("author", None),
        standfirst=kw.pop("standfirst", None),
        paragraphs=paragraphs,
        **kw,
    )


ARTICLES = (
    _article(
        "001_herald",
        "Ferry runs aground off Port Alder, dozens hurt",
        "Harbour Herald",
        "2026-03-02T08:15:00",
        (
            "The passenger ferry Grey Heron ran aground on the Skerry Bank off Port Alder early on Monday, injuring 12 people.",
            "Transport minister Yury Varenko said the crew had followed every procedure.",
            '"We will find out exactly what happened," Varenko told reporters at the harbour.',
            "The ferry was carrying 230 passengers, the operator said.",
        ),
        standfirst="Coastguard says all passengers were brought ashore by noon",
        author="Mara Quill",
        dropped=(Dropped("File photo: the Grey Heron in 2024", "photo caption"), Dropped("Subscribe for more", "template line")),
    ),
    _article(
        "002_wire",
        "Grey Heron ferry grounded; 14 injured, says coastguard",
        "Coastal Wire",
        "2026-03-02T11:40:00",
        (
            "Fourteen people were injured when the Grey Heron ferry grounded on the Skerry Bank near Port Alder on Monday.",
            "Transport minister Yuri Varenko promised an inquiry into the grounding.",
            "The inquiry will report by the end of April, the ministry said.",
        ),
    ),
    _article(
        "003_ledger",
        "Ferry runs aground off Port Alder, dozens hurt",
        "Northern Ledger",
        "2026-03-02T13:05:00",
        (
            "The passenger ferry Grey Heron ran aground on the Skerry Bank off Port Alder early on Monday, injuring 12 people.",
            "Transport minister Yury Varenko said the crew had followed every procedure.",
        ),
    ),
    _article(
        "004_wire",
        "Port Alder harbour reopens after ferry grounding",
        "Coastal Wire",
        "2026-03-03T09:00:00",
        ("Port Alder harbour reopened on Tuesday after tugs refloated the Grey Heron.", "Minister Yuri Varenko visited the harbour."),
    ),
    _article(
        "005_herald",
        "Newsletter sign-up",
        "Harbour Herald",
        None,
        ("Sign up for our morning briefing.",),
        not_article="newsletter sign-up page",
    ),
)

_VARENKO = "yury-varenko"
ENTITIES = EntityIndex(
    entities=(
        Entity(
            _VARENKO,
            "Yury Varenko",
            "person",
            ("Yuri Varenko", "Varenko"),
            roles=(Role("transport minister", "Harbour Herald", "001_herald"), Role("transport minister", "Coastal Wire", "002_wire")),
            articles=("001_herald", "002_wire", "003_ledger", "004_wire"),
        ),
        Entity("port-alder", "Port Alder", "place", (), articles=("001_herald", "002_wire", "003_ledger", "004_wire")),
        Entity("skerry-bank", "Skerry Bank", "place", (), articles=("001_herald", "002_wire", "003_ledger")),
    ),
    by_article={
        "001_herald": (
            EntityRef(_VARENKO, 2, ("Yury Varenko", "Varenko"), ("Transport minister Yury Varenko said the crew had followed every procedure.",)),
            EntityRef("port-alder", 1, ("Port Alder",), ()),
            EntityRef("skerry-bank", 1, ("Skerry Bank",), ()),
        ),
        "002_wire": (
            EntityRef(_VARENKO, 1, ("Yuri Varenko",), ("Transport minister Yuri Varenko promised an inquiry into the grounding.",)),
            EntityRef("port-alder", 1, ("Port Alder",), ()),
            EntityRef("skerry-bank", 1, ("Skerry Bank",), ()),
        ),
        "003_ledger": (
            EntityRef(_VARENKO, 1, ("Yury Varenko",), ("Transport minister Yury Varenko said the crew had followed every procedure.",)),
            EntityRef("port-alder", 1, ("Port Alder",), ()),
            EntityRef("skerry-bank", 1, ("Skerry Bank",), ()),
        ),
        "004_wire": (
            EntityRef("port-alder", 1, ("Port Alder",), ()),
            EntityRef(_VARENKO, 1, ("Yuri Varenko",), ("Minister Yuri Varenko visited the harbour.",)),
        ),
    },
)


def _src(article: str, text: str, value: str, paragraph: int = 0, republished_from: str | None = None) -> FactSource:
    return FactSource(article, text, value, paragraph, republished_from)


FACTS = (
    Fact(
        "injured",
        "number",
        "Injured",
        "12",
        "conflict",
        (
            _src("001_herald", "injuring 12 people", "12"),
            _src("002_wire", "Fourteen people were injured", "14"),
            _src("003_ledger", "injuring 12 people", "12", republished_from="001_herald"),
        ),
        latest="003_ledger",  # the last report (13:05) is the Ledger's copy of the Herald's 12
    ),
    Fact(
        "date",
        "date",
        "Date of the grounding",
        "2026-03-02",
        "agreed",
        (_src("001_herald", "early on Monday", "2026-03-02"), _src("002_wire", "on Monday", "2026-03-02")),
        pinned=True,
    ),
    Fact(
        "place",
        "place",
        "Where",
        "Skerry Bank, off Port Alder",
        "agreed",
        (_src("001_herald", "on the Skerry Bank off Port Alder", "Skerry Bank"), _src("002_wire", "on the Skerry Bank near Port Alder", "Skerry Bank")),
    ),
    Fact("passengers", "number", "Passengers", "230", "single", (_src("001_herald", "carrying 230 passengers", "230", 3),)),
    Fact(
        "inquiry-report",
        "date",
        "Inquiry reports",
        "by 30 April 2026",
        "edited",
        (_src("002_wire", "by the end of April", "2026-04"),),
        note="The ministry confirmed the deadline to us by phone.",
        extracted_value="2026-04",
    ),
    Fact("vessel", "claim", "Vessel", "Grey Heron", "hidden", (_src("001_herald", "Grey Heron", "Grey Heron"),)),
    Fact(
        "quote-varenko",
        "quote",
        "Quote: Yury Varenko",
        "We will find out exactly what happened",
        "single",
        (_src("001_herald", '"We will find out exactly what happened," Varenko told reporters', "We will find out exactly what happened", 2),),
        speaker=_VARENKO,
    ),
)

STORIES = (
    Story(
        "port-alder-harbour-reopens",
        "Port Alder harbour reopens",
        ("004_wire",),
        facts=(Fact("reopened", "date", "Harbour reopened", "2026-03-03", "single", (_src("004_wire", "on Tuesday", "2026-03-03"),)),),
        summary=(SummarySentence("Port Alder harbour reopened on Tuesday after tugs refloated the Grey Heron.", ("004_wire",)),),
        updated="2026-03-03T09:00:00",
    ),
    Story(
        "grey-heron-ferry-grounding",
        "Grey Heron ferry runs aground off Port Alder",
        ("001_herald", "002_wire", "003_ledger"),
        facts=FACTS,
        summary=(
            SummarySentence(
                "The passenger ferry Grey Heron ran aground on the Skerry Bank off Port Alder early on Monday.", ("001_herald", "003_ledger")
            ),
            SummarySentence("Transport minister Yury Varenko promised an inquiry.", ("002_wire",)),
        ),
        timeline=(
            TimelineEntry("2026-03-02", "The Grey Heron runs aground on the Skerry Bank", ("001_herald", "002_wire")),
            TimelineEntry("2026-04-30", "Inquiry due to report", ("002_wire",)),
        ),
        republished={"003_ledger": "001_herald"},
        updated="2026-03-02T13:05:00",
        exclusive={"Harbour Herald": ("passengers", "quote-varenko"), "Coastal Wire": ("inquiry-report",)},
    ),
)


def make_digest(extra_articles: tuple[Article, ...] = ()) -> Digest:
    return Digest(
        articles=ARTICLES + extra_articles,
        entities=ENTITIES,
        stories=STORIES,
        problems=(Problem("articles/005_herald.txt", "not an article: newsletter sign-up page", "note"),),
        title="Port Alder digest (fictional example)",
    )


# ---------------------------------------------------------------------------------------
# Hostile content: scraped text that tries to become markup. Every payload that could run
# would set window.__pwned or open a dialog, and every injected element would carry "pwn".

PAYLOADS = (
    '<script id="pwn">window.__pwned = 1; alert(1)</script>',
    '<img id="pwn" src="x" onerror="window.__pwned = 1">',
    '[click me](javascript:window.__pwned=1)',
    '<a class="pwn" href="javascript:window.__pwned=1">link</a>',
    "---\ntitle: injected\n---",
    "{{ config.site_name }} {% include 'x' %}",
    '!!! danger "Injected admonition"',
    "??? note \"Injected details\"",
    'Plain paragraph {: #pwn onclick="window.__pwned=1" }',
    '--8<-- "/etc/passwd"',
    "<!-- material/tags -->",
    "\x02wzxhzdk:0\x03 placeholder",
    "| a | b |\n|---|---|\n| c | d |",
    "    indented code? <b class=pwn>x</b>",
    "# Not a heading",
    "1984. Not a list",
    "*not emphasis* _nor this_ `nor code` ==nor mark== ~~nor strike~~",
    '<svg class="pwn" onload="window.__pwned=1"></svg>',
    "<style>body{display:none}</style>",
    "&lt;already escaped&gt; &amp; AT&T",
)

HOSTILE_TITLES = (
    '</title><script id="pwn">window.__pwned=1</script>',
    '<img id="pwn" src=x onerror="window.__pwned=1">',
    "../../../etc/passwd",
    "/etc/passwd",
    "index",
    "CON",
    "..",
    "",
    "Путин прибыл в Китай",
    "{{ 7*7 }}",
)


def hostile_digest() -> Digest:
    articles = []
    for i, title in enumerate(HOSTILE_TITLES):
        articles.append(
            _article(
                f"h{i:02d}",
                title or None,
                '<i class="pwn">Evil</i> & Co' if i % 2 else "Evil Outlet",
                "2026-03-04T10:00:00",
                PAYLOADS,
                url="javascript:window.__pwned=1" if i % 2 else 'https://evil.example/"><script>window.__pwned=1</script>',
                standfirst=PAYLOADS[1],
                author=PAYLOADS[0],
                dropped=(Dropped(PAYLOADS[0], '<b class="pwn">reason</b>'),),
                not_article=PAYLOADS[1] if i == 3 else None,
            )
        )
    ids = tuple(a.id for a in articles)
    evil_entity = Entity(
        "../../evil",
        '<b class="pwn" onmouseover="window.__pwned=1">Evil</b> {{ x }}',
        "person",
        ('<img id="pwn" src=x onerror="window.__pwned=1">', "Yury Varenko"),
        roles=(Role(PAYLOADS[1], '<i class="pwn">Evil</i> & Co', "h01"),),
        articles=ids,
    )
    refs = {aid: (EntityRef(evil_entity.id, 1, (PAYLOADS[1],), (PAYLOADS[0],)),) for aid in ids}
    fact = Fact(
        "../evil-fact",
        "claim",
        PAYLOADS[0],
        PAYLOADS[1],
        "conflict",
        tuple(FactSource(aid, PAYLOADS[2], PAYLOADS[i % len(PAYLOADS)]) for i, aid in enumerate(ids)),
        speaker=evil_entity.id,
        note=PAYLOADS[8],
        citation="javascript:window.__pwned=1",
        pinned=True,
    )
    quote = Fact("q", "quote", "Quote", PAYLOADS[0], "single", (FactSource(ids[0], PAYLOADS[0], PAYLOADS[0]),), speaker=evil_entity.id)
    story = Story(
        "../../evil-story",
        '<script id="pwn">window.__pwned=1</script> story',
        ids,
        facts=(fact, quote),
        summary=(SummarySentence(PAYLOADS[1], ids[:2]),),
        timeline=(TimelineEntry("2026-03-04", PAYLOADS[0], ids[:1]),),
        republished={ids[1]: ids[0]},
        updated="2026-03-04T10:00:00",
        exclusive={"Evil Outlet": ("../evil-fact",)},
    )
    return Digest(
        articles=tuple(articles),
        entities=EntityIndex((evil_entity,), refs),
        stories=(story,),
        title='<script id="pwn">window.__pwned=1</script> digest',
    )
