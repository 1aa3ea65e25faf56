"""How `liaison serve` runs the app under uvicorn.

Uvicorn believes `X-Forwarded-For` from 127.0.0.1 by default, which would let anything on the
machine (or a proxy passing the header through) pick the address the sign-in limit counts.
Here forwarded headers are believed only from the proxies LIAISON_TRUSTED_PROXIES names.
"""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from assistant.config import Settings


def uvicorn_config(
    app: FastAPI, settings: Settings, *, host: str | None = None, port: int | None = None
) -> uvicorn.Config:
    proxies = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    return uvicorn.Config(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_level="warning",
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
        # A client that opens a connection and sends nothing is let go soon.
        timeout_keep_alive=5,
    )
