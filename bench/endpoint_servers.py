"""The servers compared: ecograph, the Oxigraph server and rdflib-endpoint, on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_bytes(pid: int) -> int:
    """Resident memory of *pid* and all its descendants (query workers included)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


@dataclass
class Server:
    """A started server: its name, query URL, process and how it takes named queries."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    named_queries: bool = False
    log: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def memory(self) -> int:
        return rss_bytes(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _wait(server: Server, probe: str, timeout: float) -> Server:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log = server.log.read_text()[-2000:] if server.log else ""
            raise RuntimeError(f"{server.name} exited: {log}")
        try:
            if httpx.get(probe, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"{server.name} did not start within {timeout:.0f} s")


def _start(name: str, command: list[str], work: Path, env: dict[str, str] | None = None,
           ) -> tuple[subprocess.Popen[bytes], Path]:
    log = work / f"{name}.log"
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                               env={**os.environ, **(env or {})})
    return process, log


def start_ecograph(store: Path, work: Path, workers: int | None = None) -> Server:
    port = free_port()
    command = [str(BIN / "ecograph"), "serve", "--store", str(store), "--port", str(port),
               "--query-timeout", "600", "--max-rows", "1000000"]
    if workers:
        command += ["--workers", str(workers)]
    process, log = _start("ecograph", command, work)
    url = f"http://127.0.0.1:{port}"
    server = Server("ecograph", f"{url}/sparql", process, True, log, {"root": url})
    return _wait(server, f"{url}/sparql", 600)


def start_oxigraph(nquads: Path, work: Path) -> Server:
    location = work / "oxigraph-store"
    if not location.is_dir():
        subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(location), "--file",
                        str(nquads)], check=True, capture_output=True)
    port = free_port()
    process, log = _start("oxigraph", [str(BIN / "oxigraph"), "serve", "--location",
                                       str(location), "--bind", f"127.0.0.1:{port}",
                                       "--union-default-graph"], work)
    url = f"http://127.0.0.1:{port}/query"
    return _wait(Server("oxigraph", url, process, log=log), url, 300)


def start_rdflib_endpoint(ntriples: Path, work: Path) -> Server:
    port = free_port()
    executable = shutil.which("rdflib-endpoint", path=str(BIN)) or str(BIN / "rdflib-endpoint")
    process, log = _start("rdflib-endpoint", [executable, "serve", "--host", "127.0.0.1",
                                              "--port", str(port), str(ntriples)], work)
    url = f"http://127.0.0.1:{port}/"
    return _wait(Server("rdflib-endpoint", url, process, log=log), url, 1800)
