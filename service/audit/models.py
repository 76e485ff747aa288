"""Append-only audit events. No code path updates or deletes them; they never hold content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from service.storage.db import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_token_id: Mapped[int | None] = mapped_column()
    actor_role: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict] = mapped_column(default=dict)


def record(
    session: Session,
    *,
    action: str,
    object_type: str,
    object_id: str,
    actor_token_id: int | None = None,
    actor_role: str | None = None,
    request_id: str | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Add an audit event to the caller's transaction (so it commits with the action)."""
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        actor_token_id=actor_token_id,
        actor_role=actor_role,
        request_id=request_id,
        detail=detail or {},
    )
    session.add(event)
    return event
