"""Every route × every role: a route missing from the matrix fails the test, so no new route can
ship without a decision about who may call it. Object-level access is tested per domain."""

from __future__ import annotations

import re

import pytest

from service.api.main import create_app
from tests.api.conftest import auth

EVERYONE = {"admin", "analyst", "reviewer", "researcher"}
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("POST", "/v1/batches"): {"analyst", "admin"},
    ("GET", "/v1/batches/{batch_id}"): {"analyst", "reviewer", "admin"},
    ("DELETE", "/v1/batches/{batch_id}"): {"admin"},
    ("GET", "/v1/batches/{batch_id}/items"): {"reviewer"},
    ("POST", "/v1/analyze"): {"reviewer"},
    ("GET", "/v1/flags"): {"reviewer"},
    ("GET", "/v1/flags/{flag_id}"): {"reviewer"},
    ("PATCH", "/v1/flags/{flag_id}"): {"reviewer"},
    ("POST", "/v1/flags/{flag_id}/notes"): {"reviewer"},
    ("POST", "/v1/flags/{flag_id}/labels"): {"reviewer"},
    ("GET", "/v1/trends"): {"analyst", "admin"},
    ("GET", "/v1/alerts"): {"analyst", "admin"},
    ("POST", "/v1/evaluations"): {"researcher"},
    ("GET", "/v1/evaluations/{job_id}"): {"researcher"},
    ("GET", "/v1/admin/tokens"): {"admin"},
    ("POST", "/v1/admin/tokens"): {"admin"},
    ("DELETE", "/v1/admin/tokens/{token_id}"): {"admin"},
    ("GET", "/v1/admin/settings"): {"admin"},
    ("GET", "/v1/audit"): {"admin"},
    ("GET", "/v1/me"): EVERYONE,
}
PUBLIC = {"/healthz", "/readyz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def api_routes() -> list[tuple[str, str]]:
    """Every operation the app serves, from its OpenAPI schema (routers are included lazily)."""
    paths = create_app().openapi()["paths"]
    return [(method.upper(), path) for path, operations in paths.items() if path not in PUBLIC for method in operations]


def test_every_route_is_in_the_matrix():
    routes = set(api_routes())
    assert routes - set(ALLOWED) == set(), "routes without a role decision"
    assert set(ALLOWED) - routes == set(), "matrix entries for routes that no longer exist"


@pytest.mark.parametrize(("method", "path"), sorted(ALLOWED))
def test_role_matrix(client, tokens, method, path):
    url = re.sub(r"\{[a-z_]+\}", "999999", path)
    assert client.request(method, url).json()["code"] == "unauthenticated"
    assert client.request(method, url, headers=auth("upst_wrong")).status_code == 401
    for role, token in tokens.items():
        res = client.request(method, url, headers=auth(token), json={} if method in ("POST", "PATCH") else None)
        if role in ALLOWED[(method, path)]:
            # admitted: any answer but a refusal or a server error (404 for the made-up id, 422 for {})
            assert res.status_code not in (401, 403) and res.status_code < 500, (role, method, path, res.text)
        else:
            assert res.status_code == 403 and res.json()["code"] == "forbidden", (role, method, path)
