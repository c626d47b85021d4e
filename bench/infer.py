"""Benchmark: OWL 2 RL materialisation at CORDIS scale against owlrl and reasonable.

Builds the FP7 + H2020 participation network of ``cordis-sod16-network`` (≈167k
project–organisation links) with the ontology's terms (``ecograph:hasParticipant`` plus an
``ecograph:Participation`` resource per link), in an Oxigraph store on disk, then measures:

1. ecograph's full materialisation (read, reason, write the inferred graph), and its
   in-memory reasoning core alone;
2. re-materialisation after a 50-triple change (10 links added, then 10 removed);
3. owlrl on subsets where it finishes, with ecograph's core and reasonable on the same
   subsets, and owlrl's time at full size extrapolated from a power-law fit;
4. peak memory (ru_maxrss) of the ecograph phases.

    .venv/bin/python bench/infer.py [--edges N] [--owlrl-sizes 1000,2000,4000,8000]
"""

from __future__ import annotations

import argparse
import csv
import math
import resource
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ecograph import graphs
from ecograph.bundle import Bundle
from ecograph.infer import materialise, update_inferences
from ecograph.infer.closure import infer
from ecograph.infer.reference import owlrl_closure
from ecograph.iris import mint
from ecograph.namespaces import ECOGRAPH, VOCAB
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
NETWORK = ROOT.parent / "shared" / "data" / "cordis-sod16-network"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def edges(limit: int | None = None) -> list[tuple[str, str]]:
    """Distinct (project RCN, organisation id) links of FP7 then H2020."""
    seen: dict[tuple[str, str], None] = {}
    for name in ("fp7_edges.tsv", "h2020_edges.tsv"):
        with (NETWORK / name).open(newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                seen[(row["projectRcn"], row["new_org_id"])] = None
    links = list(seen)
    return links if limit is None else links[:limit]


def link_triples(rcn: str, org_id: str) -> list[tuple[str, str, str]]:
    """The five triples of one link, with the ontology's participation terms."""
    project = f"<{mint('project', f'rcn-{rcn}')}>"
    org = f"<{mint('organisation', f'cordis-{org_id}')}>"
    part = f"<{mint('participation', f'{rcn}-{org_id}')}>"
    role = f"<{VOCAB}participation-role/participant>"
    return [(project, f"<{ECOGRAPH.hasParticipant}>", org),
            (part, TYPE, f"<{ECOGRAPH.Participation}>"),
            (part, f"<{ECOGRAPH.organisation}>", org),
            (part, f"<{ECOGRAPH.project}>", project),
            (part, f"<{ECOGRAPH.participationRole}>", role)]


def network(links: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    triples = [t for rcn, org in links for t in link_triples(rcn, org)]
    orgs = {org for _, org in links}
    triples += [(f"<{mint('organisation', f'cordis-{o}')}>", LABEL, f'"{o}"') for o in orgs]
    return triples


def schema_triples() -> list[tuple[str, str, str]]:
    bundle = Bundle(ROOT / "ontology", ROOT / "data" / "sources")
    g = bundle.ontology().graph + bundle.vocabularies().graph
    return [(s.n3(), p.n3(), o.n3()) for s, p, o in g]


def nquads(triples, graph) -> bytes:
    return "".join(f"{s} {p} {o} <{graph}> .\n" for s, p, o in triples).encode()


def to_rdflib(triples) -> Graph:
    g = Graph()
    g.parse(data="".join(f"{s} {p} {o} .\n" for s, p, o in triples), format="nt")
    return g


def median_time(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=None, help="links to use (all by default)")
    parser.add_argument("--owlrl-sizes", default="1000,2000,4000,8000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    links = edges(args.edges)
    data = network(links)
    schema = schema_triples()
    source = graphs.source_graph("cordis-network")
    print(f"CORDIS network: {len(links)} links, {len(data)} data triples, "
          f"{len(schema)} ontology/vocabulary triples")

    with tempfile.TemporaryDirectory() as tmp:
        store = OxigraphStore(Path(tmp) / "store")
        inner = store._store  # bench setup only: the bulk loader
        inner.bulk_load(nquads(schema, graphs.ONTOLOGY) + nquads(data, source),
                        format=ox.RdfFormat.N_QUADS)

        full_times = []
        for _ in range(args.runs):
            store.drop_graphs([graphs.INFERRED])  # not timed: the run starts from no inferences
            start = time.perf_counter()
            outcome = materialise(store)
            full_times.append(time.perf_counter() - start)
        t_full = statistics.median(full_times)
        print(f"ecograph full materialisation (store on disk, read+reason+write): "
              f"median {t_full:.2f} s over {args.runs}; {outcome.inferred} inferred triples")
        t_rerun, again = median_time(lambda: materialise(store), args.runs)
        print(f"ecograph re-run with nothing changed: median {t_rerun:.2f} s "
              f"(+{again.added} -{again.removed})")
        given = schema + data
        t_core, result = median_time(lambda: infer(given), args.runs)
        print(f"ecograph reasoning core (in memory): median {t_core:.2f} s; "
              f"{len(result.inferred)} triples, {result.rounds} rounds, {result.rules} rules")

        extra = [("999000" + str(i), f"bench-org-{i}") for i in range(10)]
        added = [t for rcn, org in extra for t in link_triples(rcn, org)]
        removed = [t for rcn, org in links[:10] for t in link_triples(rcn, org)]
        cache: dict = {}
        from ecograph.infer.facts import to_ox
        def quads(ts):
            return [ox.Quad(to_ox(s, cache), to_ox(p, cache), to_ox(o, cache),
                            ox.NamedNode(str(source))) for s, p, o in ts]
        add_times, remove_times = [], []
        for _ in range(max(args.runs, 5)):
            inner.extend(quads(added))
            start = time.perf_counter()
            up = update_inferences(store, added, [])
            add_times.append(time.perf_counter() - start)
            for q in quads(added):
                inner.remove(q)
            start = time.perf_counter()
            update_inferences(store, [], added)
            remove_times.append(time.perf_counter() - start)
        print(f"incremental, 50 triples added: median {statistics.median(add_times) * 1000:.0f} ms"
              f" ({up.mode}{', ' + up.reason if up.reason else ''}, +{up.added} -{up.removed})")
        print(f"incremental, 50 triples removed: median "
              f"{statistics.median(remove_times) * 1000:.0f} ms")
        for q in quads(removed):
            inner.remove(q)
        start = time.perf_counter()
        down = update_inferences(store, [], removed)
        t_down = time.perf_counter() - start
        check = materialise(store)
        print(f"incremental, 50 existing triples removed: {t_down * 1000:.0f} ms ({down.mode}, "
              f"+{down.added} -{down.removed}); a full run afterwards changes "
              f"+{check.added} -{check.removed} (0/0 = incremental was exact)")
        ecograph_peak = peak_mb()
        print(f"peak memory (ru_maxrss) after the ecograph phases: {ecograph_peak:.0f} MB")
        store.close()

    print("\nsubsets: owlrl (full closure) vs ecograph core vs reasonable")
    sizes = [int(n) for n in args.owlrl_sizes.split(",") if n]
    points = []
    for n in sizes:
        subset = schema + network(links[:n])
        g = to_rdflib(subset)
        start = time.perf_counter()
        owlrl_closure(g)
        t_owl = time.perf_counter() - start
        t_mine, _ = median_time(lambda subset=subset: infer(subset), 3)
        t_reas = _reasonable(g)
        points.append((len(g), t_owl))
        print(f"  {n:>6} links, {len(g):>7} triples: owlrl {t_owl:8.2f} s | ecograph "
              f"{t_mine:6.3f} s ({t_owl / t_mine:6.0f}x) | reasonable {t_reas:6.3f} s")
    if len(points) >= 2:
        xs = [math.log(x) for x, _ in points]
        ys = [math.log(y) for _, y in points]
        mx, my = statistics.mean(xs), statistics.mean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / \
            sum((x - mx) ** 2 for x in xs)
        size = len(schema) + len(data)
        predicted = math.exp(my + slope * (math.log(size) - mx))
        print(f"owlrl time grows as n^{slope:.2f}; extrapolated to {size} triples: "
              f"{predicted:.0f} s (~{predicted / 60:.0f} min)")
        print(f"ratio owlrl (extrapolated) / ecograph full run on disk: {predicted / t_full:.0f}x;"
              f" / ecograph core: {predicted / t_core:.0f}x")
        largest, t_largest = points[-1]
        linear = t_largest * size / largest
        print(f"conservative (linear) extrapolation of owlrl: {linear:.0f} s; ratio / full run on "
              f"disk: {linear / t_full:.0f}x; / core: {linear / t_core:.0f}x")
    t_reas_full = _reasonable(to_rdflib(schema + data))
    print(f"reasonable on the full network: {t_reas_full:.2f} s (a different, larger closure)")


def _reasonable(g: Graph) -> float:
    import reasonable

    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(g)
    start = time.perf_counter()
    reasoner.reason()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
