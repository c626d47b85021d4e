"""Access tokens and their scopes: the tokens file, fresh tokens, and who a bearer token is.

A tokens file names each token by the SHA-256 hash of its text, never the token itself,
one token a line (blank lines and ``#`` comments are ignored)::

    # hash of the token                                                       name     scope
    sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8  curator  write

The scope is ``read``, ``write`` or ``admin`` (or a comma-separated list of them; the
highest counts): ``admin`` implies ``write``, which implies ``read``. ``ecograph token new
NAME --scope write`` makes a random token and prints it once with its line. The single
``--token`` / ``ECOGRAPH_TOKEN`` of a server is an ``admin`` token named ``token``.

:func:`identify` hashes the offered token and compares it with every entry in constant
time (``hmac.compare_digest``), without stopping at the first match.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from ecograph.config import Settings
from ecograph.errors import InputError

_HASH = re.compile(r"sha256:([0-9a-f]{64})")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
#: The name the server's single ``--token`` goes by (it is also the change log's agent).
LEGACY_NAME = "token"


class Scope(IntEnum):
    """What a token may do; each scope includes the ones below it."""

    READ = 1
    WRITE = 2
    ADMIN = 3

    @property
    def word(self) -> str:
        return self.name.lower()

    @classmethod
    def of(cls, text: str) -> Scope:
        """The highest scope of ``read``, ``write``, ``admin`` or a comma-separated list."""
        words = [w.strip().lower() for w in text.split(",") if w.strip()]
        unknown = [w for w in words if w.upper() not in cls.__members__]
        if not words or unknown:
            raise ValueError(f"unknown scope {', '.join(unknown) or repr(text)}: use read, "
                             "write or admin")
        return max(cls[w.upper()] for w in words)


@dataclass(frozen=True)
class Token:
    """A token the server accepts: its name, the SHA-256 of its text and its scope."""

    name: str
    digest: bytes
    scope: Scope
    legacy: bool = False

    def describe(self) -> str:
        return f"{self.name} ({self.scope.word})"


def digest_of(token: str) -> bytes:
    """The SHA-256 of a token's text (what a tokens file holds, in hex)."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def new_token() -> str:
    """A fresh random token: 32 bytes from the OS's secure source, URL-safe text."""
    return secrets.token_urlsafe(32)


def line_for(token: str, name: str, scope: Scope) -> str:
    """The tokens-file line for *token*.

    >>> line_for("password", "curator", Scope.WRITE)[:20]
    'sha256:5e884898da280'
    """
    check_name(name)
    return f"sha256:{digest_of(token).hex()}  {name}  {scope.word}"


def check_name(name: str) -> str:
    """*name* if it can name a token (letters, digits, ``._@-``, at most 64), else ValueError."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"token name {name!r} is not allowed: use letters, digits, '.', '_', "
                         "'@' and '-' (at most 64, starting with a letter or digit)")
    return name


def _parse_line(line: str) -> Token:
    fields = line.split()
    if len(fields) != 3:
        raise ValueError(f"expected 3 fields (sha256:HASH NAME SCOPE), found {len(fields)}")
    found = _HASH.fullmatch(fields[0].lower())
    if found is None:
        # Never quote the field: a raw token put here by mistake must not reach a log.
        raise ValueError("the first field must be sha256: and the 64 hex digits of the "
                         "token's SHA-256 hash, never the token itself (make one with "
                         "'ecograph token new NAME')")
    return Token(check_name(fields[1]), bytes.fromhex(found[1]), Scope.of(fields[2]))


def parse_tokens(text: str, source: str = "the tokens file") -> tuple[Token, ...]:
    """The tokens of a tokens file's *text*; ``InputError`` naming every bad line."""
    tokens: list[Token] = []
    problems: list[str] = []
    names: dict[str, int] = {}
    digests: dict[bytes, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            token = _parse_line(line)
        except ValueError as exc:
            problems.append(f"line {number}: {exc}")
            continue
        if token.name in names:
            problems.append(f"line {number}: the name {token.name!r} is already used on line "
                            f"{names[token.name]}")
            continue
        if token.digest in digests:
            problems.append(f"line {number}: the same token is already listed on line "
                            f"{digests[token.digest]}")
            continue
        names[token.name], digests[token.digest] = number, number
        tokens.append(token)
    if problems:
        raise InputError(f"{source} has {len(problems)} bad line(s):\n  " +
                         "\n  ".join(problems))
    return tuple(tokens)


def read_tokens(path: Path) -> tuple[Token, ...]:
    """The tokens listed in the file at *path*; ``InputError`` if it is unreadable or bad."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InputError(f"cannot read the tokens file {path}: {reason}") from None
    return parse_tokens(text, f"the tokens file {path}")


def token_table(single: str | None, tokens_file: Path | None) -> tuple[Token, ...]:
    """Every token a server accepts: the tokens file's, and *single* as an ``admin`` token."""
    table = read_tokens(tokens_file) if tokens_file is not None else ()
    if single:
        table += (Token(LEGACY_NAME, digest_of(single), Scope.ADMIN, legacy=True),)
    return table


def access_tokens(settings: Settings) -> tuple[Token, ...]:
    """The tokens a server with *settings* accepts; ``InputError`` when the tokens file is
    bad or the settings ask for what no token could do (writes, a private server)."""
    table = token_table(settings.token, settings.tokens_file)
    best = highest(table)
    if settings.writable and (best is None or best < Scope.WRITE):
        raise InputError("writes need a token with the write scope: give --tokens FILE "
                         "(ECOGRAPH_TOKENS_FILE) or --token (ECOGRAPH_TOKEN) with --writable")
    if settings.private and not table:
        raise InputError("a private server needs tokens: give --tokens FILE "
                         "(ECOGRAPH_TOKENS_FILE) or --token (ECOGRAPH_TOKEN) with --private")
    return table


def identify(tokens: Iterable[Token], offered: str) -> Token | None:
    """The token whose hash matches *offered*'s, compared with every entry in constant time.

    The loop never stops early, so the answer's timing does not tell which entry matched
    or how far a guess got; with two entries of one token, the higher scope wins.
    """
    wanted = digest_of(offered)
    found: Token | None = None
    for token in tokens:
        if hmac.compare_digest(wanted, token.digest) and (found is None
                                                          or token.scope > found.scope):
            found = token
    return found


def highest(tokens: Sequence[Token]) -> Scope | None:
    """The highest scope any of *tokens* has (None when there are none)."""
    return max((t.scope for t in tokens), default=None)
