"""Generated, broken versions of the real import files never make an importer crash.

For each of the six importers, hypothesis mutates the real extracts in
``tests/fixtures/real/`` (cut lines, wrong column counts, bad bytes, BOMs and NUL bytes,
huge cells, quotes, IRI-closing and statement-closing text, bad dates, country and NUTS
codes, malformed JSON, empty files, folders with junk beside the real files) and runs the
importer in-process on a real Oxigraph store on disk. Every run must either

* **refuse** with an ``EcographError`` (``InputError``: exit 2, or ``ValidationFailedError``:
  exit 1) and leave the store exactly as it was (every quad compared), or
* **accept**, counting bad rows as skipped or repaired, and write a graph whose IRIs are all
  well formed: entity IRIs parse back to their kind and key, predicates are the importer's
  own terms, and no text from a cell became an IRI or a statement.

Any other exception is a finding. A few cases run the real ``ecograph import`` CLI for the
exit codes and the absence of a traceback. Importers read local files only: a URL
(``http://``, ``file://``, ``ftp://``) is refused before anything is opened, and a listener
on 127.0.0.1 receives nothing.

Derandomised and bounded for CI; a deeper random run::

    ECOGRAPH_IMPORT_FUZZ_EXAMPLES=400 ECOGRAPH_FUZZ_RANDOM=1 \\
        .venv/bin/pytest tests/hardening/test_fuzz_importers.py
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecograph.errors import EcographError, InputError, ValidationFailedError
from ecograph.formats import syntax_by_name
from ecograph.graphs import source_graph
from ecograph.importers import model
from ecograph.importers.run import importer, run_import
from ecograph.iris import parse_entity_iri
from ecograph.namespaces import BASE, VOCAB
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
ECOGRAPH = str(ROOT / ".venv" / "bin" / "ecograph")
FUZZ = settings(max_examples=int(os.environ.get("ECOGRAPH_IMPORT_FUZZ_EXAMPLES", "12")),
                deadline=None, derandomize=not os.environ.get("ECOGRAPH_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
#: Data rows kept from each real file (the header always): small files keep every run fast.
ROWS = 20
#: Every term the importers may use as a predicate, or as a class.
OWN_TERMS = frozenset(value[1:-1] for name, value in vars(model).items()
                      if name.isupper() and isinstance(value, str) and value.startswith("<"))
SCHEMA_URL = model.URL[1:-1]
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*$")
MARK = "evil.example"

#: Cell values that try to break out of a literal or an IRI, or are wrong for the column.
EVIL = [
    "", " ", "NULL", '"', '""', '"unclosed', "'", "\\", "\\u003e", "\x00", "\x7f", "\u202e",
    "\ufeff", "é", "Ã©", "&#0;", "&#x110000;", "&amp;", ";", ",", "\t", "\r", "\n",
    f'x> <http://{MARK}/p> "o" .', f"<http://{MARK}/>", f"http://{MARK}/a b",
    f"https://{MARK}/>x", f"http://{MARK}/a}}b", f'http://{MARK}/"q', f"http://{MARK}/%zz",
    f"https://{MARK}/x?a=1#f", "a}b{c", "with space", "x .\n<a> <b> <c> .",
    f'" ; <http://{MARK}/p> "o', "ÄÖ", "ß", "zz", "Zz", "EL", "UK", "XX", "E1", "12", "ÉÉ",
    "RO2199", "ro21", "RO21", "RO", "??", "XX9", "RO21Ä", "0", "-1", "1e999", "NaN",
    "99999999999999999999", "2020-13-45", "0000-00-00", "99999-01-01", "2024-02-30",
    "2024-01-01T99:99", "1999-12-31", "x@en-123456789", "name@", "@", "é@ro", "x@EN-gb-x",
    "https://ror.org/0abcdef12", "https://ror.org/00000000", "Q0", "Q1 x", "Q12|Q13",
    "H2020-???", "???", "FP7-é", "HORIZON.>", "HORIZON.<x>", "H2020;;", "education|company",
    "coordinator", "thirdParty", "partner ", "999999999", "12345678", "a" * 32,
    "aee4a9c2b74483607ba42a90eb8710aa", "True", "False", "HES;PRC",
]
BAD_BYTES = [b"\x00", b"\xff", b"\xfe\xff", b"\xef\xbb\xbf", b"\xc3\x28", b"\xe9", b"\r",
             b'"', b"\n", b"\x1a", b"\x80\x80", b"\xed\xa0\x80"]


@dataclass(frozen=True)
class Kind:
    """One importer: its kind name, its real files, their separator, and what it needs."""

    name: str
    folder: str
    files: tuple[str, ...]
    delimiter: str
    needs_nuts: bool = False


KINDS = [
    Kind("nuts", "nuts", ("nuts2021_classification.csv", "nuts2016_to_nuts2021_changes.csv",
                          "NUTS2021_latin_names.csv"), ","),
    Kind("iso3166", "iso3166", ("iso_3166-1.json",), ""),
    Kind("cordis-reference", "cordis-reference",
         ("cordisref-countries.csv", "cordisref-FP7programmes.csv",
          "cordisref-H2020programmes.csv", "cordisref-organizationActivityType.csv",
          "cordisref-projectFundingSchemeCategory.csv", "cordisref-sicCode.csv"), ";"),
    Kind("cordis-network", "cordis-network",
         ("fp7_orgs.csv", "fp7_edges.tsv", "h2020_unique_org.tsv", "h2020_projects.tsv",
          "h2020_edges.tsv"), "\t", needs_nuts=True),
    Kind("cordis-horizon", "cordis-horizon",
         ("project_sample100.csv", "organization_sample100.csv"), ",", needs_nuts=True),
    Kind("ror", "ror", ("ror_europe_flat.csv",), ","),
]


def delimiter_of(kind: Kind, name: str) -> str:
    if name.endswith(".tsv"):
        return "\t"
    if name in ("fp7_orgs.csv", "NUTS2021_latin_names.csv"):
        return ";"
    return kind.delimiter


def seed_lines(path: Path) -> list[str]:
    """The header and the first ``ROWS`` records of a real table (records, not lines)."""
    text = path.read_text(encoding="utf-8-sig" if path.suffix != ".json" else "utf-8")
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    quotes = 0
    for line in lines:
        kept.append(line)
        quotes += line.count('"')
        if quotes % 2 == 0 and len(kept) > ROWS * 3 and len(kept) > 1:
            break
    return kept if path.suffix != ".json" else lines


def seed_records(path: Path) -> list[str]:
    lines = seed_lines(path)
    records: list[str] = []
    pending = ""
    for line in lines:
        pending += line
        if pending.count('"') % 2 == 0:
            records.append(pending)
            pending = ""
        if len(records) > ROWS:
            break
    return records


# --- mutations of a table ------------------------------------------------------------------


@st.composite
def table_mutation(draw: st.DrawFn, delimiter: str) -> Callable[[list[str]], list[str]]:
    """One change to a table's records: a bad cell, a wrong column count, a cut, a blank."""
    what = draw(st.sampled_from(["cell", "cell", "column", "column", "text-cell", "columns",
                                 "cut", "duplicate", "drop", "empty-line", "delimiter",
                                 "header"]))
    where = draw(st.integers(0, 10_000))
    value = draw(st.sampled_from(EVIL)) if what != "text-cell" else draw(st.text(max_size=30))
    column = draw(st.integers(0, 40))
    extra = draw(st.integers(-3, 3))

    def apply(records: list[str]) -> list[str]:
        if len(records) < 2 and what != "header":
            return records
        i = 1 + where % (len(records) - 1) if what != "header" else 0
        line = records[i] if records else ""
        end = line[len(line.rstrip("\r\n")):]
        body = line[:len(line) - len(end)]
        if what in ("cell", "text-cell", "header"):
            cells = body.split(delimiter)
            cells[column % len(cells)] = value
            records[i] = delimiter.join(cells) + end
        elif what == "column":  # the same bad value in one column of every record
            width = len(records[0].split(delimiter))
            for j in range(1, len(records)):
                cells = records[j].rstrip("\r\n").split(delimiter)
                if len(cells) == width:
                    cells[column % width] = value
                    records[j] = delimiter.join(cells) + "\n"
        elif what == "columns":
            cells = body.split(delimiter)
            cells = cells[:extra] if extra < 0 else cells + ["x"] * extra
            records[i] = delimiter.join(cells) + end
        elif what == "cut":
            records[i] = body[:where % (len(body) + 1)]
            del records[i + 1:]
        elif what == "duplicate":
            records.insert(i, line)
        elif what == "drop":
            del records[i]
        elif what == "empty-line":
            records.insert(i, "\n" if where % 2 else delimiter * (column % 5) + "\r\n")
        elif what == "delimiter":
            records[i] = body.replace(delimiter, value or "|") + end
        return records

    return apply


