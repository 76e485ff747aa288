"""The audit trail is append-only in the database itself, on both engines: no code path, and no
stray SQL, can update or delete an audit event."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from service.audit.models import AuditEvent, record
from service.storage.db import session_scope


def test_audit_events_cannot_be_changed_or_deleted(settings):
    with session_scope(settings.sqlalchemy_url) as session:
        record(session, action="flag.read", object_type="flag", object_id="1", actor_role="reviewer")
    for statement in (update(AuditEvent).values(action="tampered"), delete(AuditEvent)):
        with pytest.raises(DBAPIError, match="append-only"):
            with session_scope(settings.sqlalchemy_url) as session:
                session.execute(statement)
    with session_scope(settings.sqlalchemy_url) as session:
        assert session.scalars(select(AuditEvent.action)).all() == ["flag.read"]
