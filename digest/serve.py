"""`digest serve`: MkDocs' live-reloading server over docs/, plus a watcher that rebuilds the
generated pages whenever an article, the overrides, digest.yml or a digest template changes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from . import pipeline
from .config import ConfigError, Settings


def _snapshot(paths: list[Path]) -> dict[str, float]:
    seen: dict[str, float] = {}
    for root in paths:
        if root.is_file():
            seen[str(root)] = root.stat().st_mtime
        elif root.is_dir():
            for path in root.rglob("*"):
                if path.is_file():
                    seen[str(path)] = path.stat().st_mtime
    return seen


def watched_paths(settings: Settings) -> list[Path]:
    templates = Path(__file__).parent / "render"
    return [settings.articles, settings.overrides, settings.project / "digest.yml", templates]


def rebuild(settings: Settings, echo: Callable[[str], None]) -> bool:
    try:
        result = pipeline.run(settings, site=False)
    except ConfigError as exc:
        for problem in exc.problems:
            echo(str(problem))
        echo("not rebuilt: fix the errors above (the previous pages stay)")
        return False
    for problem in result.problems:
        if problem.severity != "note":
            echo(str(problem))
    s = result.stats
    echo(f"rebuilt docs: {s.inputs} articles, {s.stories} stories, {s.facts} facts ({s.seconds:.1f}s)")
    return True


def serve(settings: Settings, dev_addr: str, interval: float, echo: Callable[[str], None]) -> None:
    rebuild(settings, echo)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", dev_addr,
                               "--config-file", str(settings.mkdocs_config)], env=env)
    watched = watched_paths(settings)
    before = _snapshot(watched)
    try:
        while server.poll() is None:
            time.sleep(interval)
            now = _snapshot(watched)
            if now != before:
                before = now
                rebuild(settings, echo)
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait(timeout=10)