@st.composite
def byte_mutation(draw: st.DrawFn) -> Callable[[bytes], bytes]:
    """One change to a file's bytes: bad bytes inserted, a huge cell, a cut, a BOM, nothing."""
    what = draw(st.sampled_from(["insert", "insert", "huge", "cut", "bom", "latin-1", "empty",
                                 "none", "none"]))
    where = draw(st.integers(0, 1 << 20))
    piece = draw(st.sampled_from(BAD_BYTES))
    size = draw(st.sampled_from([70_000, 1_200_000]))

    def apply(data: bytes) -> bytes:
        at = where % (len(data) + 1)
        if what == "insert":
            return data[:at] + piece + data[at:]
        if what == "huge":
            return data[:at] + b"A" * size + data[at:]
        if what == "cut":
            return data[:at]
        if what == "bom":
            return b"\xef\xbb\xbf" + data
        if what == "latin-1":
            return data.decode("utf-8", "replace").encode("latin-1", "replace")
        if what == "empty":
            return b""
        return data

    return apply


@st.composite
def table_files(draw: st.DrawFn, kind: Kind) -> dict[str, bytes]:
    """The kind's real files, some of them broken."""
    files: dict[str, bytes] = {}
    broken = draw(st.sets(st.sampled_from(kind.files), min_size=1, max_size=2))
    for name in kind.files:
        records = list(SEEDS[kind.name][name])
        if name in broken:
            delimiter = delimiter_of(kind, name)
            for change in draw(st.lists(table_mutation(delimiter), min_size=1, max_size=4)):
                records = change(records)
            data = "".join(records).encode("utf-8", "surrogatepass")
            data = draw(byte_mutation())(data)
        else:
            data = "".join(records).encode("utf-8")
        files[name] = data
    return files


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.sampled_from(EVIL)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=8)


