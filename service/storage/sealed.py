"""Sealed pending input: the only form in which consented raw text ever touches storage.

A batch is accepted before it is analysed, so its consented rows must survive a crash until
their chunk is redacted. They are kept AES-GCM encrypted with a key from settings (never in the
database), and the ciphertext is deleted in the same transaction that stores the redacted result.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from service.settings import Settings


def load_key(settings: Settings) -> bytes:
    """The input key: from UPSTANDER_INPUT_KEY, else (development only) a key file under data/."""
    if settings.input_key is not None:
        return base64.urlsafe_b64decode(settings.input_key.get_secret_value())
    if settings.environment == "production":
        raise RuntimeError("UPSTANDER_INPUT_KEY must be set in production")
    path = Path(settings.data_dir) / ".input_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(base64.urlsafe_b64encode(secrets.token_bytes(32)))
    return base64.urlsafe_b64decode(path.read_bytes().strip())


def seal(key: bytes, rows: list[dict], associated: str) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(key).encrypt(nonce, json.dumps(rows).encode(), associated.encode())


def unseal(key: bytes, blob: bytes, associated: str) -> list[dict]:
    return json.loads(AESGCM(key).decrypt(blob[:12], blob[12:], associated.encode()))
