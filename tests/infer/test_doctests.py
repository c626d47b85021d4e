"""The examples in the inference modules' docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["ecograph.infer.restrict", "ecograph.infer.materialise", "ecograph.infer.schema",
           "ecograph.infer.closure", "ecograph.infer.reference", "ecograph.infer.consistency"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0


def test_public_surface_is_sorted_and_complete():
    import ecograph.infer as infer

    assert infer.__all__ == sorted(infer.__all__)
    assert all(hasattr(infer, name) for name in infer.__all__)