@st.composite
def iso_files(draw: st.DrawFn) -> dict[str, bytes]:
    """The ISO 3166-1 file with entries changed, the JSON broken, or its bytes mutated."""
    document = json.loads(ISO_TEXT)
    entries = document["3166-1"]
    what = draw(st.sampled_from(["entry", "entry", "shape", "text", "deep"]))
    if what == "entry":
        for _ in range(draw(st.integers(1, 4))):
            entry = entries[draw(st.integers(0, len(entries) - 1))]
            key = draw(st.sampled_from(["alpha_2", "alpha_3", "numeric", "name", "official_name",
                                        "common_name", "extra"]))
            entry[key] = draw(JSON_VALUES)
        text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    elif what == "shape":
        text = json.dumps(draw(st.sampled_from([
            [], {}, {"3166-1": None}, {"3166-1": {}}, {"3166-1": [None, 1, "x", []]},
            {"3166-1": [{"alpha_2": "RO"}]}, {"3166-1": [{"alpha_2": ["R", "O"], "name": 1}]},
            {"3166-1": [{"alpha_2": "ro", "name": {"x": 1}}]}, "3166-1", 1e308, None,
        ])))
    elif what == "deep":
        depth = draw(st.sampled_from([50, 5_000, 200_000]))
        text = '{"3166-1": ' + "[" * depth + "]" * depth + "}"
    else:
        text = ISO_TEXT
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["", "{", "}", "]", ",", '"', "\\", "\x00",
                                                 "NaN", "Infinity", "\ud800"])) + text[at:]
    data = text.encode("utf-8", "surrogatepass")
    return {"iso_3166-1.json": draw(byte_mutation())(data)}


