"""The streaming reader's mess rules: BOMs, separators in names, mojibake, truncation, bad kinds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ecograph.errors import InputError
from ecograph.importers.tables import (
    Seen,
    Tally,
    clean,
    is_mangled,
    normalise_country,
    parse_decimal,
    read_rows,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def _write(tmp_path: Path, text: str | bytes, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_bom_is_dropped_from_the_first_header(tmp_path):
    path = _write(tmp_path, "\ufeff\"euCode\";\"isoCode\"\r\n\"EL\";\"GR\"\r\n")
    rows = list(read_rows(path, delimiter=";", required=("euCode", "isoCode"), kind="table"))
    assert rows[0].cells == {"euCode": "EL", "isoCode": "GR"}


def test_separator_inside_an_unquoted_name_is_joined_back_and_counted(tmp_path):
    path = _write(tmp_path, "NUTS_ID;NAME_LATN\r\nPS;Palestine; State of\r\nRO21;Nord-Est\r\n")
    tally = Tally()
    rows = list(read_rows(path, delimiter=";", required=("NUTS_ID", "NAME_LATN"),
                          free_text="NAME_LATN", kind="table", tally=tally))
    assert [r.get("NAME_LATN") for r in rows] == ["Palestine; State of", "Nord-Est"]
    assert tally.repairs["';' inside unquoted NAME_LATN"] == 1
    assert tally.read == 2


def test_mojibake_and_entities_are_repaired_and_counted(tmp_path):
    path = _write(tmp_path, 'id;street\r\n1;"Parc d&#39;activitÃ©s"\r\n')
    tally = Tally()
    rows = list(read_rows(path, delimiter=";", required=("id", "street"), kind="t",
                          tally=tally))
    assert rows[0].get("street") == "Parc d'activités"
    assert tally.repairs["mis-decoded characters or HTML entities repaired"] == 1


def test_the_real_fp7_extract_reads_quoted_separators_and_mangled_names():
    tally = Tally()
    rows = list(read_rows(FIXTURES / "cordis-network" / "fp7_orgs.csv", delimiter=";",
                          required=("new_org_id", "name"), free_text="name", kind="t",
                          tally=tally))
    by_id = {r.get("new_org_id"): r for r in rows}
    assert by_id["f5a50715a011a061e4db375d7a2dc4b4"].get("organizationUrl") == \
        "http://www.akeoplus.com; http://www.akeoplus-vision.com"
    mangled = by_id["aee4a9c2b74483607ba42a90eb8710aa"].get("name")
    assert mangled.startswith("'TUDENTSKO DRU'TVO") and is_mangled(mangled)
    assert tally.skipped == 0 and tally.read == len(rows)


def test_a_file_of_the_wrong_kind_names_the_missing_columns(tmp_path):
    path = _write(tmp_path, "projectRcn\tnew_org_id\r\n1\tabc\r\n")
    with pytest.raises(InputError, match=r"not a NUTS table: missing column\(s\) nuts_code"):
        list(read_rows(path, delimiter=",", required=("nuts_code",), kind="NUTS table"))


def test_a_truncated_file_is_an_error_with_its_line(tmp_path):
    path = _write(tmp_path, "a;b;c\r\n1;2;3\r\n4;5")
    with pytest.raises(InputError, match=r"line 3: the file ends in the middle of a record"):
        list(read_rows(path, delimiter=";", required=("a",), kind="t"))


def test_a_short_row_inside_the_file_is_skipped_with_its_reason(tmp_path):
    path = _write(tmp_path, "a;b;c\r\n1;2\r\n4;5;6\r\n")
    tally = Tally()
    rows = list(read_rows(path, delimiter=";", required=("a",), kind="t", tally=tally))
    assert [r.get("a") for r in rows] == ["4"]
    assert tally.skipped == 1 and tally.reasons["2 cells where the header has 3"] == 1


def test_a_binary_file_is_refused_clearly(tmp_path):
    path = _write(tmp_path, b"\x89PNG\r\n\x1a\n\xff\xfe\x00", name="x.csv")
    with pytest.raises(InputError, match="not UTF-8 text"):
        list(read_rows(path, delimiter=",", required=("a",), kind="t"))


def test_decimal_commas_country_codes_and_duplicates():
    assert parse_decimal("230000,00") == Decimal("230000.00")
    assert parse_decimal("856961937,57") == Decimal("856961937.57")
    assert parse_decimal("1.234,5") == Decimal("1234.5")
    assert parse_decimal("n/a") is None
    assert [normalise_country(c) for c in ("EL", "UK", "KO", "RO", "")] == \
        ["GR", "GB", "XK", "RO", None]
    seen = Seen()
    assert seen.add("92257", "abc") and not seen.add("92257", "abc") and len(seen) == 1
    assert clean("  NULL ") == ""
