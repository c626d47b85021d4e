"""An accepted change keeps the inferred graph in step; its revert takes the inferences back."""

from __future__ import annotations

from rdflib import URIRef

from ecograph import graphs
from ecograph.bundle import Bundle
from ecograph.changes import ChangeSet
from ecograph.curation import Rules, revert, submit
from ecograph.namespaces import ECOGRAPH, ID
from ecograph.store.embedded import OxigraphStore

RAYSCAPE = URIRef(ID["organisation/rayscape"])
MEDIC_NEST = URIRef(ID["network/medic-nest"])


def inferred(store: OxigraphStore, s: URIRef, p: URIRef, o: URIRef) -> bool:
    answer = store.query(f"ASK {{ <{s}> <{p}> <{o}> }}", default_graphs=[graphs.INFERRED])
    return bool(answer.value)  # type: ignore[union-attr]


def test_change_and_revert_update_the_inferred_graph(loaded_store: OxigraphStore,
                                                     bundle: Bundle) -> None:
    assert graphs.INFERRED in loaded_store.graphs()
    assert not inferred(loaded_store, MEDIC_NEST, ECOGRAPH.hasMember, RAYSCAPE)
    rules = Rules.from_store(loaded_store, bundle)
    change = ChangeSet(additions={(RAYSCAPE, ECOGRAPH.memberOf, MEDIC_NEST,
                                   graphs.source_graph("imago-mol-article"))})
    outcome = submit(loaded_store, change, rules, agent="test", message="Rayscape joins")
    assert outcome.written
    assert inferred(loaded_store, MEDIC_NEST, ECOGRAPH.hasMember, RAYSCAPE)
    revert(loaded_store, outcome.change_id, rules, agent="test")  # type: ignore[arg-type]
    assert not inferred(loaded_store, MEDIC_NEST, ECOGRAPH.hasMember, RAYSCAPE)
