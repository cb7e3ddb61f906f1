"""Holding back Ctrl-C during the short phases that swap new files in (docs/ pages, site/)."""

from __future__ import annotations

import contextlib
import shutil
import signal
import tempfile
import threading
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def deferred_sigint() -> Iterator[None]:
    """Delay KeyboardInterrupt until the block ends (only possible in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[tuple] = []
    previous = signal.signal(signal.SIGINT, lambda *args: received.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received and callable(previous):
            previous(*received[0])
        elif received:
            raise KeyboardInterrupt


@contextlib.contextmanager
def temporary_folder(prefix: str, parent: Path | None) -> Iterator[Path]:
    """A temporary folder beside our outputs, removed on every way out. It is made with Ctrl-C
    held back, so no interrupt lands between its creation and the guard that removes it."""
    path: Path | None = None
    try:
        with deferred_sigint():
            path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        yield path
    finally:
        if path is not None:
            shutil.rmtree(path, ignore_errors=True)