SEEDS: dict[str, dict[str, list[str]]] = {
    kind.name: {name: seed_records(REAL / kind.folder / name) for name in kind.files}
    for kind in KINDS if kind.name != "iso3166"
}
ISO_TEXT = (REAL / "iso3166" / "iso_3166-1.json").read_text(encoding="utf-8")


def inputs(kind: Kind) -> st.SearchStrategy[dict[str, bytes]]:
    return iso_files() if kind.name == "iso3166" else table_files(kind)


# --- the store and the promises ------------------------------------------------------------


def quads(store: OxigraphStore) -> str:
    """A hash of every quad of *store*, independent of their order."""
    lines = b"".join(store.export(syntax_by_name("nquads"))).splitlines()
    return hashlib.sha256(b"\n".join(sorted(lines))).hexdigest()


def iri_terms(store: OxigraphStore, graph: str) -> list[tuple[str, str]]:
    """Every IRI in *graph* with its position (subject, predicate, object, or url)."""
    found: list[tuple[str, str]] = []
    for s, p, o in store.get_graph(source_graph(graph)):
        found.append(("s", str(s)))
        found.append(("p", str(p)))
        if o.__class__.__name__ == "URIRef":
            found.append(("url" if str(p) == SCHEMA_URL else "o", str(o)))
    return found


def assert_only_valid_iris(store: OxigraphStore, graph: str) -> None:
    for position, value in iri_terms(store, graph):
        assert _IRI.match(value), (position, value)
        if position == "p":
            assert value in OWN_TERMS, f"predicate {value!r} is not the importer's own"
        if position != "url":
            assert MARK not in value, f"cell text became an IRI: {value!r}"
        if value.startswith(f"{BASE}id/") and "/graph/" not in value:
            assert parse_entity_iri(value) is not None, f"minted IRI does not parse: {value!r}"
        if value.startswith(str(VOCAB)):
            assert re.fullmatch(r"[a-z0-9/-]+", value[len(str(VOCAB)):]), value


@dataclass
class Bench:
    """A store for one kind's examples (with NUTS when the kind needs it) and a scratch folder."""

    store: OxigraphStore
    folder: Path


