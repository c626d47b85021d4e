"""What the running endpoint holds: settings, the store, the query pool, the answer cache."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from ecograph.config import Settings
from ecograph.queries import NamedQuery
from ecograph.store.base import Store
from ecograph.web.cache import AnswerCache
from ecograph.web.direct import DirectPool
from ecograph.web.pool import QueryPool


@dataclass
class EndpointState:
    """The resources opened by the app's lifespan, closed when it ends."""

    settings: Settings
    store: Store
    pool: QueryPool | DirectPool
    cache: AnswerCache
    catalogue: dict[str, NamedQuery] = field(default_factory=dict)
    #: (version, triples per named graph, triples in the default graph), for the description.
    sizes: tuple[int, dict[str, int], int] | None = None


def state_of(request: Request) -> EndpointState:
    """The endpoint state of the app serving *request*."""
    return request.app.state.endpoint
