"""Pages in a real browser (headless Chromium) and the page routes' other answers."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from ecograph.load import parse_file
from ecograph.namespaces import ECOGRAPH

from .conftest import ID, ROOT

CHROMIUM = "/usr/bin/chromium"


def dump_dom(url: str, profile: Path) -> str:
    """The DOM of *url* after its scripts ran, from headless Chromium."""
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", "--virtual-time-budget=15000",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of the page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(
            a.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())]


def test_the_network_page_draws_every_node_in_the_browser(server, client, tmp_path):
    data = client.get("/-/network/region/RO21.json").json()
    assert len(data["nodes"]) > 1
    dom = Elements(dump_dom(server.url + "/-/network/region/RO21", tmp_path / "profile"))
    svg = dom.find("svg", id="network")[0]
    assert "data-error" not in svg
    drawn = sorted(a["data-iri"] for t, a in dom.tags if t == "g" and "data-iri" in a)
    assert drawn == sorted(n["id"] for n in data["nodes"])
    assert svg["data-drawn-nodes"] == str(len(data["nodes"]))
    assert len(dom.find("line", **{"class": "edge"})) == len(data["edges"])
    assert len(dom.find("circle")) == len(data["nodes"])
    focus = [a for t, a in dom.tags if t == "g" and a.get("class") == "node focus"]
    assert [a["data-iri"] for a in focus] == [ID + "region/RO21"]
    assert f"{len(data['nodes'])} nodes" in "".join(dom.text)


def test_an_entity_page_in_the_browser(server, tmp_path):
    dom = Elements(dump_dom(server.url + "/id/organisation/umf-iasi", tmp_path / "profile"))
    text = "".join(dom.text)
    assert re.search(r"Ia[sș]i", "".join(t for t in dom.text if t.strip()))
    twin = dom.find("link", rel="alternate", type="text/turtle")
    assert twin and twin[0]["href"].endswith("/id/organisation/umf-iasi.ttl")
    assert dom.find("input", name="q", type="search")
    links = {a["href"] for t, a in dom.tags if t == "a" and "href" in a}
    assert "https://ror.org/03hd30t45" in links
    assert server.url + "/id/country/RO" in links
    assert server.url + "/ontology#University" in links
    assert "inferred" in text  # the inferred type is marked


def test_the_search_box_finds_resources(client):
    page = client.get("/-/search", params={"q": "iasi"}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "/id/organisation/umf-iasi" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    hits = client.get("/-/search.json", params={"q": "iasi"}).json()["hits"]
    assert ID + "organisation/umf-iasi" in [h["iri"] for h in hits]
    negotiated = client.get("/-/search", params={"q": "iasi"},
                            headers={"Accept": "application/json"})
    assert negotiated.json()["hits"] == hits
    assert client.get("/-/search", params={"q": "x" * 300}).status_code == 400
    assert client.get("/-/search.json", params={"q": "zzzzqqq"}).json()["hits"] == []
    assert client.get("/-/search", headers={"Accept": "image/png"}).status_code == 406


def test_the_ontology_documentation_has_a_section_for_every_term(client):
    page = client.get("/ontology", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    onto = parse_file(ROOT / "ontology" / "ecograph.ttl").graph
    terms = {str(s)[len(str(ECOGRAPH)):] for s in onto.subjects(RDF.type, None)
             if isinstance(s, URIRef) and str(s).startswith(str(ECOGRAPH))}
    ids = {a["id"] for t, a in Elements(page.text).tags if t == "section" and "id" in a}
    assert terms and terms <= ids
    assert "0.1.0" in page.text  # the version
    assert client.get("/ontology.html").text == page.text
    twin = client.get("/ontology.jsonld")
    assert twin.headers["content-type"].startswith("application/ld+json")


@pytest.mark.parametrize("path,status", [("/ontology/9.9.9", 404), ("/ontology.exe", 404),
                                         ("/ontology/0.1.0.ttl", 200)])
def test_ontology_paths(client, path, status):
    assert client.get(path).status_code == status


def test_void_as_a_page_and_as_data(client):
    page = client.get("/-/void", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "/-/dumps/dataset.nq.gz" in page.text and "cordis-projects" in page.text
    assert client.get("/-/void.jsonld").headers["content-type"].startswith(
        "application/ld+json")
    assert client.get("/-/void.txt").status_code == 404


@pytest.mark.parametrize("accept,media_type", [
    ("text/html", "text/html"), ("application/json", "application/json"),
    ("image/svg+xml", "image/svg+xml"),
])
def test_the_network_negotiates(client, accept, media_type):
    answer = client.get("/-/network/country/RO", headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media_type)


@pytest.mark.parametrize("path,status", [
    ("/-/network/planet/earth", 404), ("/-/network/region/ro-21", 400),
    ("/-/network/region/XX99", 404), ("/-/network/region/RO21?limit=0", 400),
    ("/-/network/region/RO21?limit=many", 400),
])
def test_network_bad_input(client, path, status):
    answer = client.get(path, headers={"Accept": "application/json"})
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["message"]


def test_network_406_lists_offers(client):
    answer = client.get("/-/network/region/RO21", headers={"Accept": "text/csv"})
    assert answer.status_code == 406
    assert "image/svg+xml" in answer.json()["error"]["offered"]
