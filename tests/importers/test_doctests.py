"""The examples in the importers' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["tables", "triples", "nuts", "organisations", "programmes", "reconcile", "ror",
           "countries", "project_dates"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"ecograph.importers.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
