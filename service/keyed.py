"""Keyed references: what we keep instead of a caller's value that could point to a person.

A row id (`EMP-55555`), an Idempotency-Key or a client's request id may identify a respondent or a
caller. We store only an HMAC of it under the deployment's pseudonym secret: stable (the same value
always maps to the same reference, so idempotency and joins still work) but not reversible without
the secret, and erasable with its row.
"""

from __future__ import annotations

import hashlib
import hmac

from service.settings import Settings


def keyed_ref(settings: Settings, purpose: str, value: str, *, size: int = 24) -> str:
    """A hex reference of `value` for one purpose (refs of different purposes never collide)."""
    secret = settings.pseudonym_secret.get_secret_value().encode()
    return hmac.new(secret, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()[:size]


def row_ref(settings: Settings, batch_id: str, row_id: str) -> str:
    """The stored and shown id of an API batch row: `r` + a keyed hash scoped to its batch."""
    return "r" + keyed_ref(settings, f"row:{batch_id}", row_id, size=20)
