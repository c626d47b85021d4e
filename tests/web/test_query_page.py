"""The query page in headless Chromium: YASGUI from the package runs a named query offline."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def dump_dom(url: str, profile: str) -> str:
    """Load *url* in headless Chromium with every host but 127.0.0.1 unreachable."""
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={profile}",
        # no internet: any host name other than the server's address fails to resolve
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--virtual-time-budget=20000", "--dump-dom", url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def chromium() -> str:
    if not shutil.which(CHROMIUM):
        pytest.fail("chromium is not installed (apt-get install chromium; scripts/setup.sh "
                    "installs it)")
    return CHROMIUM


def test_a_named_query_runs_in_the_page_and_shows_results(chromium, server, tmp_path):
    dom = dump_dom(f"{server.sparql}#example=org-projects", str(tmp_path / "profile"))
    table = re.search(r"<table[^>]*dataTable.*?</table>", dom, re.S)
    assert table is not None, "no results table was drawn"
    rows = re.findall(r"<tr[^>]*class=\"(?:odd|even)\"", table.group())
    assert len(rows) == 4
    assert "IMAGO-MOL" in table.group()
    assert 'href="https://w3id.org/ecograph/id/project-lumen"' in table.group()
    assert "Showing 1 to 4 of 4 entries" in dom
    # the editor holds the named query's text
    assert "Projects of an organisation" in dom


def test_the_page_offers_every_named_query_and_the_prefixes(chromium, server, tmp_path):
    dom = dump_dom(server.sparql, str(tmp_path / "profile"))
    assert 'data-example="org-projects"' in dom and 'data-example="organisations"' in dom
    # the editor starts with the ontology's prefixes
    assert "ecograph:" in dom and "https://w3id.org/ecograph/ontology#" in dom
    assert "CodeMirror" in dom
