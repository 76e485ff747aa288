"""Failed sign-ins are rate limited per client address; tokens can expire."""

from __future__ import annotations

import secrets
from datetime import timedelta

from service.storage.db import session_scope, utcnow
from service.tokens.models import ApiToken
from tests.api.conftest import auth


def test_guessing_tokens_is_rate_limited(client, settings):
    limit = settings.auth_failures_per_minute
    codes = [
        client.get("/v1/flags", headers=auth("upst_" + secrets.token_urlsafe(16))).status_code for _ in range(limit + 5)
    ]
    assert codes[:limit] == [401] * limit
    assert set(codes[limit:]) == {429}
    res = client.get("/v1/flags", headers=auth("upst_guess"))
    assert res.status_code == 429 and res.json()["code"] == "rate_limited" and int(res.headers["Retry-After"]) >= 1


def test_honest_traffic_is_not_limited(client, tokens, settings):
    for _ in range(settings.auth_failures_per_minute + 5):
        assert client.get("/v1/flags", headers=auth(tokens["reviewer"])).status_code == 200


def test_expired_tokens_are_refused(client, tokens, settings):
    res = client.post(
        "/v1/admin/tokens",
        json={"name": "temp", "role": "reviewer", "expires_in_days": 1},
        headers=auth(tokens["admin"]),
    )
    assert res.status_code == 201 and res.json()["expires_at"]
    token, token_id = res.json()["token"], res.json()["id"]
    assert client.get("/v1/flags", headers=auth(token)).status_code == 200
    with session_scope(settings.sqlalchemy_url) as session:
        session.get(ApiToken, token_id).expires_at = utcnow() - timedelta(seconds=1)
    res = client.get("/v1/flags", headers=auth(token))
    assert res.status_code == 401 and res.json()["code"] == "unauthenticated"
