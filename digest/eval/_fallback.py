"""The product's stages as the quality scripts run them (`run_stages`), and the event labels of
news-cluster records. (seed_articles and cluster_articles are stand-ins still named by
entities.py; no figure may come from them.)"""

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


def run_stages(folder: Path, root: Path, nlp=None):
    """read -> clean -> nlp.analyse -> entities.build_index with the product's own stages.

    Returns (analysed, index, notes). A stage that fails raises: the figures are the product's
    or there are none (no fallback to the gold or to a simpler stand-in). `notes` stays for the
    callers' messages and is always empty.
    """
    from digest import cleaning, readers
    from digest.aggregate.entities import build_index
    from digest.analysis import nlp as nlp_mod

    raws, _ = readers.read_folder(folder, root)
    templates = cleaning.learn_templates(raws)
    articles = [cleaning.clean_article(raw, templates) for raw in raws]
    nlp = nlp or nlp_mod.load_model("en_core_web_sm")
    analysed = nlp_mod.analyse(articles, nlp)
    return analysed, build_index(analysed), []
