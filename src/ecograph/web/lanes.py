"""Idle query workers by lane, handed out first come, first served.

The query pool has two lanes: the *general* workers, which run any query, and the *fast*
lane, kept for queries :mod:`ecograph.web.query_cost` classifies as cheap. A request says
which lanes it may use, in order of preference; a worker coming free goes to the longest
waiting request that may use its lane, else back to the idle ones.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Generic, TypeVar

GENERAL = "general"
FAST = "fast"

W = TypeVar("W")


class Lanes(Generic[W]):
    """Idle workers per lane and the requests waiting for one (one event loop)."""

    def __init__(self) -> None:
        self._idle: dict[str, deque[W]] = {GENERAL: deque(), FAST: deque()}
        self._waiting: deque[tuple[tuple[str, ...], asyncio.Future[tuple[W, str]]]] = deque()

    def idle(self, lane: str) -> int:
        """How many workers of *lane* are idle now."""
        return len(self._idle[lane])

    def release(self, worker: W, lane: str) -> None:
        """*worker* of *lane* is free: give it to the first waiting request that may use it."""
        for entry in list(self._waiting):
            lanes, future = entry
            if future.done():
                self._waiting.remove(entry)
                continue
            if lane in lanes:
                self._waiting.remove(entry)
                future.set_result((worker, lane))
                return
        self._idle[lane].append(worker)

    async def acquire(self, lanes: tuple[str, ...], timeout: float) -> tuple[W, str]:
        """An idle worker of one of *lanes* (preferred first) and its lane.

        Raises ``TimeoutError`` when none comes free within *timeout* seconds.
        """
        for lane in lanes:
            if self._idle[lane]:
                return self._idle[lane].popleft(), lane
        future: asyncio.Future[tuple[W, str]] = asyncio.get_running_loop().create_future()
        entry = (lanes, future)
        self._waiting.append(entry)
        try:
            return await asyncio.wait_for(future, max(timeout, 0))
        except BaseException:
            if entry in self._waiting:
                self._waiting.remove(entry)
            if future.done() and not future.cancelled():
                # handed a worker just as the wait ended: give it back
                self.release(*future.result())
            raise
