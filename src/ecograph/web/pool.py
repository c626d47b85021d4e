"""Query workers in their own processes, so a query past its time limit can be stopped.

Oxigraph cannot interrupt a running query, and a thread cannot be killed. So each query
runs in a worker process holding the dataset in memory (see :mod:`ecograph.web.worker`);
at the deadline the parent kills that worker, answers ``503`` and starts a fresh one,
while the other workers go on answering. Holding the working set in memory is also the
fast path: the store on disk stays the durable copy every write goes to first.

Writes are applied to the store on disk (committed and flushed), then logged; a worker
replays the log entries it has not seen before it runs its next query, so every query
that starts after a write returns sees it. Each replayed entry is one update applied
atomically in the worker's store, so no query sees half a write.

Two lanes (:mod:`ecograph.web.lanes`): the *general* workers run any query; a small *fast
lane* (``fast_size`` workers) runs only queries :func:`ecograph.web.query_cost.is_cheap`
calls cheap, so they keep their normal latency while runaway queries occupy the general
workers. A cheap query takes the fast lane if it is free, else any general worker free
first. In the fast lane it may run at most ``lane_limit`` seconds: past that, its worker
is killed and replaced, the query runs again on a general worker with what is left of
its time limit, and its shape is kept out of the fast lane from then on. A wrong guess
costs at most the lane limit, never a wrong answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from ecograph import errors
from ecograph.store.embedded import OxigraphStore
from ecograph.web import worker as worker_module
from ecograph.web.lanes import FAST, GENERAL, Lanes
from ecograph.web.query_cost import is_cheap, shape
from ecograph.web.worker import Job

log = logging.getLogger("ecograph.web")

_ERRORS: dict[str, type[errors.EcographError]] = {
    cls.__name__: cls for cls in (errors.QuerySyntaxError, errors.UnknownGraphError,
                                  errors.InputError, errors.StoreError)
}


#: How many query shapes that overran the fast lane are remembered (and kept out of it).
DEMOTED_SHAPES = 4096


class NotAcceptableError(errors.EcographError):
    """The query's answer cannot be given in any type the client accepts."""


class _LaneOverrun(Exception):
    """A query ran past the fast lane's limit, with time left for the general workers."""


def _timeout_error(text: str, timeout: float) -> errors.QueryTimeoutError:
    error = errors.QueryTimeoutError(
        f"the query {text} the time limit of {timeout:g} s (setting query_timeout; the "
        "request parameter 'timeout' may lower it)")
    error.seconds = timeout  # type: ignore[attr-defined]
    return error


