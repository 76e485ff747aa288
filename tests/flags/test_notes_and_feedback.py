"""Reviewer notes are redacted with the real Presidio pipeline before storage; label corrections
export in the training corpus format (checked by the corpus's own validator), and the export is audited."""

from __future__ import annotations

import json

from sqlalchemy import select
from typer.testing import CliRunner

from service.audit.models import AuditEvent
from service.cli import app
from service.http.deps import get_pipeline_loader
from service.storage.db import session_scope
from tests.api.conftest import auth
from training.corpus import problems


def test_notes_are_redacted_before_storage(client, tokens, store, pipeline):
    client.app.dependency_overrides[get_pipeline_loader] = lambda: lambda: pipeline
    store([{"severity": "high"}])
    flag_id = client.get("/v1/flags", headers=auth(tokens["reviewer"])).json()["flags"][0]["id"]
    res = client.post(
        f"/v1/flags/{flag_id}/notes",
        headers=auth(tokens["reviewer"]),
        json={"body": "Called Priya Raghunathan on 07700 900461, she confirms it happened twice."},
    )
    assert res.status_code == 201, res.text
    body = res.json()["redacted_body"]
    assert "Raghunathan" not in body and "900461" not in body and "<PERSON_1>" in body
    assert "confirms it happened twice" in body  # the reviewer's meaning survives
    res = client.post(f"/v1/flags/{flag_id}/notes", headers=auth(tokens["reviewer"]), json={"body": ""})
    assert res.status_code == 422


def test_export_feedback_writes_valid_corpus_rows(client, tokens, store, settings, tmp_path, monkeypatch):
    store(
        [
            {"severity": "high", "source": "report"},
            {"severity": "high", "themes": ["discrimination"]},
            {"severity": "high"},
        ]
    )
    flags = client.get("/v1/flags", headers=auth(tokens["reviewer"])).json()["flags"]
    corrections = [
        {"themes": ["verbal_abuse"], "severity": "moderate"},
        {"themes": [], "severity": "none"},
        {"themes": ["intimidation", "distress"], "severity": "high"},
    ]  # supersedes the first
    for flag_id, label in zip([flags[0]["id"], flags[1]["id"], flags[0]["id"]], corrections, strict=True):
        assert (
            client.post(f"/v1/flags/{flag_id}/labels", headers=auth(tokens["reviewer"]), json=label).status_code == 201
        )
    monkeypatch.setenv("UPSTANDER_DATABASE_URL", settings.sqlalchemy_url)
    from service.settings import get_settings

    get_settings.cache_clear()
    out = tmp_path / "feedback.jsonl"
    try:
        result = CliRunner().invoke(app, ["export-feedback", "-o", str(out)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 2 and all(problems(r) == [] for r in rows)
    assert sorted(r["severity"] for r in rows) == ["high", "none"]
    assert all("<PERSON_1>" in r["text"] for r in rows)
    with session_scope(settings.sqlalchemy_url) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "feedback.export")).one()
        assert event.detail["count"] == 2
    bad = CliRunner().invoke(app, ["export-feedback", "-o", str(out), "--since", "yesterday"])
    assert bad.exit_code == 2 and "not an ISO date" in bad.output