@pytest.fixture(scope="module")
def nuts_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the real NUTS extract (what the CORDIS importers place organisations in)."""
    folder = tmp_path_factory.mktemp("fuzz-nuts")
    store = OxigraphStore(folder / "store")
    run_import(store, "nuts", [REAL / "nuts"], log_dir=folder / "logs")
    store.close()
    return folder / "store"


@pytest.fixture
def bench(request: pytest.FixtureRequest, nuts_store: Path, tmp_path: Path) -> Iterator[Bench]:
    kind: Kind = request.param
    if kind.needs_nuts:
        shutil.copytree(nuts_store, tmp_path / "store")
    store = OxigraphStore(tmp_path / "store")
    yield Bench(store, tmp_path)
    store.close()


def import_once(bench: Bench, kind: Kind, files: dict[str, bytes], *,
                junk: dict[str, bytes] | None = None) -> None:
    """Write *files* to a fresh folder, import it, and check the promises."""
    folder = Path(tempfile.mkdtemp(dir=bench.folder))
    try:
        for name, data in {**files, **(junk or {})}.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        before = quads(bench.store)
        graph = importer(kind.name).SOURCE.graph
        try:
            run_import(bench.store, kind.name, [folder], log_dir=folder / "logs")
        except EcographError as refused:
            assert refused.message.strip(), "a refusal must say why"
            assert "not valid RDF" not in refused.message, f"an unchecked value: {refused}"
            assert quads(bench.store) == before, f"a refused import changed the store: {refused}"
            return
        assert_only_valid_iris(bench.store, graph)
    finally:
        shutil.rmtree(folder)


def examples(kind: Kind, share: float = 1.0) -> settings:
    """The fuzz settings for *kind*: the CORDIS network and Horizon imports (with NUTS
    lookups, reconciliation and inference) are the slow ones and get fewer examples."""
    count = FUZZ.max_examples * (0.4 if kind.needs_nuts else 1.0) * share
    return settings(FUZZ, max_examples=max(2, round(count)))


@pytest.mark.parametrize("bench,kind", [(k, k) for k in KINDS], indirect=["bench"],
                         ids=[k.name for k in KINDS])
def test_broken_files_are_refused_or_imported_cleanly(bench: Bench, kind: Kind):
    @examples(kind)
    @given(files=inputs(kind))
    def run(files: dict[str, bytes]) -> None:
        import_once(bench, kind, files)

    run()


JUNK = st.dictionaries(
    st.sampled_from(["junk.csv", "README", ".hidden", "x.tsv", "sub/nuts2021_classification.csv",
                     "cordisref-junk.csv", "project.csv.bak", "organization_x.csv",
                     "iso_3166-1.json.gz", "ror_europe_flat.csv.tmp"]),
    st.binary(max_size=200) | st.sampled_from(EVIL).map(lambda s: s.encode("utf-8",
                                                                          "surrogatepass")),
    max_size=4)


@pytest.mark.parametrize("bench,kind", [(k, k) for k in KINDS], indirect=["bench"],
                         ids=[k.name for k in KINDS])
def test_junk_beside_the_real_files_is_ignored_or_refused(bench: Bench, kind: Kind):
    files = ({"iso_3166-1.json": ISO_TEXT.encode()} if kind.name == "iso3166" else
             {n: "".join(SEEDS[kind.name][n]).encode("utf-8") for n in kind.files})

    @examples(kind, share=0.25)
    @given(junk=JUNK)
    def run(junk: dict[str, bytes]) -> None:
        import_once(bench, kind, files, junk=junk)

    run()


# --- findings, each kept as a regression case ------------------------------------------------


def with_cell(kind: Kind, name: str, column: str, value: str, row: int = 1) -> dict[str, bytes]:
    """The kind's seed files with *value* in *column* of record *row* of file *name*."""
    files = {n: "".join(SEEDS[kind.name][n]) for n in kind.files}
    delimiter = delimiter_of(kind, name)
    records = list(SEEDS[kind.name][name])
    header = [h.strip('"') for h in records[0].rstrip("\r\n").lstrip("\ufeff").split(delimiter)]
    cells = records[row].rstrip("\r\n").split(delimiter)
    cells[header.index(column)] = value
    records[row] = delimiter.join(cells) + "\n"
    files[name] = "".join(records)
    return {n: text.encode("utf-8") for n, text in files.items()}


