"""Many concurrent runaway queries: each is stopped at the time limit counted from its
arrival, cheap queries still get answers, and the server answers normally afterwards."""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.web.conftest import Server, start_server
from tests.web.test_limits import CHEAP, RUNAWAY

LIMIT = 2.0
RUNAWAYS = 6  # three times the workers


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(tmp_path_factory.mktemp("runaway"), "--workers", "2",
                            "--query-timeout", str(LIMIT))


def test_queued_runaways_are_each_stopped_at_the_limit(busy_server: Server):
    """Regression: the limit counted only once a worker was free, so the sixth runaway on
    two workers answered after 3 × the limit and cheap queries waited as long."""
    def runaway(client: httpx.Client) -> tuple[int, float, str]:
        started = time.monotonic()
        response = client.get("/sparql", params={"query": RUNAWAY})
        return response.status_code, time.monotonic() - started, response.text

    with busy_server.client() as client, \
            concurrent.futures.ThreadPoolExecutor(RUNAWAYS) as pool:
        futures = [pool.submit(runaway, client) for _ in range(RUNAWAYS)]
        time.sleep(0.3)
        cheap = []
        while not all(f.done() for f in futures):
            started = time.monotonic()
            answer = client.get("/sparql", params={"query": CHEAP})
            cheap.append((answer.status_code, time.monotonic() - started))
        results = [f.result() for f in futures]
        after = time.monotonic()
        final = client.get("/sparql", params={"query": CHEAP})
        after = time.monotonic() - after
    for status, seconds, text in results:
        assert status == 503 and "time limit" in text, text
        assert LIMIT - 0.1 < seconds < LIMIT + 1.5, seconds
    assert cheap and all(status in (200, 503) for status, _ in cheap)
    assert max(seconds for _, seconds in cheap) < LIMIT + 1.5
    assert final.status_code == 200 and final.json()["boolean"] is True
    assert after < 1.0
