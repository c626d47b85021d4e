"""Who may do what: bearer tokens (RFC 6750) with the scopes ``read``, ``write``, ``admin``.

Writes are off unless the server is started with ``--writable``; then each write needs a
token whose scope covers it (:mod:`ecograph.web.scopes` says which one). A private server
(``--private``) also wants a ``read`` token for every read (:class:`PrivateReads`).

No token, or one the server does not know: ``401`` with ``WWW-Authenticate``. A known token
whose scope is too low: ``403`` with ``error="insufficient_scope"`` and the scope needed,
also in the JSON body. Tokens are compared by hash in constant time
(:func:`ecograph.tokens.identify`); only token *names* are ever logged or recorded (as the
change's agent in the change log).
"""

from __future__ import annotations

import logging

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from ecograph.config import Settings
from ecograph.tokens import Scope as TokenScope
from ecograph.tokens import Token, identify, token_table
from ecograph.web import gate
from ecograph.web.errors import HTTPProblem, render
from ecograph.web.negotiation import choose

log = logging.getLogger("ecograph.web")
_REALM = 'Bearer realm="ecograph"'
#: Paths a private server answers without a token: liveness and the shipped assets.
PUBLIC_PATHS = ("/-/health", "/problems")
#: the error types a refusal's ``type`` IRI names hold no data: a client refused for want
#: of a token can still read what its refusal means
PUBLIC_PREFIXES = ("/-/static/", "/problems/")


def tokens_of(request: Request, settings: Settings) -> tuple[Token, ...]:
    """The tokens the server accepts (read once when the app was built)."""
    table = getattr(request.app.state, "tokens", None)
    if table is None:
        table = token_table(settings.token, settings.tokens_file)
    return table


def bearer(headers: Headers) -> str | None:
    """The credentials of an ``Authorization: Bearer`` header, or None."""
    scheme, _, credentials = headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def authenticate(headers: Headers, tokens: tuple[Token, ...], needs: str) -> Token:
    """The token the request carries; ``HTTPProblem(401)`` when there is none or it is unknown.

    *needs* says what the request is trying to do, for the message.
    """
    credentials = bearer(headers)
    if credentials is None:
        raise HTTPProblem(401, f"{needs}: send a token as 'Authorization: Bearer TOKEN'",
                          type_="Unauthorized", headers={"WWW-Authenticate": _REALM})
    token = identify(tokens, credentials)
    if token is None:
        raise HTTPProblem(401, "the bearer token is not one this server accepts",
                          type_="Unauthorized",
                          headers={"WWW-Authenticate": f'{_REALM}, error="invalid_token"'})
    return token


def require_scope(token: Token, scope: TokenScope, what: str) -> None:
    """``HTTPProblem(403)`` naming the scope needed unless *token* has *scope*."""
    if token.scope >= scope:
        return
    log.warning("ecograph: token %r (scope %s) refused: %s needs scope %s",
                token.name, token.scope.word, what, scope.word)
    raise HTTPProblem(403, f"{what} needs a token with the {scope.word!r} scope; this token "
                           f"has {token.scope.word!r}", type_="InsufficientScope",
                      headers={"WWW-Authenticate": f'{_REALM}, error="insufficient_scope", '
                                                   f'scope="{scope.word}"'},
                      scope=scope.word, granted=token.scope.word)


def _record_agent(request: Request, token: Token) -> None:
    """Name the token as the agent of the change this request makes (the change log's
    ``prov:wasAssociatedWith``); a ``From`` header is kept beside it. The single
    ``--token`` keeps the old behaviour (``From``, else ``token``)."""
    if token.legacy:
        return
    sender = request.headers.get("from", "").strip()[:200]
    gate.current().agent = f"{sender} (token {token.name})" if sender else token.name


def require_writer(request: Request, settings: Settings,
                   scope: TokenScope = TokenScope.WRITE) -> Token:
    """The token of a request that writes; raise ``HTTPProblem`` unless it may.

    Writes disabled → 403; no ``Authorization: Bearer`` or an unknown token → 401; a token
    without *scope* → 403 naming it.
    """
    tokens = tokens_of(request, settings)
    if not settings.writable or not tokens:
        raise HTTPProblem(403, "writes are disabled on this server; start it with "
                               "'ecograph serve --writable --tokens FILE' (or --token) to "
                               "allow them", type_="WritesDisabled")
    what = f"{request.method} {request.url.path}"
    token = authenticate(request.headers, tokens, "this request writes to the store")
    require_scope(token, scope, what)
    _record_agent(request, token)
    return token


def is_public(scope: Scope) -> bool:
    """Whether a private server answers this request without a token: ``/-/health``, the
    static assets, and the query page itself (``GET /sparql`` with no parameters, for a
    browser; it holds no data, and the queries it sends need the token)."""
    path: str = scope["path"]
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
        return True
    if path == "/sparql" and scope["method"] in ("GET", "HEAD") and not scope["query_string"]:
        from ecograph.web.routes.sparql import DESCRIPTION_OFFERS

        accept = Headers(scope=scope).get("accept")
        return choose(accept, DESCRIPTION_OFFERS) == "text/html"
    return False


class PrivateReads:
    """ASGI middleware of a private server: every request but :func:`is_public` ones needs a
    token with the ``read`` scope (writes then need theirs in the route); ``401`` otherwise.

    It sits in front of the answer cache, so a recorded answer is never replayed to a
    client without a token.
    """

    def __init__(self, app: ASGIApp, tokens: tuple[Token, ...]) -> None:
        self.app = app
        self.tokens = tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_public(scope):
            await self.app(scope, receive, send)
            return
        try:
            authenticate(Headers(scope=scope), self.tokens, "this server is private")
        except HTTPProblem as problem:
            response = render(Request(scope, receive), problem, echo=False)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
