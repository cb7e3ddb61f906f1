"""Precision audit of the key facts on texts the rules were not shaped on.

Builds stories (the product's own build, no overrides) over
(a) the news-cluster-dev events the gold does not describe (stories holding no gold-event article),
(b) BBC_ARTICLES articles of ../shared/corpus/bbc-news drawn at random (seed printed),
then draws ROWS rows at random (seed printed) from every key fact of those builds and writes them
for a reviewer who did not write the rules: per row a fingerprint, label, value, status and each
source's outlet, value, exact words and full source sentence(s). Every conflict row of the builds
is listed as well: each must be judged real.

The reviewer's labels live in digest/eval/labels/fact_audit.yml:
    <fingerprint>: {label: correct|wrong|junk, reason: "..."}
A row the labels do not know counts as wrong (changing the rules changes the drawn rows: they
need labelling again). Commands:

    python -m digest.eval.audit write [SEED]   # writes digest/eval/labels/fact_audit_rows.yml
    python -m digest.eval.audit [score]        # precision of the drawn rows, conflicts judged real
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from digest.model import AnalysedArticle, Digest, Fact, Story

from . import default_shared
from .dev_facts import CORPUS as DEV_CORPUS, GOLD, _sentences, build_folder

SEED = 17
BBC_ARTICLES = 400
ROWS = 200
LABELS = Path(__file__).parent / "labels"
ROWS_FILE = LABELS / "fact_audit_rows.yml"
LABELS_FILE = LABELS / "fact_audit.yml"
CORRECT = "correct"


@dataclass(frozen=True)
class Built:
    corpus: str  # "dev" | "bbc"
    story: Story
    analysed: dict[str, AnalysedArticle]  # article id -> analysis
    digest: Digest


def bbc_sample(shared: Path, seed: int) -> Path:
    """BBC_ARTICLES BBC texts drawn with `seed`, copied to a folder named by the seed (names
    prefixed with their category: every category numbers its files from 001)."""
    files = sorted((shared / "corpus" / "bbc-news").glob("*/*.txt"))
    drawn = random.Random(seed).sample(files, min(BBC_ARTICLES, len(files)))
    folder = Path(tempfile.gettempdir()) / "digest-eval-audit" / f"bbc-{seed}-{BBC_ARTICLES}"
    if not folder.exists() or len(list(folder.glob("*.txt"))) != len(drawn):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for path in drawn:
            shutil.copyfile(path, folder / f"{path.parent.name}-{path.name}")
    return folder


def build_all(shared: Path, seed: int) -> list[Built]:
    gold = yaml.safe_load(shared.joinpath(*GOLD).read_text(encoding="utf-8"))
    gold_articles = {str(a) for e in gold["events"].values() for a in e["articles"]}
    out: list[Built] = []
    digest, analysed = build_folder(shared.joinpath(*DEV_CORPUS), "audit-dev")
    for story in digest.stories:
        if not gold_articles & {a[:4] for a in story.articles}:
            out.append(Built("dev", story, analysed, digest))
    digest, analysed = build_folder(bbc_sample(shared, seed), "audit-bbc")
    out += [Built("bbc", story, analysed, digest) for story in digest.stories]
    return out


def fingerprint(story: Story, fact: Fact) -> str:
    """What a reviewer judged: the row's identity and everything it shows (label, value, status,
    each source's words and value). Any change of what a reader sees needs a new verdict."""
    sources = sorted(f"{s.article}\t{s.text}\t{s.value}" for s in fact.sources)
    shown = [story.id, fact.key or fact.id, fact.label, fact.value, fact.status, fact.latest or "", *sources]
    return hashlib.sha256("\n".join(shown).encode()).hexdigest()[:16]


def _source_sentences(analysed: AnalysedArticle | None, paragraph: int, words: str) -> list[str]:
    sentences = _sentences(analysed, paragraph)
    holding = [s for s in sentences if words and words in s]
    return holding or sentences


def row_record(built: Built, fact: Fact) -> dict:
    articles = {a.id: a for a in built.digest.articles}
    sources = []
    for s in fact.sources:
        art = articles.get(s.article)
        sources.append({
            "article": s.article, "outlet": (art.outlet if art else None) or s.article,
            "published": s.published, "title": art.title if art else None,
            "value": s.value, "words": s.text,
            "republished_from": s.republished_from,
            "sentences": _source_sentences(built.analysed.get(s.article), s.paragraph, s.text),
        })
    return {"fingerprint": fingerprint(built.story, fact), "corpus": built.corpus, "story": built.story.id,
            "story_title": built.story.title, "fact": fact.id, "kind": fact.kind, "label": fact.label,
            "value": fact.value, "status": fact.status, "latest": fact.latest, "sources": sources}


