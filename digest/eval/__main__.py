"""Run every quality script and check the floors: `python -m digest.eval [area ...]`."""

from __future__ import annotations

import importlib
import sys

from . import AREAS, below_floor, default_shared


def main(argv: list[str]) -> int:
    areas = argv or list(AREAS)
    failures: list[str] = []
    program = sys.argv[0]
    for area in areas:
        module = importlib.import_module(f"digest.eval.{area}")
        print(f"\n=== {area} ===")
        sys.argv = [program]  # the area scripts read an optional corpus path from argv
        module.main()
        figures = module.measure(default_shared())
        for name, value in figures.items():
            print(f"  {name:<40} {value:.4f}")
        failures += below_floor(area, figures)
    print()
    for failure in failures:
        print("BELOW FLOOR:", failure)
    print("all figures at or above their floors" if not failures else f"{len(failures)} below floor")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
