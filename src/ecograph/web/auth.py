"""Who may write: writes are off unless enabled, and then need the bearer token (RFC 6750)."""

from __future__ import annotations

import hmac

from starlette.requests import Request

from ecograph.config import Settings
from ecograph.web.errors import HTTPProblem

_REALM = 'Bearer realm="ecograph"'


def require_writer(request: Request, settings: Settings) -> None:
    """Raise ``HTTPProblem`` unless *request* may write.

    Writes disabled → 403; no ``Authorization: Bearer`` → 401; a wrong token → 401 with
    ``error="invalid_token"``. The token is compared in constant time.
    """
    if not settings.writable or not settings.token:
        raise HTTPProblem(403, "writes are disabled on this server; start it with "
                               "'ecograph serve --writable --token TOKEN' to allow them",
                          type_="WritesDisabled")
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise HTTPProblem(401, "this request writes to the store: send the server's token "
                               "as 'Authorization: Bearer TOKEN'",
                          type_="Unauthorized", headers={"WWW-Authenticate": _REALM})
    if not hmac.compare_digest(credentials.strip().encode("utf-8"),
                               settings.token.encode("utf-8")):
        raise HTTPProblem(401, "the bearer token is not the server's token",
                          type_="Unauthorized",
                          headers={"WWW-Authenticate": f'{_REALM}, error="invalid_token"'})
