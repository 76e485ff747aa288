"""Token service: create (shown once), authenticate by hash, list, revoke."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import UpstanderError
from service.storage.db import utcnow
from service.tokens.models import ROLES, ApiToken
from service.units import normalise

TOKEN_PREFIX = "upst_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session, *, name: str, role: str, units: list[str] | None = None, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    if role not in ROLES:
        raise UpstanderError(f"role must be one of {', '.join(ROLES)}", code="invalid_role")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    scopes = sorted({normalise(u) for u in units or [] if normalise(u)})
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    row = ApiToken(name=name[:100], role=role, units=scopes, token_hash=hash_token(token), expires_at=expires_at)
    session.add(row)
    session.flush()
    return row, token


def authenticate(session: Session, *, token: str) -> ApiToken | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= utcnow():
        return None
    return row


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))


def revoke_token(session: Session, *, token_id: int) -> ApiToken | None:
    row = session.get(ApiToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def has_admin(session: Session) -> bool:
    return (
        session.scalar(select(ApiToken.id).where(ApiToken.role == "admin", ApiToken.revoked_at.is_(None))) is not None
    )