class _Worker:
    """One worker process and the pipe to it (blocking calls; run them in a thread)."""

    def __init__(self, context: Any, snapshot: Path | None, version: int,
                 lane: str = GENERAL) -> None:
        self.lane = lane
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=worker_module.serve, args=(child, str(snapshot or "")), daemon=True,
            name="ecograph-query-worker")
        self.process.start()
        child.close()
        self.version = version

    def wait_ready(self) -> None:
        reply = self.conn.recv()
        if reply != ("ready",):
            raise errors.StoreError(f"a query worker failed to start: {reply!r}")

    def call(self, message: tuple[Any, ...]) -> Any:
        self.conn.send(message)
        return self.conn.recv()

    async def ask(self, message: tuple[Any, ...]) -> Any:
        """Send *message* and wait for the answer without holding a thread or the loop."""
        loop = asyncio.get_running_loop()
        self.conn.send(message)
        ready = loop.create_future()
        fd = self.conn.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        try:
            await ready
        finally:
            loop.remove_reader(fd)
            # uvloop makes a watched descriptor non-blocking; the answer is read whole
            # (the worker is writing it out of memory, so this waits for a copy, not work)
            os.set_blocking(fd, True)
        return self.conn.recv()

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(timeout=5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(("stop",))
            self.process.join(timeout=2)
        self.kill()


class QueryPool:
    """*size* general workers and *fast_size* fast-lane workers answering queries over a
    copy of *store* held in memory; *classify* tells which queries may use the fast lane."""

    def __init__(self, store: OxigraphStore, size: int, fast_size: int = 0,
                 lane_limit: float = 1.0,
                 classify: Callable[[str], bool] = is_cheap) -> None:
        self.store = store
        self.size = max(1, size)
        self.fast_size = max(0, fast_size)
        self.lane_limit = lane_limit
        self.classify = classify
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["ecograph.web.worker"])
        total = self.size + self.fast_size
        self._threads = ThreadPoolExecutor(max_workers=2 * total + 4,
                                           thread_name_prefix="ecograph-pool")
        self._lanes: Lanes[_Worker] = Lanes()
        self._workers: set[_Worker] = set()
        self._spawning: list[int] = []  # snapshot versions of workers still starting
        self._log: list[tuple[int, str]] = []
        self._write_lock = asyncio.Lock()
        self._tmp = tempfile.TemporaryDirectory(prefix="ecograph-snapshot-")
        self._snapshot: tuple[int, Path] | None = None
        self._closing = False
        self._demoted: OrderedDict[str, None] = OrderedDict()
        self.restarts = 0
        #: queries answered in the fast lane, and those that overran it
        self.fast_answers = 0
        self.lane_overruns = 0

    @property
    def version(self) -> int:
        """The store's version: it changes with every write through this pool."""
        return self.store.version

    @property
    def pids(self) -> dict[str, list[int]]:
        """The process ids of the running workers, by lane (to measure their memory)."""
        found: dict[str, list[int]] = {GENERAL: [], FAST: []}
        for worker in self._workers:
            if worker.process.pid is not None:
                found[worker.lane].append(worker.process.pid)
        return found

    async def _run(self, func: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._threads, func, *args)

    def _take_snapshot(self) -> Path:
        version = self.store.version
        if self._snapshot is None or self._snapshot[0] != version:
            path = Path(self._tmp.name) / f"snapshot-{version}-{time.monotonic_ns()}.nq"
            self.store.dump_dataset(path)
            if self._snapshot is not None:
                self._snapshot[1].unlink(missing_ok=True)
            self._snapshot = (version, path)
        return self._snapshot[1]

    async def _spawn(self, lane: str) -> _Worker:
        async with self._write_lock:
            snapshot = await self._run(self._take_snapshot)
            version = self.store.version
            # the log must keep every write after this snapshot until the worker has it
            self._spawning.append(version)
        try:
            worker = await self._run(_Worker, self._context, snapshot, version, lane)
            try:
                await self._run(worker.wait_ready)
            except BaseException:
                await self._run(worker.kill)
                raise
            self._workers.add(worker)
        finally:
            self._spawning.remove(version)
        return worker

    async def start(self) -> None:
        """Start every worker (each loads the snapshot) and wait until they are ready."""
        lanes = [GENERAL] * self.size + [FAST] * self.fast_size
        for worker in await asyncio.gather(*(self._spawn(lane) for lane in lanes)):
            self._lanes.release(worker, worker.lane)

    def _replace(self, worker: _Worker) -> None:
        """Kill *worker* and start another of its lane in the background."""
        self._workers.discard(worker)
        self.restarts += 1

        async def renew() -> None:
            await self._run(worker.kill)
            if not self._closing:
                fresh = await self._spawn(worker.lane)
                self._lanes.release(fresh, fresh.lane)

        task = asyncio.get_running_loop().create_task(renew())
        task.add_done_callback(lambda t: t.exception() and log.error(
            "could not restart a query worker: %s", t.exception()))

    async def _catch_up(self, worker: _Worker) -> None:
        for version, update in list(self._log):
            if version > worker.version:
                reply = await self._run(worker.call, ("update", update))
                if reply[0] != "ok":
                    raise errors.StoreError(f"a query worker could not apply a write: {reply}")
                worker.version = version

    async def _call(self, message: tuple[Any, ...], timeout: float, deadline: float,
                    lanes: tuple[str, ...] = (GENERAL,)) -> Any:
        """Run *message* on a worker of *lanes*, by *deadline* (the loop's clock).

        The time limit counts from arrival: waiting for a busy pool counts too, so queued
        runaway queries cannot hold a request for limit × (queued / workers) seconds.
        """
        loop = asyncio.get_running_loop()
        try:
            worker, lane = await self._lanes.acquire(lanes, deadline - loop.time())
        except TimeoutError:
            raise _timeout_error("waited for a free query worker past", timeout) from None
        try:
            await self._catch_up(worker)
            stop = deadline
            if lane == FAST:  # the lane limit counts the query, not replaying writes
                stop = min(deadline, loop.time() + self.lane_limit)
            left = max(stop - loop.time(), 0.001)
            reply = await asyncio.wait_for(worker.ask(message), left)
        except TimeoutError:
            self._replace(worker)
            if lane == FAST and deadline - loop.time() > 0.001:
                raise _LaneOverrun from None
            raise _timeout_error("ran past", timeout) from None
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise errors.StoreError(f"a query worker stopped unexpectedly: {exc}") from exc
        except BaseException:
            self._replace(worker)
            raise
        self._lanes.release(worker, lane)
        if lane == FAST:
            self.fast_answers += 1
        if reply[0] == "ok":
            return reply[1]
        _, kind, message_text = reply
        if kind == "NotAcceptable":
            raise NotAcceptableError(message_text)
        raise _ERRORS.get(kind, errors.StoreError)(message_text)

    def _fast_lane_for(self, text: str) -> bool:
        return bool(self.fast_size) and self.classify(text) \
            and shape(text) not in self._demoted

    def _demote(self, text: str) -> None:
        self.lane_overruns += 1
        self._demoted[shape(text)] = None
        while len(self._demoted) > DEMOTED_SHAPES:
            self._demoted.popitem(last=False)

    async def query(self, job: Job, timeout: float) -> Any:
        """Run *job* in a worker; raises ``QueryTimeoutError`` past *timeout* seconds."""
        deadline = asyncio.get_running_loop().time() + timeout
        message = ("query", job)
        if self._fast_lane_for(job.sparql):
            try:
                return await self._call(message, timeout, deadline, (FAST, GENERAL))
            except _LaneOverrun:
                self._demote(job.sparql)
        return await self._call(message, timeout, deadline)

    async def graph(self, iri: str | None, media_type: str, timeout: float) -> bytes:
        """Return a named graph (or the default graph, ``None``) serialised as *media_type*."""
        deadline = asyncio.get_running_loop().time() + timeout
        return await self._call(("graph", iri, media_type), timeout, deadline)

    async def effect(self, update: str, timeout: float) -> Any:
        """What *update* would change (:mod:`ecograph.web.update_effect`), computed in a
        worker within *timeout* seconds (``QueryTimeoutError`` past it); nothing written."""
        deadline = asyncio.get_running_loop().time() + timeout
        return await self._call(("effect", update), timeout, deadline)

    async def write(self, update: str) -> int:
        """Apply *update* to the store on disk, durably, then to the workers; new version."""
        async with self._write_lock:
            def commit() -> None:
                self.store.update(update)
                self.store.flush()
            await self._run(commit)
            version = self.store.version
            self._log.append((version, update))
            oldest = min([w.version for w in self._workers] + self._spawning,
                         default=version)
            self._log = [(v, u) for v, u in self._log if v > oldest]
            return version

    async def close(self) -> None:
        """Stop every worker and remove the snapshot."""
        self._closing = True
        await asyncio.gather(*(self._run(w.stop) for w in list(self._workers)))
        self._workers.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._tmp.cleanup()
