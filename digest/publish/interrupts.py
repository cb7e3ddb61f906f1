"""Holding back Ctrl-C during the short phases that swap new files in (docs/ pages, site/)."""

from __future__ import annotations

import contextlib
import signal
import threading
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