KIND = {kind.name: kind for kind in KINDS}
#: (kind, file, column, value): each crashed an importer with a ValueError or a SyntaxError
#: from Oxigraph's strict parser; now the bad value is skipped or repaired and the import
#: accepted (one is refused by a check: the country it names lost its only English name).
CELL_FINDINGS = [
    ("nuts", "nuts2016_to_nuts2021_changes.csv", "code_2016", "Q1 x"),
    ("cordis-network", "h2020_projects.tsv", "programme", "???"),
    ("cordis-horizon", "project_sample100.csv", "legalBasis", "???"),
    ("ror", "ror_europe_flat.csv", "labels", "x@en-123456789"),
    ("ror", "ror_europe_flat.csv", "labels", "x@en-a"),
    ("cordis-network", "fp7_orgs.csv", "organizationUrl", f"http://{MARK}/%zz"),
    ("cordis-network", "fp7_orgs.csv", "organizationUrl", "http://[::1"),
    ("cordis-network", "fp7_orgs.csv", "organizationUrl", "http://a.example/\ufffe"),
    ("cordis-horizon", "organization_sample100.csv", "organizationURL", f"http://{MARK}/%zz"),
    ("cordis-network", "fp7_orgs.csv", "country", "ÄÖ"),
    ("cordis-reference", "cordisref-countries.csv", "isoCode", "ÉÉ"),
    ("cordis-reference", "cordisref-countries.csv", "language", "éé"),
]


@pytest.mark.parametrize("bench,kind,name,column,value",
                         [(KIND[k], KIND[k], n, c, v) for k, n, c, v in CELL_FINDINGS],
                         indirect=["bench"], ids=[f"{k}-{c}-{v!r}" for k, _, c, v in CELL_FINDINGS])
def test_found_bad_cells_are_skipped_or_repaired(bench: Bench, kind: Kind, name: str,
                                                 column: str, value: str):
    files = with_cell(kind, name, column, value)
    folder = bench.folder / "input"
    folder.mkdir()
    for file, data in files.items():
        (folder / file).write_bytes(data)
    before = quads(bench.store)
    if value == "éé":
        with pytest.raises(ValidationFailedError):
            run_import(bench.store, kind.name, [folder], log_dir=bench.folder / "logs")
        assert quads(bench.store) == before
        return
    outcome = run_import(bench.store, kind.name, [folder], log_dir=bench.folder / "logs")
    assert outcome.tally.written > 0
    assert outcome.tally.skipped + sum(outcome.tally.repairs.values()) > 0
    assert_only_valid_iris(bench.store, importer(kind.name).SOURCE.graph)


#: ISO 3166 files that crashed the importer (UnicodeDecodeError, RecursionError).
ISO_FINDINGS = {
    "not UTF-8": b'{"3166-1": [{"alpha_2": "R\xff", "name": "x"}]}',
    "latin-1 name": '{"3166-1": [{"alpha_2": "RO", "name": "Rom\u00e2nia"}]}'.encode("latin-1"),
    "nested 200,000 deep": b'{"3166-1": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
}


@pytest.mark.parametrize("bench", [KIND["iso3166"]], indirect=True)
@pytest.mark.parametrize("name", list(ISO_FINDINGS))
def test_found_bad_iso_files_are_refused_clearly(bench: Bench, name: str):
    (bench.folder / "iso_3166-1.json").write_bytes(ISO_FINDINGS[name])
    before = quads(bench.store)
    with pytest.raises(InputError, match=r"iso_3166-1.json: (not UTF-8|JSON nested too deeply)"):
        run_import(bench.store, "iso3166", [bench.folder / "iso_3166-1.json"],
                   log_dir=bench.folder / "logs")
    assert quads(bench.store) == before


@pytest.mark.parametrize("bench", [KIND["iso3166"]], indirect=True)
def test_country_codes_are_two_ascii_letters(bench: Bench):
    document = {"3166-1": [{"alpha_2": "ÉÉ", "name": "x"}, {"alpha_2": "ß", "name": "y"},
                           {"alpha_2": ["R", "O"], "name": "z"}, {"alpha_2": "ro", "name": "R"}]}
    (bench.folder / "iso_3166-1.json").write_text(json.dumps(document), encoding="utf-8")
    outcome = run_import(bench.store, "iso3166", [bench.folder], log_dir=bench.folder / "logs")
    assert (outcome.tally.written, outcome.tally.skipped) == (1, 3)
    assert_only_valid_iris(bench.store, "iso-3166")


