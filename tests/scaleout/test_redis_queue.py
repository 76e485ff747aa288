"""Against a real Redis, with a Celery worker in a thread (no models): uploads through the API are
enqueued and drained, and researchers' large evaluations become jobs to poll."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from fastapi.testclient import TestClient

from service.api.main import create_app
from service.evaluations.models import EvaluationJob
from service.storage.db import session_scope
from service.tasks.app import configure
from tests.api.conftest import auth
from tests.scaleout.test_tasks import stored

pytestmark = pytest.mark.redis
ROWS = [
    {"text": f"comment {i}", "themes": [], "severity": "none", "consent": True, "team": "a" if i % 2 else "b"}
    for i in range(40)
]


@pytest.fixture
def worker(broker_settings):
    app = configure(broker_settings)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as running:
        yield running
    configure(broker_settings.model_copy(update={"broker_url": None}))


@pytest.fixture
def api(broker_settings, tokens):
    with TestClient(create_app(broker_settings)) as client:
        yield client


def wait_for(check, seconds: float = 60.0):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_upload_is_enqueued_and_drained_by_a_celery_worker(broker_settings, worker, api, tokens, echo_pipeline):
    body = "".join(f'{{"id": "r{i}", "text": "text {i}", "consent": {str(i % 5 != 0).lower()}}}\n' for i in range(30))
    res = api.post(
        "/v1/batches",
        content=body,
        headers=auth(tokens["analyst"]) | {"Content-Type": "application/x-ndjson"},
    )
    assert res.status_code == 202, res.text
    batch_id = res.json()["id"]
    wait_for(lambda: stored(broker_settings, batch_id)[0] == "done")
    assert stored(broker_settings, batch_id) == ("done", 30, 30)


def fake_report(rows, group_cols, pipeline, n_boot=200) -> dict:
    return {"model_version": "fake", "labelled": {"items": len(rows), "n_boot": n_boot, "group_columns": {}}}


def test_large_evaluation_is_a_job_to_poll_and_small_stays_synchronous(
    broker_settings, worker, api, tokens, echo_pipeline, monkeypatch
):
    monkeypatch.setattr("service.evaluations.service.evaluate", fake_report)
    researcher = auth(tokens["researcher"])
    small = api.post("/v1/evaluations", json={"items": ROWS, "group_cols": ["team"], "n_boot": 10}, headers=researcher)
    assert small.status_code == 200 and small.json()["labelled"]["items"] == 40
    large = api.post(
        "/v1/evaluations", json={"items": ROWS, "group_cols": ["team"], "n_boot": 1000}, headers=researcher
    )
    assert large.status_code == 202, large.text
    job = large.json()
    assert large.headers["location"] == job["links"]["self"] == f"/v1/evaluations/{job['id']}"
    polled = wait_for(lambda: (r := api.get(job["links"]["self"], headers=researcher).json())["status"] == "done" and r)
    assert polled["report"]["labelled"] == {"items": 40, "n_boot": 1000, "group_columns": {}}
    with session_scope(broker_settings.sqlalchemy_url) as session:
        assert session.get(EvaluationJob, job["id"]).sealed_input is None  # the text is gone once done
    # Prefer: respond-async makes even a small request a job; another researcher cannot see it
    asked = api.post(
        "/v1/evaluations",
        json={"items": ROWS[:10], "group_cols": ["team"], "n_boot": 0},
        headers=researcher | {"Prefer": "respond-async"},
    )
    assert asked.status_code == 202
    with session_scope(broker_settings.sqlalchemy_url) as session:
        from service.tokens.service import create_token

        other = create_token(session, name="other", role="researcher")[1]
    assert api.get(asked.json()["links"]["self"], headers=auth(other)).status_code == 404
    assert api.get(asked.json()["links"]["self"], headers=auth(tokens["analyst"])).status_code == 403
