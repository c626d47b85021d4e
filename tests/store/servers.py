"""Tiny HTTP servers on 127.0.0.1 for the remote failure tests: scripted answers and a proxy.

A :class:`Scripted` server answers each request with what its ``reply`` function returns
and records every request; :func:`proxy` forwards to a real server except for the
requests a predicate picks, which get a scripted failure instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx


@dataclass
class Seen:
    """One request a scripted server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8"))

    @property
    def params(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)


@dataclass
class Reply:
    """What to answer: status, content type, body, optional delay before answering."""

    status: int = 200
    content_type: str = "text/plain"
    body: bytes = b""
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


JSON_TRUE = Reply(200, "application/sparql-results+json", b'{"head":{},"boolean":true}')


class Scripted(ThreadingHTTPServer):
    """A server answering with ``reply(request)`` and keeping the requests it saw."""

    daemon_threads = True

    def __init__(self, reply: Callable[[Seen], Reply]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reply = reply
        self.seen: list[Seen] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Scripted

    def _any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                    body)
        self.server.seen.append(seen)
        reply = self.server.reply(seen)
        if reply.delay:
            time.sleep(reply.delay)
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting: what a timeout test wants

    do_GET = do_POST = do_PUT = do_DELETE = _any

    def log_message(self, *args: object) -> None:
        """Keep test output quiet."""


@contextmanager
def serving(reply: Callable[[Seen], Reply]) -> Iterator[Scripted]:
    """Run a scripted server for the duration of the block."""
    server = Scripted(reply)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def proxy(upstream: str, fail: Callable[[Seen], Reply | None]) -> Callable[[Seen], Reply]:
    """A reply function forwarding to *upstream* unless *fail* returns a reply."""

    def reply(seen: Seen) -> Reply:
        failure = fail(seen)
        if failure is not None:
            return failure
        headers = {k: v for k, v in seen.headers.items()
                   if k in ("accept", "content-type")}
        answer = httpx.request(seen.method, upstream + seen.path, headers=headers,
                               content=seen.body, timeout=30)
        passed = {"Server": answer.headers["server"]} if "server" in answer.headers else {}
        return Reply(answer.status_code, answer.headers.get("content-type", "text/plain"),
                     answer.content, headers=passed)

    return reply
