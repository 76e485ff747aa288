"""Admin routes: API tokens (the token itself is returned once, at creation), the settings in force,
and the erasure of a batch."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from service.admin.retention import ERASED_TABLES
from service.admin.retention import erase_batch as erase
from service.audit.models import record as audit
from service.errors import NotFound
from service.http.deps import Principal, SessionDep, SettingsDep, require_role
from service.http.errors import responses
from service.ids import PathId
from service.storage.db import scrub_deleted
from service.tokens import service

router = APIRouter(prefix="/v1/admin", tags=["admin"])
# Erasing a batch is an admin's act across every domain's tables; its path stays with the batches.
batches_router = APIRouter(prefix="/v1", tags=["batches"])
Admin = Annotated[Principal, Depends(require_role("admin"))]


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # No control characters: PostgreSQL text cannot hold NUL (a 500 there), and a label needs none.
    name: str = Field(..., min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")
    role: Literal["admin", "analyst", "reviewer", "researcher"]
    units: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=100)
    expires_in_days: int | None = Field(None, ge=1, le=3650, description="the token stops working after this")


class TokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    role: str
    units: list[str]
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None = None


class TokenCreated(TokenPublic):
    token: str = Field(description="shown once; only its hash is stored")


def _audit(session, principal: Principal, action: str, token_id: int) -> None:
    audit(
        session,
        action=action,
        object_type="api_token",
        object_id=str(token_id),
        actor_token_id=principal.token_id,
        actor_role=principal.role,
        request_id=principal.request_id,
    )


@router.post("/tokens", status_code=201, response_model=TokenCreated)
def create_token(body: TokenCreate, session: SessionDep, principal: Admin) -> TokenCreated:
    row, token = service.create_token(
        session, name=body.name, role=body.role, units=body.units, expires_in_days=body.expires_in_days
    )
    _audit(session, principal, "token.create", row.id)
    session.commit()
    return TokenCreated(**TokenPublic.model_validate(row).model_dump(), token=token)


@router.get("/tokens", response_model=list[TokenPublic])
def list_tokens(session: SessionDep, _: Admin) -> list:
    return service.list_tokens(session)


@router.delete("/tokens/{token_id}", response_model=TokenPublic, responses=responses(404))
def revoke_token(token_id: PathId, session: SessionDep, principal: Admin):
    row = service.revoke_token(session, token_id=token_id)
    if row is None:
        raise NotFound("no such token")
    _audit(session, principal, "token.revoke", token_id)
    session.commit()
    return row


@router.get("/settings", summary="The configuration in force (secrets are never shown)")
def read_settings(settings: SettingsDep, _: Admin) -> dict:
    """What an admin needs to check: thresholds, retention, webhook target, model in use."""
    return {
        "environment": settings.environment,
        "model_name": settings.model_name,
        "min_group_size": settings.min_group_size,
        "min_comment_group_size": settings.min_comment_group_size,
        "retention_days": settings.retention_days,
        "urgent_claim_minutes": settings.urgent_claim_minutes,
        "webhook_configured": bool(settings.webhook_url),
        "webhook_max_attempts": settings.webhook_max_attempts,
        "max_item_chars": settings.max_item_chars,
        "database": settings.sqlalchemy_url.split(":", 1)[0],
    }


@batches_router.delete(
    "/batches/{batch_id}", responses=responses(404), summary="Erase a batch with all its items, flags and notes"
)
def erase_batch(
    batch_id: str,
    session: SessionDep,
    settings: SettingsDep,
    principal: Annotated[Principal, Depends(require_role("admin"))],
) -> dict:
    counts = erase(
        session,
        batch_id=batch_id,
        actor_token_id=principal.token_id,
        actor_role=principal.role,
        request_id=principal.request_id,
    )
    if counts is None:
        raise NotFound("no such batch")
    session.commit()
    scrub_deleted(settings.sqlalchemy_url, ERASED_TABLES)
    return {"id": batch_id, "erased": counts}
