"""API fixtures: an app on the per-test database, and one token per role."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.admin.service import create_token
from service.api.main import create_app
from service.storage.db import session_scope


@pytest.fixture
def tokens(settings) -> dict[str, str]:
    out = {}
    with session_scope(settings.sqlalchemy_url) as session:
        for role in ("admin", "analyst", "reviewer", "researcher"):
            out[role] = create_token(session, name=f"test-{role}", role=role)[1]
    return out


@pytest.fixture
def client(settings) -> TestClient:
    with TestClient(create_app(settings)) as c:
        yield c


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