# --- local files only: no SSRF through the importers -----------------------------------------


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP listener on 127.0.0.1 that records every connection's first bytes."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    received.append(connection.recv(4096) or b"(connected)")
                except OSError:
                    received.append(b"(connected)")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.getsockname()[1]}", received
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


@pytest.mark.parametrize("bench,kind", [(k, k) for k in KINDS], indirect=["bench"],
                         ids=[k.name for k in KINDS])
def test_urls_are_refused_without_a_request(bench: Bench, kind: Kind,
                                            listener: tuple[str, list[bytes]]):
    address, received = listener
    name = kind.files[0]
    before = quads(bench.store)
    for url in (f"http://{address}/{name}", f"https://{address}/{name}",
                f"file://{address}/{name}", f"file:///{REAL / kind.folder / name}",
                f"ftp://{address}/{name}", f"HTTP://{address}/"):
        with pytest.raises(InputError, match="importers read local files only, not URLs"):
            run_import(bench.store, kind.name, [Path(url)], log_dir=bench.folder / "logs")
    assert received == []
    assert quads(bench.store) == before


@pytest.mark.parametrize("bench", [KIND["iso3166"]], indirect=True)
def test_a_fifo_or_device_is_refused_not_read(bench: Bench):
    os.mkfifo(bench.folder / "iso_3166-1.json")
    for path in (bench.folder / "iso_3166-1.json", Path("/dev/zero")):
        with pytest.raises(InputError, match="not a regular file"):
            run_import(bench.store, "iso3166", [path], log_dir=bench.folder / "logs")
    # In a folder, a FIFO with the expected name is not taken for the file.
    with pytest.raises(InputError, match="no iso3166 files"):
        run_import(bench.store, "iso3166", [bench.folder], log_dir=bench.folder / "logs")


# --- the real CLI: exit codes and no traceback ------------------------------------------------


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ECOGRAPH, "import", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def test_the_cli_refuses_a_url_with_exit_2_and_no_request(tmp_path: Path,
                                                          listener: tuple[str, list[bytes]]):
    address, received = listener
    done = cli("nuts", f"http://{address}/nuts2021_classification.csv", "--store",
               str(tmp_path / "store"), "--log-dir", str(tmp_path / "logs"), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: ") and "local files only" in done.stderr
    assert "Traceback" not in done.stderr
    assert received == []
    assert not (tmp_path / "store").exists(), "the store was opened for a refused import"


@pytest.mark.parametrize("case", ["ISO file not UTF-8", "bad programme code"])
def test_the_cli_gives_a_clear_error_or_imports(case: str, tmp_path: Path, nuts_store: Path):
    store = tmp_path / "store"
    shutil.copytree(nuts_store, store)
    folder = tmp_path / "input"
    folder.mkdir()
    if case == "ISO file not UTF-8":
        (folder / "iso_3166-1.json").write_bytes(ISO_FINDINGS["not UTF-8"])
        kind, expected, message = "iso3166", 2, "not UTF-8"
    else:
        for name, data in with_cell(KIND["cordis-network"], "h2020_projects.tsv", "programme",
                                    "???").items():
            (folder / name).write_bytes(data)
        kind, expected, message = "cordis-network", 0, "cordis-network: read"
    with OxigraphStore(store) as opened:
        before = quads(opened)
    done = cli(kind, str(folder), "--store", str(store), "--log-dir", str(tmp_path / "logs"),
               cwd=tmp_path)
    assert done.returncode == expected, done.stderr
    assert "Traceback" not in done.stderr
    assert message in (done.stdout if expected == 0 else done.stderr)
    if expected:
        assert done.stderr.splitlines()[-1].startswith("error: ")
        with OxigraphStore(store) as opened:
            assert quads(opened) == before
