"""The load test, bounded for CI: readers on the named queries while a curator commits.

The same core as ``bench/load.py`` (which runs it longer and prints the figures): a
writable ``ecograph serve`` over a small store, readers running three named queries in
turn, one curator committing a counter's ``value`` and ``mirror`` (N → N+1, both in one
change) through ``POST /changes``. Every answer must be whole: no errors, no counter
answer showing half a commit, no reader seeing the counter go back, and at the end the
stored counter equals the commits acknowledged.
"""

from __future__ import annotations

import asyncio

from bench.load import prepare, problems, run

from tests.serving import running_server

SECONDS = 8
READERS = 4


def test_readers_see_whole_commits_only_under_load(tmp_path):
    args, env = prepare(tmp_path, workers=2)
    with running_server(args, env, tmp_path / "server.log") as (url, _):
        tally, commits, stored, _ = asyncio.run(run(url, SECONDS, READERS))
    assert problems(tally, commits, stored) == []
    assert commits >= 5  # the curator did commit under load
    assert len(tally.seen) >= 2  # and the readers saw the counter move
    assert sum(len(v) for k, v in tally.latency.items() if k != "commit") > 100
