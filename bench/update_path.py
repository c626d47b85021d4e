"""What computing an update's effect in a query worker costs a normal update on
``POST /sparql``: medians of small ``INSERT DATA`` and ``INSERT … WHERE`` updates (each
undone), on a real ``ecograph serve --writable`` over the endpoint tests' small dataset.

Runs the ``ecograph`` package Python finds, so two checkouts compare by ``PYTHONPATH``:

    .venv/bin/python bench/update_path.py --runs 30
    PYTHONPATH=/tmp/old-checkout/src .venv/bin/python bench/update_path.py --runs 30
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.serving import running_server  # noqa: E402
from tests.web.conftest import DATA  # noqa: E402

TOKEN = "bench-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TARGET = "urn:x:bench-updates"
UPDATES = {
    "INSERT DATA": f"INSERT DATA {{ GRAPH <{TARGET}> {{ <urn:x:a> <urn:x:p> 1 }} }}",
    "INSERT WHERE": (f"INSERT {{ GRAPH <{TARGET}> {{ ?s <urn:x:label> ?l }} }} WHERE {{ "
                     "GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } }"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    import ecograph
    from ecograph.store.embedded import OxigraphStore

    print(f"ecograph from {Path(ecograph.__file__).parent}")
    with tempfile.TemporaryDirectory(prefix="ecograph-bench-") as tmp:
        store = OxigraphStore(Path(tmp) / "store")
        store.update(DATA)
        store.close()
        shutil.copytree(ROOT / "tests" / "web" / "project", Path(tmp) / "project")
        env = {**os.environ, "ECOGRAPH_PROJECT_DIR": str(Path(tmp) / "project"),
               "ECOGRAPH_TOKEN": TOKEN}
        args_ = ["--store", str(Path(tmp) / "store"), "--writable", "--token", TOKEN,
                 "--workers", "2"]
        with running_server(args_, env, Path(tmp) / "server.log") as (url, _), \
                httpx.Client(base_url=url, timeout=60) as client:
            for name, text in UPDATES.items():
                times = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    response = client.post("/sparql", data={"update": text}, headers=AUTH)
                    times.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 204, response.text
                    undo = client.post("/sparql", data={"update": f"DROP GRAPH <{TARGET}>"},
                                       headers=AUTH)
                    assert undo.status_code == 204, undo.text
                print(f"{name:13} median {statistics.median(times):7.1f} ms  "
                      f"p90 {statistics.quantiles(times, n=10)[-1]:7.1f} ms  ({args.runs} runs)")


if __name__ == "__main__":
    main()
