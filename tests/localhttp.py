"""A real HTTP server on 127.0.0.1 (threaded http.server on port 0) for the fetch tests.

Routes are exact paths; `fallback` answers the others (404 when it is None). Nothing leaves the
machine. Imported by tests/test_fetch*.py and tests/test_workflow_steps.py.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import urlsplit

import pytest


def page(title: str, extra_head: str = "", body: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{extra_head}</head>"
            f"<body><h1>{title}</h1><p>{body or title + ' story text.'}</p></body></html>").encode()


HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}
ATOM = {"Content-Type": "application/atom+xml"}


@dataclass
class Hit:
    at: float  # time.monotonic() when the request arrived
    path: str  # with the query
    headers: dict[str, str]


Reply = tuple[int, dict[str, str], bytes | list[bytes]]  # a list is sent slowly, chunk by chunk
Route = Reply | Callable[["Handler"], Reply]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        server: Server = self.server  # type: ignore[assignment]
        server.hits.append(Hit(time.monotonic(), self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = server.routes.get(urlsplit(self.path).path, server.fallback)
        status, headers, body = (404, {"Content-Type": "text/plain"}, b"not found") if route is None else (
            route(self) if callable(route) else route)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" in headers or headers.get("Connection") == "close":
            self.close_connection = headers.get("Connection") == "close"
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if isinstance(body, list):  # a trickle: one chunk at a time, with a pause between
            for chunk in body:
                self.wfile.write(chunk)
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.fallback: Route | None = None
        self.hits: list[Hit] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits if hit.path != "/robots.txt"]

    def handle_error(self, request, client_address) -> None:
        pass  # the client hung up on a slow endpoint: expected, not worth a traceback


@pytest.fixture
def serve():
    """A factory of running servers (each its own host:port, so its own politeness queue)."""
    servers: list[Server] = []

    def start() -> Server:
        server = Server()
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
