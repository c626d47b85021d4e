"""The query pool itself, with real worker processes: writes reach every worker.

A worker that starts (after a timeout, or a lane overrun) loads a snapshot; the writes
committed while it starts must still reach it from the replay log, even when the other
workers have already caught up and the log is trimmed.
"""

from __future__ import annotations

import asyncio
import json

from ecograph.store.embedded import OxigraphStore
from ecograph.web.lanes import FAST, GENERAL
from ecograph.web.pool import QueryPool
from ecograph.web.worker import Job

ASK = "application/sparql-results+json"


def _insert(n: int) -> str:
    return f"INSERT DATA {{ <urn:x:s> <urn:x:p> {n} }}"


async def _values(pool: QueryPool, worker: object) -> list[int]:
    await pool._catch_up(worker)  # type: ignore[arg-type]
    reply = await pool._run(worker.call, ("query", Job(  # type: ignore[attr-defined]
        "SELECT ?o WHERE { <urn:x:s> <urn:x:p> ?o } ORDER BY ?o", ASK, None)))
    assert reply[0] == "ok", reply
    return [int(b["o"]["value"]) for b in json.loads(reply[1].body)["results"]["bindings"]]


def test_a_worker_starting_during_writes_gets_every_write(tmp_path):
    """Regression: the log was trimmed to what the running workers had seen, so a worker
    still loading an older snapshot never got the writes in between."""
    async def scenario() -> tuple[list[int], list[int]]:
        pool = QueryPool(OxigraphStore(tmp_path / "store"), 1, 0)
        await pool.start()
        try:
            (old,) = pool._workers
            starting = asyncio.create_task(pool._spawn(GENERAL))
            while not pool._spawning:  # its snapshot is taken: the store before the writes
                await asyncio.sleep(0.001)
            await pool.write(_insert(1))
            assert await _values(pool, old) == [1]  # the running worker caught up
            await pool.write(_insert(2))  # … so the log may drop write 1 for it
            fresh = await starting
            assert fresh.version < pool.version  # it did start from the older snapshot
            return await _values(pool, fresh), await _values(pool, old)
        finally:
            await pool.close()

    fresh, old = asyncio.run(scenario())
    assert fresh == [1, 2]
    assert old == [1, 2]


def test_the_fast_lane_gets_cheap_queries_and_every_write(tmp_path):
    async def scenario() -> tuple[int, list[int], dict[str, list[int]]]:
        pool = QueryPool(OxigraphStore(tmp_path / "store"), 1, 1, lane_limit=5)
        await pool.start()
        try:
            await pool.write(_insert(7))
            result = await pool.query(Job("SELECT ?o WHERE { <urn:x:s> <urn:x:p> ?o }",
                                          ASK, None), 10)
            values = [int(b["o"]["value"])
                      for b in json.loads(result.body)["results"]["bindings"]]
            return pool.fast_answers, values, pool.pids
        finally:
            await pool.close()

    fast_answers, values, pids = asyncio.run(scenario())
    assert fast_answers == 1 and values == [7]
    assert len(pids[GENERAL]) == 1 and len(pids[FAST]) == 1
