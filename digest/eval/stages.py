"""The product's stages as the quality scripts run them (`run_stages`), and the event labels of
news-cluster records. There is no fallback: a stage that fails fails the quality gate."""

from __future__ import annotations

import ast
from pathlib import Path


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
