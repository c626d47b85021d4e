"""The collaboration network: checked against a computation in plain Python, and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from ecograph.errors import InputError
from ecograph.plot import HEIGHT, MAX_LIMIT, WIDTH, layout, network, to_svg

from .conftest import ECO, ID

E = {name: URIRef(ECO + name) for name in (
    "hasParticipant", "coordinator", "locatedIn", "parentRegion", "nutsLevel", "country",
    "inCountry", "hasMember", "memberOf")}
SVG = "{http://www.w3.org/2000/svg}"


def _union(store) -> Graph:
    graph = Graph()
    for iri in store.graphs():
        graph += store.get_graph(iri)
    return graph


def _regions(graph: Graph, org: URIRef, level: int) -> set[URIRef]:
    """Regions at *level* that contain *org*: locatedIn+ then parentRegion*."""
    places, todo = set(), [org]
    while todo:
        for place in graph.objects(todo.pop(), E["locatedIn"]):
            if place not in places:
                places.add(place)
                todo.append(place)
    found, todo = set(), list(places)
    while todo:
        region = todo.pop()
        if graph.value(region, E["nutsLevel"]) == Literal(level):
            found.add(region)
        todo.extend(graph.objects(region, E["parentRegion"]))
    return found


def _expected_region_projects(graph: Graph, level: int) -> dict[URIRef, set[URIRef]]:
    projects: dict[URIRef, set[URIRef]] = {}
    for prop in (E["hasParticipant"], E["coordinator"]):
        for project, org in graph.subject_objects(prop):
            for region in _regions(graph, org, level):
                projects.setdefault(region, set()).add(project)
    return projects


def test_the_region_network_equals_a_direct_computation(ld_store):
    graph = _union(ld_store)
    focus = URIRef(ID + "region/RO21")
    expected = _expected_region_projects(graph, 2)
    partners = {r: len(expected[focus] & p) for r, p in expected.items()
                if r != focus and expected[focus] & p}
    assert partners, "the seed data has regions sharing projects with RO21"
    net = network(ld_store, "region", "RO21", limit=MAX_LIMIT)
    assert net.focus.iri == str(focus) and net.focus.projects == len(expected[focus])
    shown = {n.iri: n.projects for n in net.nodes if not n.focus}
    assert len(shown) == min(len(partners), MAX_LIMIT)
    assert shown.items() <= {str(r): len(expected[r]) for r in partners}.items()
    cut = min(partners.values()) if len(partners) <= MAX_LIMIT else max(
        w for r, w in partners.items() if str(r) not in shown)
    assert all(partners[URIRef(iri)] >= cut for iri in shown)
    partners = {r: w for r, w in partners.items() if str(r) in shown}
    weights = {frozenset((e.source, e.target)): e.weight for e in net.edges}
    for a, b in combinations([focus, *partners], 2):
        shared = len(expected[a] & expected[b])
        assert weights.get(frozenset((str(a), str(b))), 0) == shared
    assert net.unit == "NUTS-2 regions"


def test_the_limit_keeps_the_partners_sharing_most(ld_store):
    whole = network(ld_store, "country", "RO")
    assert len(whole.nodes) > 2
    top = network(ld_store, "country", "RO", limit=2)
    assert len(top.nodes) == 3
    shared = {e.target if e.source == whole.focus.iri else e.source: e.weight
              for e in whole.edges if whole.focus.iri in (e.source, e.target)}
    kept = [n.iri for n in top.nodes if not n.focus]
    assert min(shared[k] for k in kept) >= max(
        (w for iri, w in shared.items() if iri not in kept), default=0)


def test_a_cluster_network_shows_organisations_outside_the_cluster(ld_store):
    net = network(ld_store, "cluster", "imago-mol")
    members = {str(o) for o in _union(ld_store).objects(URIRef(ID + "cluster/imago-mol"),
                                                        E["hasMember"])}
    others = {n.iri for n in net.nodes if not n.focus}
    assert others and not others & members
    assert all(iri.startswith(ID + "organisation/") for iri in others)
    assert ID + "organisation/biocat" in others  # a PRECISEU partner, not a member


@pytest.mark.parametrize("kind,key,message", [
    ("planet", "earth", "cannot draw"), ("region", "ro-21", "not a valid key"),
    ("region", "XX99", "no region XX99 in the store"), ("country", "ZZ", "no country ZZ"),
])
def test_bad_focus_is_a_clear_input_error(ld_store, kind, key, message):
    with pytest.raises(InputError, match=message):
        network(ld_store, kind, key)


@pytest.mark.parametrize("limit", [0, 201])
def test_the_limit_is_bounded(ld_store, limit):
    with pytest.raises(InputError, match="limit"):
        network(ld_store, "region", "RO21", limit=limit)


def test_layout_is_deterministic_inside_the_box_and_pins_the_focus(ld_store):
    net = network(ld_store, "country", "RO")
    first, second = layout(net), layout(net)
    assert first == second
    assert first[net.focus.iri] == (WIDTH / 2, HEIGHT / 2)
    assert all(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in first.values())
    spots = {(round(x), round(y)) for x, y in first.values()}
    assert len(spots) == len(net.nodes)


def test_svg_draws_every_node_and_edge(ld_store):
    net = network(ld_store, "region", "RO21")
    root = ET.fromstring(to_svg(net))
    drawn = [g.get("data-iri") for g in root.iter(SVG + "g") if g.get("data-iri")]
    assert sorted(drawn) == sorted(n.iri for n in net.nodes)
    assert len(list(root.iter(SVG + "line"))) == len(net.edges)
    labels = {t.text for t in root.iter(SVG + "text")}
    assert {n.label for n in net.nodes} <= labels


def _ecograph(*args: str) -> subprocess.CompletedProcess[str]:
    exe = str(Path(sys.executable).parent / "ecograph")
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120)


def test_cli_writes_svg_and_json(ld_store_path, tmp_path):
    import shutil

    store = tmp_path / "store"
    shutil.copytree(ld_store_path, store)
    out = tmp_path / "out.svg"
    done = _ecograph("plot", "region", "RO21", "--store", str(store), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "nodes" in done.stderr
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert any(g.get("data-iri") == ID + "region/RO21" for g in root.iter(SVG + "g"))
    as_json = tmp_path / "out.json"
    assert _ecograph("plot", "region", "RO21", "--store", str(store), "-o",
                     str(as_json)).returncode == 0
    data = json.loads(as_json.read_text(encoding="utf-8"))
    assert data["focus"] == ID + "region/RO21"
    assert len(data["nodes"]) == len([g for g in root.iter(SVG + "g") if g.get("data-iri")])


@pytest.mark.parametrize("args,message", [
    (["region", "XX99"], "no region XX99"),
    (["region", "ro-21"], "not a valid key"),
    (["region", "RO21", "-o", "out.png"], "use an .svg or .json"),
    (["region", "RO21", "--limit", "0"], "--limit"),
    (["city", "iasi"], "Invalid value"),
])
def test_cli_bad_input_exits_2_and_writes_nothing(ld_store_path, tmp_path, args, message):
    import shutil

    store = tmp_path / "store"
    shutil.copytree(ld_store_path, store)
    done = subprocess.run([str(Path(sys.executable).parent / "ecograph"), "plot", *args,
                           "--store", str(store)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / "out.png").exists()
