"""Derived data: region-collaboration edges computed from the stored data after inference.

The data flow is ``load → validate → store → infer → derive``. The edges live in their
own graph, :data:`ecograph.graphs.REGION_COLLABORATION`, as ``ecograph:RegionCollaboration``
resources (two regions of one NUTS level, optionally a framework programme, and the
number of projects they share), so that "which regions share projects" is a lookup.

Public surface:

- :func:`derive_edges` — recompute every edge (one atomic SPARQL Update);
- :func:`after_write` — the same after a load or import, never raising;
- :func:`prepare` / :func:`keep_in_step` — around a committed change: read the touched
  projects' edges before, adjust just those edges after;
- :mod:`ecograph.derive.edges` and :mod:`ecograph.derive.sparql` — the pure parts.
"""

from __future__ import annotations

from ecograph.derive.maintain import (
    DeriveOutcome,
    Pending,
    after_change,
    after_write,
    before_change,
    derive_edges,
    keep_in_step,
    prepare,
)

__all__ = ["DeriveOutcome", "Pending", "after_change", "after_write", "before_change",
           "derive_edges", "keep_in_step", "prepare"]
