"""Contract conformance: Schemathesis generates requests from /openapi.json for every operation,
each sent as admin, reviewer and analyst; no answer may be a server error (a bounded run: 25
examples per operation). Hypothesis drives the strategies directly (one run per operation)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from service.api.main import create_app
from service.http.deps import get_pipeline_loader

pytestmark = pytest.mark.slow
ROLES = ("admin", "reviewer", "analyst")


def test_no_server_errors(settings, tokens, pipeline):
    app = create_app(settings.model_copy(update={"auth_failures_per_minute": 10_000}))
    # /v1/analyze runs the real pipeline: load it once for the session, not per example.
    app.dependency_overrides[get_pipeline_loader] = lambda: lambda: pipeline
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    statuses: set[int] = set()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    def check(operation) -> None:
        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case):
            for role in ROLES:
                response = case.call(headers={"Authorization": f"Bearer {tokens[role]}"})
                statuses.add(response.status_code)
                if response.status_code >= 500:
                    failures.append(f"{role}: {case.method} {operation.path} -> {response.status_code}")

        run()

    for operation in operations:
        check(operation)
    assert not failures, failures[:10]
    assert {200, 403, 422} <= statuses  # the run reached the routes: allowed, refused and invalid answers
