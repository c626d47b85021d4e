"""Every URL the endpoint writes, built in one place from the address it is served at."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request


class Urls:
    """The endpoint's URLs under *root* (``http://host:port``, no trailing slash)."""

    def __init__(self, root: str) -> None:
        self.root = root.rstrip("/")

    @classmethod
    def of(cls, request: Request) -> Urls:
        """The URLs as seen by the client of *request*."""
        return cls(str(request.base_url))

    def sparql(self) -> str:
        return f"{self.root}/sparql"

    def store(self, graph: str | None = None, *, default: bool = False) -> str:
        if default:
            return f"{self.root}/store?default"
        if graph is None:
            return f"{self.root}/store"
        return f"{self.root}/store?{urlencode({'graph': graph})}"

    def new_graph(self, key: str) -> str:
        """The IRI of a graph created by POST to the store: served at that very URL."""
        return f"{self.root}/store/{key}"

    def queries(self) -> str:
        return f"{self.root}/queries"

    def query(self, name: str, params: dict[str, str] | None = None) -> str:
        suffix = f"?{urlencode(params)}" if params else ""
        return f"{self.root}/queries/{name}{suffix}"

    def static(self, path: str) -> str:
        return f"{self.root}/-/static/{path}"

    def health(self) -> str:
        return f"{self.root}/-/health"

    def version(self) -> str:
        return f"{self.root}/-/version"

    def void(self) -> str:
        return f"{self.root}/-/void"

    def openapi(self) -> str:
        return f"{self.root}/openapi.json"
