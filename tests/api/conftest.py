"""API fixtures: an app on the per-test database, one token per role, and an audit-completeness
check: every response of the test that carried item or note text must have an audit event with
its request id (architecture.md, invariant 3), or the test errors at teardown."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.api.main import create_app
from service.audit.models import AuditEvent
from service.storage.db import session_scope
from service.tokens.service import create_token

TEXT_KEYS = (b'"redacted_text"', b'"redacted_body"', b'"evidence"')


@pytest.fixture
def tokens(settings) -> dict[str, str]:
    out = {}
    with session_scope(settings.sqlalchemy_url) as session:
        for role in ("admin", "analyst", "reviewer", "researcher"):
            out[role] = create_token(session, name=f"test-{role}", role=role)[1]
    return out


def unaudited_text_reads(url: str, text_reads: list[str]) -> set[str]:
    with session_scope(url) as session:
        audited = set(session.scalars(select(AuditEvent.request_id).where(AuditEvent.request_id.in_(text_reads))))
    return set(text_reads) - audited


@pytest.fixture
def client(settings) -> TestClient:
    text_reads: list[str] = []

    def note_text_reads(response) -> None:
        response.read()
        is_data = response.request.url.path.startswith("/v1/")  # not the OpenAPI schema
        if is_data and response.status_code < 400 and any(key in response.content for key in TEXT_KEYS):
            text_reads.append(response.headers["x-request-id"])

    with TestClient(create_app(settings)) as c:
        c.event_hooks = {"request": [], "response": [note_text_reads]}
        yield c
    assert not unaudited_text_reads(settings.sqlalchemy_url, text_reads), "item text returned without an audit event"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
