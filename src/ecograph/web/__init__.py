"""The SPARQL endpoint: a FastAPI app built by :func:`create_app`, served by ``ecograph serve``."""

from __future__ import annotations

from ecograph.web.app import create_app

__all__ = ["create_app"]
