"""Small local readers for the quality scripts, used only while the real readers/cleaning stages
are missing (the final figures must come from the real pipeline: see `articles_for`)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import yaml

from ..model import Article


def seed_articles(shared: Path) -> list[Article]:
    """The five seeds cut with the gold's title, date and body bounds (fallback only)."""
    gold = yaml.safe_load((shared / "corpus" / "seeds.gold.yml").read_text())["articles"]
    out = []
    for path in sorted((shared / "corpus" / "seeds").glob("*.txt")):
        g = gold[path.stem]
        lines = [ln.strip() for ln in path.read_text(errors="replace").splitlines() if ln.strip()]
        start = next(i for i, ln in enumerate(lines) if ln.startswith(g["body_starts"]))
        end = next(i for i, ln in enumerate(lines) if ln.endswith(g["body_ends"]))
        body = [ln for ln in lines[start:end + 1]
                if not any(d.lower() in ln.lower() for d in g.get("must_drop") or [])]
        out.append(Article(id=path.stem, source_path=str(path), format="txt", title=g["title"],
                           title_derived=False, published=g["published"], outlet=None, url=None,
                           author=None, standfirst=g.get("standfirst"), paragraphs=tuple(body)))
    return out


def cluster_articles(folder: Path) -> tuple[list[Article], dict[str, str]]:
    """news-please JSON records -> Articles, and article id -> true event label."""
    articles, truth = [], {}
    for path in sorted(folder.glob("*.json")):
        rec = json.loads(path.read_text())
        paragraphs = tuple(p.strip() for p in (rec.get("text") or "").split("\n") if p.strip())
        published = rec.get("date_publish")
        articles.append(Article(id=path.stem, source_path=str(path), format="json", title=rec.get("title"),
                                title_derived=False,
                                published=published if published and published != "None" else None,
                                outlet=rec.get("source_domain"), url=rec.get("url"), author=None,
                                standfirst=None, paragraphs=paragraphs))
        truth[path.stem] = event_of(rec)
    return articles, truth


def event_of(rec: dict) -> str:
    cluster = rec["newsCluster"]
    if isinstance(cluster, str):  # stored as a Python repr in some records
        cluster = ast.literal_eval(cluster)
    return cluster["Event"]


def fallback_index(analysed):
    """A naive EntityIndex (surname -> full name, label by spaCy type) until entities.py exists."""
    from collections import defaultdict

    from digest.aggregate.facts.rows import slug
    from ..model import Entity, EntityIndex, EntityRef

    kinds = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organization"}
    surfaces: dict[str, str] = {}
    for a in analysed:
        for m in a.mentions:
            if m.label in kinds:
                surfaces.setdefault(m.text, kinds[m.label])
    full = sorted((s for s, k in surfaces.items() if k == "person" and " " in s), key=len, reverse=True)
    canon = {}
    for s, kind in surfaces.items():
        words = s.split()
        canon[s] = next((f for f in full if len(words) == 1 and words[0] in (f.split()[0], f.split()[-1])), s)
    aliases = defaultdict(set)
    for s, c in canon.items():
        aliases[c].add(s)
    entities = tuple(Entity(id=slug(c), name=c, label=surfaces.get(c, "other"),
                            aliases=tuple(sorted(aliases[c] - {c}))) for c in sorted(aliases))
    by_article = {}
    for a in analysed:
        counts = defaultdict(list)
        for m in a.mentions:
            if m.text in canon:
                counts[slug(canon[m.text])].append(m.text)
        by_article[a.article.id] = tuple(EntityRef(entity=e, mentions=len(v), surface=tuple(sorted(set(v))))
                                         for e, v in sorted(counts.items(), key=lambda kv: -len(kv[1])))
    return EntityIndex(entities=entities, by_article=by_article)


def run_stages(folder: Path, root: Path, fallback_articles=None, nlp=None):
    """read -> clean -> nlp.analyse -> entities.build_index with the product's own stages.

    Returns (analysed, index, notes); `notes` names every stage that had to fall back (the
    figures are only the product's when it is empty). `fallback_articles()` gives Articles when
    the readers or cleaning are missing.
    """
    from digest.analysis import nlp as nlp_mod

    notes: list[str] = []
    try:
        from digest import readers
        from digest import cleaning as clean

        raws, _ = readers.read_folder(folder, root)
        templates = clean.learn_templates(raws)
        articles = [clean.clean_article(raw, templates) for raw in raws]
    except (ImportError, AttributeError, NotImplementedError) as err:  # stage not written yet
        if fallback_articles is None:
            raise
        notes.append(f"readers/clean fallback ({err})")
        articles = fallback_articles()
    nlp = nlp or nlp_mod.load_model("en_core_web_sm")
    analysed = nlp_mod.analyse(articles, nlp)
    try:
        from digest.aggregate.entities import build_index

        index = build_index(analysed)
    except (ImportError, AttributeError, NotImplementedError) as err:
        notes.append(f"entities fallback ({err})")
        index = fallback_index(analysed)
    return analysed, index, notes
