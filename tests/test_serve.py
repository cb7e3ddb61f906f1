"""`digest serve` with a real `mkdocs serve` on 127.0.0.1: it serves, rebuilds, stops with its
server on SIGTERM, and answers a busy port with one line and exit status 2."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
DIGEST = str(Path(sys.executable).parent / "digest")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def servers_on(port: int) -> list[int]:
    """Pids of live processes whose command line names this port (the mkdocs child)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = next((line for line in (entry / "status").read_text().splitlines() if line.startswith("State:")), "")
        except OSError:
            continue
        if f"127.0.0.1:{port}" in cmdline and "mkdocs" in cmdline and "zombie" not in state:
            pids.append(int(entry.name))
    return pids


class Output:
    """Collects a process's stderr lines as they come."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, count: int = 1, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(text in line for line in self.lines) >= count:
                return
            time.sleep(0.1)
        raise AssertionError(f"no {text!r} x{count} in:\n" + "\n".join(self.lines))


def wait_http(url: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode("utf-8", "replace")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture
def project(tmp_path) -> Path:
    subprocess.run([DIGEST, "init", str(tmp_path / "p")], check=True, capture_output=True, env=ENV)
    return tmp_path / "p"


def test_serve_rebuilds_then_sigterm_stops_it_and_its_server(project):
    port = free_port()
    proc = subprocess.Popen([DIGEST, "serve", "--project", str(project), "--dev-addr", f"127.0.0.1:{port}",
                             "--interval", "0.2"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True, env=ENV, start_new_session=True)
    try:
        out = Output(proc.stderr)
        out.wait_for("rebuilt docs")
        assert "digest" in wait_http(f"http://127.0.0.1:{port}/").lower()
        assert servers_on(port), "mkdocs serve is the child that holds the port"
        article = next((project / "articles").iterdir())
        article.write_text(article.read_text(encoding="utf-8") + "\n\nA new closing paragraph.\n", encoding="utf-8")
        out.wait_for("rebuilt docs", count=2)

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        deadline = time.monotonic() + 5
        while servers_on(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert servers_on(port) == [], "the mkdocs child outlived digest serve"
        assert port_is_free(port)
        assert not any("Traceback" in line for line in out.lines), out.lines
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_serve_on_a_busy_port_says_so_in_one_line_and_exits_2(project):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        proc = subprocess.run([DIGEST, "serve", "--project", str(project), "--dev-addr", f"127.0.0.1:{port}"],
                              capture_output=True, text=True, env=ENV, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [
        f"--dev-addr: error: 127.0.0.1:{port} is already in use (is another `digest serve` running?); "
        "stop it or choose another address with --dev-addr"]
    assert not (project / "docs" / "index.md").exists(), "nothing is built before the port is known to be free"


def test_serve_refuses_an_address_without_a_port(project):
    proc = subprocess.run([DIGEST, "serve", "--project", str(project), "--dev-addr", "localhost"],
                          capture_output=True, text=True, env=ENV, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("--dev-addr: error: expected HOST:PORT (such as 127.0.0.1:8000) "
                                   "but received: 'localhost'")
