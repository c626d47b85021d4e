"""HTTP for the remote backend: auth, timeouts, retries of idempotent requests, clear errors.

Every request to a SPARQL server goes through :class:`SparqlHttp`. It retries only what
is safe to repeat (queries, Graph Store reads, ``PUT`` of a staging graph) on connection
failures and on 429/502/503/504 answers, with exponential backoff; an update is sent once.
Each failure becomes a :class:`RemoteError` (a ``StoreError``) naming the endpoint, what
was being done, the HTTP status and the server's own message. Credentials never appear
in a message: URLs are shown without their user-info and auth headers are never logged.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from ecograph.errors import QuerySyntaxError, QueryTimeoutError, StoreError

#: Answers worth retrying for an idempotent request.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
_MESSAGE_LIMIT = 600


class RemoteError(StoreError):
    """A request to the remote SPARQL server failed; carries where, what and why."""

    def __init__(self, endpoint: str, action: str, reason: str, status: int | None = None,
                 server_message: str | None = None) -> None:
        self.endpoint = endpoint
        self.action = action
        self.status = status
        self.server_message = server_message
        text = f"{action} at {endpoint} failed: {reason}"
        if server_message:
            text += f"\nserver said: {server_message}"
        super().__init__(text)


class UnreachableError(RemoteError):
    """The server could not be reached at all (refused, unknown host, connect timeout)."""


class UnsupportedOperationError(RemoteError):
    """The server does not offer an operation ecograph needs (e.g. SPARQL Update)."""


def redact(url: str) -> str:
    """Return *url* without user-info, so a password never reaches a message or a log.

    >>> redact("http://alice:secret@example.org:8890/sparql")
    'http://example.org:8890/sparql'
    """
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def auth_from(spec: str | None, url: str) -> httpx.Auth | None:
    """Build auth from ``basic USER:PASSWORD`` / ``bearer TOKEN`` or the URL's user-info."""
    if spec:
        scheme, _, secret = spec.strip().partition(" ")
        if not secret:
            scheme, _, secret = spec.strip().partition(":")
        scheme = scheme.lower()
        if scheme == "basic" and ":" in secret:
            user, _, password = secret.partition(":")
            return httpx.BasicAuth(user, password)
        if scheme == "bearer" and secret:
            return _Bearer(secret.strip())
        raise StoreError("ECOGRAPH_REMOTE_AUTH must be 'basic USER:PASSWORD' or "
                         "'bearer TOKEN' (the value is not shown)")
    parts = urlsplit(url)
    if parts.username:
        return httpx.BasicAuth(parts.username, parts.password or "")
    return None


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def __repr__(self) -> str:  # never show the token
        return "<bearer auth>"


@dataclass(frozen=True)
class HttpSettings:
    """Timeouts and retries of the remote backend (from ``ECOGRAPH_REMOTE_*``)."""

    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.2

    @classmethod
    def from_environment(cls) -> HttpSettings:
        def number(name: str, default: float) -> float:
            raw = os.environ.get(name)
            try:
                return float(raw) if raw else default
            except ValueError as exc:
                raise StoreError(f"{name} must be a number, not {raw!r}") from exc

        return cls(connect_timeout=number("ECOGRAPH_REMOTE_CONNECT_TIMEOUT", 5.0),
                   read_timeout=number("ECOGRAPH_REMOTE_TIMEOUT", 60.0),
                   retries=int(number("ECOGRAPH_REMOTE_RETRIES", 3)))


def server_message(response: httpx.Response) -> str:
    """The server's explanation in a failed answer, made short and readable."""
    try:
        text = response.read().decode(response.encoding or "utf-8", "replace").strip()
    except httpx.HTTPError:
        return ""
    if "html" in response.headers.get("content-type", "").lower():
        import re

        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= _MESSAGE_LIMIT else text[:_MESSAGE_LIMIT] + "…"


