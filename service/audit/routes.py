"""GET /v1/audit: admins read the append-only audit trail (there is no write or delete route)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from service.api.deps import Principal, SessionDep, require_role
from service.audit.models import AuditEvent

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
    session: SessionDep, _: Annotated[Principal, Depends(require_role("admin"))],
    after_id: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    action: Annotated[str | None, Query(max_length=40)] = None,
) -> list:
    query = select(AuditEvent).where(AuditEvent.id > after_id).order_by(AuditEvent.id).limit(limit)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))
