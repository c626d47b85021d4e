"""Settings: where the store is, where the project's files are, and the limits that apply.

Settings are built by :func:`load_settings` from explicit values and ``ECOGRAPH_*``
environment variables, never at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_STORE = Path("var") / "store"


def project_dir() -> Path:
    """Return the folder holding ``ontology/``, ``data/`` and ``queries/``.

    ``ECOGRAPH_PROJECT_DIR`` wins; otherwise the checkout this package was installed from.
    """
    env = os.environ.get("ECOGRAPH_PROJECT_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """Every setting ecograph reads; see the README's settings table."""

    store: str = str(DEFAULT_STORE)
    project: Path = field(default_factory=project_dir)
    base_iri: str = "https://w3id.org/ecograph/"
    query_timeout: float = 30.0
    max_rows: int = 100_000
    max_body_bytes: int = 50 * 1024 * 1024
    update_timeout: float = 30.0
    max_update_triples: int = 1_000_000
    token: str | None = None
    tokens_file: Path | None = None
    private: bool = False
    writable: bool = False
    federation: bool = False
    federation_allow: tuple[str, ...] = ()
    query_workers: int = 0
    fast_workers: int = 1
    fast_lane_limit: float = 1.0

    @property
    def ontology_dir(self) -> Path:
        return self.project / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.project / "data" / "sources"

    @property
    def queries_dir(self) -> Path:
        return self.project / "queries"


def flag(raw: str) -> bool:
    """Read a yes/no environment value (``1``, ``true``, ``yes``, ``on`` are yes)."""
    return raw.strip().lower() in ("1", "true", "yes", "on")


def word_list(raw: str) -> tuple[str, ...]:
    """Read a comma-separated environment value."""
    return tuple(part.strip() for part in raw.split(",") if part.strip())


#: Settings read from the environment: variable name → (field, type).
ENVIRONMENT = {
    "ECOGRAPH_STORE": ("store", str),
    "ECOGRAPH_BASE_IRI": ("base_iri", str),
    "ECOGRAPH_QUERY_TIMEOUT": ("query_timeout", float),
    "ECOGRAPH_MAX_ROWS": ("max_rows", int),
    "ECOGRAPH_MAX_BODY_BYTES": ("max_body_bytes", int),
    "ECOGRAPH_UPDATE_TIMEOUT": ("update_timeout", float),
    "ECOGRAPH_MAX_UPDATE_TRIPLES": ("max_update_triples", int),
    "ECOGRAPH_TOKEN": ("token", str),
    "ECOGRAPH_TOKENS_FILE": ("tokens_file", Path),
    "ECOGRAPH_PRIVATE": ("private", flag),
    "ECOGRAPH_WRITABLE": ("writable", flag),
    "ECOGRAPH_FEDERATION": ("federation", flag),
    "ECOGRAPH_FEDERATION_ALLOW": ("federation_allow", word_list),
    "ECOGRAPH_QUERY_WORKERS": ("query_workers", int),
    "ECOGRAPH_FAST_WORKERS": ("fast_workers", int),
    "ECOGRAPH_FAST_LANE_LIMIT": ("fast_lane_limit", float),
}


def load_settings(**overrides: object) -> Settings:
    """Return settings from ``ECOGRAPH_*`` variables, then *overrides* (``None`` = unset)."""
    values: dict[str, object] = {}
    for variable, (name, kind) in ENVIRONMENT.items():
        raw = os.environ.get(variable)
        if raw:
            values[name] = kind(raw)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)  # type: ignore[arg-type]
