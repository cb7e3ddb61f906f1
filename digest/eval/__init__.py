"""Quality scripts: each area module has `measure(shared) -> dict[str, float]` and `main()`.

`python -m digest.eval` runs every area and compares each figure with its committed floor in
`digest/eval/baselines/<area>.json`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

AREAS = ("cleaning", "not_article", "entities", "facts", "dev_facts", "audit", "stories", "fetch")
BASELINES = Path(__file__).parent / "baselines"


def default_shared() -> Path:
    return (Path(__file__).resolve().parents[2] / ".." / "shared").resolve()


def floors(area: str) -> dict[str, float]:
    """The recorded floors of an area's figures (keys starting with "_" are notes, not floors)."""
    path = BASELINES / f"{area}.json"
    recorded = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {k: v for k, v in recorded.items() if not k.startswith("_")}


def recorded_corpus(area: str) -> dict[str, str]:
    """The hash of each corpus file an area's floors were measured on ({} when none is recorded)."""
    path = BASELINES / f"{area}.json"
    return json.loads(path.read_text(encoding="utf-8")).get("_corpus", {}) if path.exists() else {}


def corpus_hash(*paths: Path) -> str:
    """One hash over files and folders (every file below, by relative path and content)."""
    digest = hashlib.sha256()
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            digest.update(path.relative_to(root.parent).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def below_floor(area: str, figures: dict[str, float]) -> list[str]:
    """Figures under their recorded floor, as messages (empty when all hold)."""
    out = []
    for name, floor in floors(area).items():
        value = figures.get(name)
        if value is None:
            out.append(f"{area}.{name}: not measured (floor {floor})")
        elif value < floor:
            out.append(f"{area}.{name}: {value:.4f} is below its floor {floor}")
    return out