class SparqlHttp:
    """An httpx client for one server: retries, timeouts and error translation."""

    def __init__(self, settings: HttpSettings | None = None, auth: httpx.Auth | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings or HttpSettings.from_environment()
        timeout = httpx.Timeout(self.settings.read_timeout,
                                connect=self.settings.connect_timeout)
        self._client = httpx.Client(auth=auth, timeout=timeout, transport=transport,
                                    headers={"User-Agent": "ecograph"},
                                    follow_redirects=True)

    def close(self) -> None:
        self._client.close()

    @contextmanager
    def stream(self, method: str, url: str, *, action: str, idempotent: bool,
               timeout: float | None = None, query_error: bool = False,
               ok: Iterable[int] = (), content: Callable[[], bytes | Iterator[bytes]]
               | None = None, **kwargs: object) -> Iterator[httpx.Response]:
        """Send a request and yield the streamed response once it answered with success.

        *content* is a factory so that a retried request sends its body again. Statuses in
        *ok* are handed back instead of raised (e.g. 404 to say a graph is unknown).
        With *query_error*, a 400 answer raises ``QuerySyntaxError`` with the server's
        message; a read timeout raises ``QueryTimeoutError``.
        """
        shown = redact(url)
        attempts = 1 + (self.settings.retries if idempotent else 0)
        extra: dict[str, object] = dict(kwargs)
        if timeout is not None:
            extra["timeout"] = httpx.Timeout(timeout, connect=self.settings.connect_timeout)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            if content is not None:
                extra["content"] = content()
            try:
                request = self._client.build_request(method, url, **extra)  # type: ignore[arg-type]
                response = self._client.send(request, stream=True)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if last:
                    raise UnreachableError(shown, action, f"cannot connect ({_why(exc)}); "
                                           "is the server running and the URL right?") from exc
                self._pause(attempt)
                continue
            except httpx.TimeoutException as exc:
                if query_error:
                    raise QueryTimeoutError(f"{action} at {shown} got no answer within the "
                                            f"time limit ({_why(exc)})") from exc
                raise RemoteError(shown, action, f"no answer in time ({_why(exc)})") from exc
            except httpx.TransportError as exc:
                if last or not idempotent:
                    raise RemoteError(shown, action, f"the connection failed ({_why(exc)})"
                                      ) from exc
                self._pause(attempt)
                continue
            try:
                if response.is_success or response.status_code in ok:
                    yield response
                    return
                if response.status_code in RETRY_STATUSES and not last:
                    response.close()
                    self._pause(attempt, response.headers.get("retry-after"))
                    continue
                raise self._failure(response, shown, action, query_error)
            except httpx.TimeoutException as exc:
                raise RemoteError(shown, action, f"the answer stalled ({_why(exc)})") from exc
            except httpx.TransportError as exc:
                raise RemoteError(shown, action, f"the answer broke off ({_why(exc)})") from exc
            finally:
                response.close()

    def send(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        """Like :meth:`stream` but read the whole answer (for small answers)."""
        with self.stream(method, url, **kwargs) as response:  # type: ignore[arg-type]
            response.read()
            return response

    def _pause(self, attempt: int, retry_after: str | None = None) -> None:
        delay = self.settings.backoff * (2 ** attempt) * (1 + random.random() / 2)
        if retry_after and retry_after.isdigit():
            delay = min(float(retry_after), 10.0)
        time.sleep(delay)

    @staticmethod
    def _failure(response: httpx.Response, shown: str, action: str,
                 query_error: bool) -> Exception:
        status = response.status_code
        message = server_message(response)
        reason = f"HTTP {status} {response.reason_phrase}".rstrip()
        if query_error and status == 400:
            return QuerySyntaxError(f"the server at {shown} rejected the {action}: "
                                    f"{message or reason}")
        if status in (401, 403):
            return UnsupportedOperationError(
                shown, action, f"{reason}: the server refuses (read-only, or credentials "
                "missing or wrong: see ECOGRAPH_REMOTE_AUTH)", status, message)
        if status in (404, 405, 501) and not query_error:
            return UnsupportedOperationError(shown, action, f"{reason}: the server does not "
                                             "offer this here", status, message)
        return RemoteError(shown, action, reason, status, message)


def _why(exc: Exception) -> str:
    return str(exc) or type(exc).__name__
