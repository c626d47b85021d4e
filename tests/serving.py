"""Running the real ``ecograph serve`` for a test: start it, wait until it answers, stop it."""

from __future__ import annotations

import http.server
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ECOGRAPH = str(Path(sys.executable).parent / "ecograph")


@contextmanager
def serving_http(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve *handler* on a free port of 127.0.0.1 in a thread; yield its base URL."""
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(args: list[str], env: Mapping[str, str], log: Path,
                   timeout: float = 90) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run ``ecograph serve ARGS --port P``; yield its URL and process once /-/health answers.

    Fails the test with the server's log if it exits or does not answer within *timeout*;
    stops it (SIGINT, then SIGKILL) when the caller is done.
    """
    port = free_port()
    out = log.open("wb")
    process = subprocess.Popen([ECOGRAPH, "serve", *args, "--port", str(port)], env=dict(env),
                               stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited: {log.read_text()}")
            try:
                if httpx.get(f"{url}/-/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not start: {log.read_text()}")
            time.sleep(0.2)
        yield url, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        out.close()
