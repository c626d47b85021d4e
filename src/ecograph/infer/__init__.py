"""OWL 2 RL inference: the ontology's entailments, materialised in their own named graph.

Public surface:

- :func:`materialise` — recompute the inferred graph of a store (full run);
- :func:`update_inferences` — maintain it after a committed change (incremental);
- :func:`asserted_graphs` — the default graphs that leave inferences out of a query;
- :func:`infer` — the restricted closure of triples in memory (no store);
- :func:`reference_closure` — owlrl's closure under the same restriction (the reference).
"""

from __future__ import annotations

from ecograph.infer.closure import Inference, infer
from ecograph.infer.consistency import Clash
from ecograph.infer.materialise import (
    InferenceOutcome,
    asserted_graphs,
    input_graphs,
    materialise,
    update_inferences,
)
from ecograph.infer.reference import reference_closure

__all__ = [
    "Clash",
    "Inference",
    "InferenceOutcome",
    "asserted_graphs",
    "infer",
    "input_graphs",
    "materialise",
    "reference_closure",
    "update_inferences",
]
