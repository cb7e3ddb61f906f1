"""Quality scripts: each area module has `measure(shared) -> dict[str, float]` and `main()`.

`python -m digest.eval` runs every area and compares each figure with its committed floor in
`digest/eval/baselines/<area>.json`.
"""

from __future__ import annotations

import json
from pathlib import Path

AREAS = ("cleaning", "not_article", "entities", "facts", "stories", "fetch")
BASELINES = Path(__file__).parent / "baselines"


def default_shared() -> Path:
    return (Path(__file__).resolve().parents[2] / ".." / "shared").resolve()


def floors(area: str) -> dict[str, float]:
    path = BASELINES / f"{area}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


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