def draw(built: list[Built], seed: int) -> tuple[list[dict], list[dict]]:
    """(ROWS rows drawn with `seed`, every conflict row). A row is drawn by the rank of a keyed
    hash of its fingerprint, not by position in the pool: a rule that adds or removes some rows
    leaves the draw of the others as it was, so their labels keep counting."""
    pool = [(b, f) for b in built for f in b.story.facts]
    rank = {id(f): hashlib.sha256(f"{seed}:{fingerprint(b.story, f)}".encode()).hexdigest() for b, f in pool}
    rows = sorted(pool, key=lambda bf: rank[id(bf[1])])[:ROWS]
    conflicts = [(b, f) for b, f in pool if f.status == "conflict"]
    return [row_record(b, f) for b, f in rows], [row_record(b, f) for b, f in conflicts]


def write(shared: Path, seed: int) -> Path:
    built = build_all(shared, seed)
    rows, conflicts = draw(built, seed)
    LABELS.mkdir(parents=True, exist_ok=True)
    header = (f"# Key-facts precision audit: {len(rows)} rows drawn with seed {seed} from "
              f"{sum(len(b.story.facts) for b in built)} rows of {len(built)} stories\n"
              f"# (news-cluster-dev events without gold + {BBC_ARTICLES} BBC articles drawn with seed {seed}).\n"
              "# Judge each row against its source sentences; write labels in fact_audit.yml:\n"
              "#   <fingerprint>: {label: correct|wrong|junk, reason: \"...\"}\n"
              "# correct: an editor would sign the row (label, value, status and every cited source);\n"
              "# wrong: a value, source, status or speaker is wrong; junk: not a key fact a reader needs.\n"
              "# conflicts: every conflict row of the builds; correct only if the outlets really disagree\n"
              "# about the same quantity of the same event.\n")
    ROWS_FILE.write_text(header + yaml.safe_dump({"seed": seed, "rows": rows, "conflicts": conflicts},
                                                 sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")
    print(f"seed {seed}: {len(rows)} rows and {len(conflicts)} conflict rows written to {ROWS_FILE}")
    return ROWS_FILE


def _labels() -> dict[str, dict]:
    if not LABELS_FILE.exists():
        return {}
    return yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8")) or {}


def score(rows: list[dict], conflicts: list[dict], labels: dict[str, dict]) -> dict[str, float]:
    def ok(r: dict) -> bool:
        entry = labels.get(r["fingerprint"]) or {}
        return (entry.get("label") if isinstance(entry, dict) else entry) == CORRECT

    return {
        "audit_rows": len(rows),
        "audit_rows_labelled": sum(1 for r in rows if r["fingerprint"] in labels),
        "audit_precision": sum(ok(r) for r in rows) / len(rows) if rows else 0.0,
        "audit_conflict_rows": len(conflicts),
        "audit_conflicts_real": sum(ok(r) for r in conflicts) / len(conflicts) if conflicts else 1.0,
    }


def measure(shared: Path, seed: int = SEED) -> dict[str, float]:
    rows, conflicts = draw(build_all(shared, seed), seed)
    return score(rows, conflicts, _labels())


def main() -> None:
    args = [a for a in sys.argv[1:]]
    command = args.pop(0) if args and args[0] in ("write", "score") else "score"
    seed = int(args[0]) if args and args[0].isdigit() else SEED
    shared = default_shared()
    print(f"audit seed {seed} (BBC draw and row draw)")
    if command == "write":
        write(shared, seed)
        return
    rows, conflicts = draw(build_all(shared, seed), seed)
    labels = _labels()
    figures = score(rows, conflicts, labels)
    for r in rows + conflicts:
        entry = labels.get(r["fingerprint"])
        if entry is None or (entry.get("label") if isinstance(entry, dict) else entry) != CORRECT:
            why = "unlabelled" if entry is None else f"{entry.get('label')}: {entry.get('reason', '')}"
            print(f"  {r['fingerprint']} {r['status']:8} {r['label'][:40]!r} = {str(r['value'])[:50]!r}  ({why})")
    for name, value in figures.items():
        print(f"{name:<28} {value:.4f}" if isinstance(value, float) else f"{name:<28} {value}")


if __name__ == "__main__":
    main()
