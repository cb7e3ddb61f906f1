"""`digest serve`: MkDocs' live-reloading server over docs/, plus a watcher that rebuilds the
generated pages whenever an article, the overrides, digest.yml or a digest template changes.

The server is a child process (`mkdocs serve`). It never outlives us: SIGTERM and SIGHUP are
forwarded to it, and it is reaped on every way out, so a stopped `digest serve` leaves its port
free. A port already in use is a usage error (one line, exit 2), found before anything starts.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from digest import pipeline
from digest.config import ConfigError, Settings
from digest.model import Problem

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class _Stop(Exception):
    """A stop signal arrived: leave the watch loop and reap the server."""


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


def parse_address(dev_addr: str) -> tuple[str, int]:
    host, sep, port = dev_addr.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError([Problem("--dev-addr", f"expected HOST:PORT (such as 127.0.0.1:8000) but received: '{dev_addr}'")])
    return host.strip("[]"), int(port)


def check_port_free(dev_addr: str) -> None:
    """Raise ConfigError when nothing can listen on dev_addr (another server holds the port)."""
    host, port = parse_address(dev_addr)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConfigError([Problem("--dev-addr", f"{host}: cannot resolve this host ({exc.strerror})")]) from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As the server will bind: a port left in TIME_WAIT by a finished server is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError([Problem("--dev-addr", f"{dev_addr} is already in use (is another `digest serve` "
                                           "running?); stop it or choose another address with --dev-addr")]) from exc
            raise ConfigError([Problem("--dev-addr", f"cannot listen on {dev_addr}: {exc.strerror}")]) from exc


_SERVING_PID: int | None = None


def _raise_stop(signum, frame) -> None:
    if os.getpid() != _SERVING_PID:
        # A forked worker of a rebuild (a process pool ends its workers with SIGTERM) inherited
        # this handler: it ends as it would have without us, quietly.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise _Stop(signum)


def serve(settings: Settings, dev_addr: str, interval: float, echo: Callable[[str], None]) -> None:
    check_port_free(dev_addr)
    rebuild(settings, echo)
    global _SERVING_PID
    _SERVING_PID = os.getpid()
    previous = {sig: signal.signal(sig, _raise_stop) for sig in STOP_SIGNALS}
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    server: subprocess.Popen | None = None
    try:
        # --dirty: after the first build, MkDocs rebuilds only the pages whose files changed, and
        # a rebuild rewrites only the docs files whose bytes changed (their mtimes tell MkDocs).
        # Exact, since digest writes every page that aggregates others (tags, indexes) itself.
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", dev_addr,
                                   "--config-file", str(settings.mkdocs_config)], env=env)
        watched = watched_paths(settings)
        before = _snapshot(watched)
        while server.poll() is None:
            time.sleep(interval)
            now = _snapshot(watched)
            if now != before:
                before = now
                rebuild(settings, echo)
        if server.returncode != 0:
            raise RuntimeError(f"mkdocs serve stopped with exit status {server.returncode}")
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        _stop_server(server)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop_server(server: subprocess.Popen | None) -> None:
    """Terminate the server and wait for it; kill it if it does not stop in time."""
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
