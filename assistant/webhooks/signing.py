"""Signatures a receiver checks: `X-Liaison-Signature: sha256=<hex>` is the HMAC-SHA256, keyed
with the endpoint's secret, of `<X-Liaison-Timestamp>.<raw body>`. The timestamp (Unix seconds)
is inside the signature, so a captured request cannot be replayed later with a new time; a
receiver refuses timestamps older than a few minutes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SECRET_PREFIX = "whsec_"
TIMESTAMP_HEADER = "X-Liaison-Timestamp"
SIGNATURE_HEADER = "X-Liaison-Signature"
EVENT_HEADER = "X-Liaison-Event"
DELIVERY_HEADER = "X-Liaison-Delivery"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    header: str,
    *,
    tolerance_s: int = 300,
    now: float | None = None,
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - sent) > tolerance_s:
        return False
    return hmac.compare_digest(signature(secret, sent, body), header or "")
