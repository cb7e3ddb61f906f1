"""Holding back Ctrl-C during the short phases that swap new files in (docs/ pages, site/)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
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
    """A temporary folder beside our outputs, removed on every way out. It is made, and removed,
    with Ctrl-C held back: no interrupt lands between its creation and the guard that removes
    it, nor halfway through its removal (which left the folder behind)."""
    path: Path | None = None
    try:
        with deferred_sigint():
            path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        yield path
    finally:
        if path is not None:
            with deferred_sigint():
                shutil.rmtree(path, ignore_errors=True)


# Run by remove_in_background's detached process: empties the trash folder it is given.
_REMOVER = ("import os, shutil, sys\n"
            "for name in os.listdir(sys.argv[1]):\n"
            "    shutil.rmtree(os.path.join(sys.argv[1], name), ignore_errors=True)\n")


def remove_in_background(path: Path, trash: Path | None) -> None:
    """Remove the folder `path` without waiting for it: it is renamed into `trash` (a folder of
    the cache on the same file system) and a detached process empties `trash`, including what
    an earlier remover left there. Removing the previous site/ (thousands of folders) took
    seconds of every rebuild. Without `trash`, or across file systems, removed here and now."""
    try:
        if trash is None:
            raise OSError("no trash folder")
        trash.mkdir(parents=True, exist_ok=True)
        if trash.stat().st_dev != path.stat().st_dev:
            raise OSError("another file system")
        with deferred_sigint():
            holder = Path(tempfile.mkdtemp(prefix="old-", dir=trash))
            os.replace(path, holder / path.name)
        subprocess.Popen([sys.executable, "-c", _REMOVER, str(trash)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                         close_fds=True)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
