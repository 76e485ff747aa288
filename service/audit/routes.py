"""GET /v1/audit: admins read the append-only audit trail (there is no write or delete route)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from service.audit.models import AuditEvent
from service.http.deps import Principal, SessionDep, require_role
from service.ids import AfterId

router = APIRouter(prefix="/v1", tags=["audit"])


class AuditPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    at: datetime
    actor_token_id: int | None
    actor_role: str | None
    action: str
    object_type: str
    object_id: str
    request_id: str | None
    detail: dict


@router.get("/audit", response_model=list[AuditPublic])
def read_audit(
    session: SessionDep,
    _: Annotated[Principal, Depends(require_role("admin"))],
    after_id: AfterId = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    action: Annotated[str | None, Query(max_length=40)] = None,
    object_type: Annotated[str | None, Query(max_length=40)] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    request_id: Annotated[str | None, Query(max_length=64)] = None,
) -> list:
    """Oldest first; page with `after_id` (the last id seen)."""
    query = select(AuditEvent).where(AuditEvent.id > after_id).order_by(AuditEvent.id).limit(limit)
    for column, value in (
        (AuditEvent.action, action),
        (AuditEvent.object_type, object_type),
        (AuditEvent.object_id, object_id),
        (AuditEvent.request_id, request_id),
    ):
        if value:
            query = query.where(column == value)
    return list(session.scalars(query))
