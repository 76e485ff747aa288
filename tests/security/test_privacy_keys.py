"""Values a caller sends that could point to a person are never kept verbatim (ids, keys, request ids,
consent cells, query strings), and an erased batch cannot be read back from the database files."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlalchemy import select, text

from service.audit.models import AuditEvent
from service.batches.models import Batch, Item
from service.inputs import build_row
from service.storage.db import session_scope
from tests.api.conftest import auth

NDJSON = {"Content-Type": "application/x-ndjson"}


def _upload(client, token, rows, **headers):
    data = b"".join(json.dumps(r).encode() + b"\n" for r in rows)
    return client.post("/v1/batches", content=data, headers=auth(token) | NDJSON | headers)


def _dump(url: str) -> str:
    """Every stored value of every table, as one string to search."""
    with session_scope(url) as session:
        tables = ("batches", "items", "chunks", "audit_events", "flags")
        return " ".join(str(row) for t in tables for row in session.execute(text(f"SELECT * FROM {t}")))


def test_consent_errors_never_quote_the_cell(client, tokens, settings):
    row = build_row(3, {"id": "a", "text": "t", "consent": "Zephyrine Quackenbus"}, 1000)
    assert row.error is not None and row.error.code == "invalid_consent" and "Zephyrine" not in row.error.message
    res = _upload(client, tokens["analyst"], [{"id": "a", "text": "t", "consent": "Zephyrine Quackenbus"}])
    assert res.status_code == 202
    assert "Zephyrine" not in _dump(settings.sqlalchemy_url)


def test_request_ids_are_ours(client, tokens, settings):
    res = client.get("/v1/admin/tokens", headers=auth(tokens["admin"]) | {"X-Request-ID": "jane.doe-EMP-77"})
    assert res.status_code == 200 and res.headers["X-Request-ID"] != "jane.doe-EMP-77"
    _upload(
        client, tokens["analyst"], [{"id": "a", "text": "t", "consent": "no"}], **{"X-Request-ID": "jane.doe-EMP-77"}
    )
    with session_scope(settings.sqlalchemy_url) as session:
        request_ids = set(session.scalars(select(AuditEvent.request_id)))
    assert request_ids and "jane.doe-EMP-77" not in request_ids


def test_idempotency_keys_are_keyed_hashes_and_still_work(client, tokens, settings):
    key = "jane.doe@example.com-2026-wave3"
    rows = [{"id": "a", "text": "t", "consent": "no"}]
    first = _upload(client, tokens["analyst"], rows, **{"Idempotency-Key": key})
    again = _upload(client, tokens["analyst"], rows, **{"Idempotency-Key": key})
    assert first.json()["id"] == again.json()["id"] and again.json()["duplicate"] is True
    other = _upload(client, tokens["analyst"], rows + rows, **{"Idempotency-Key": key})
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"
    with session_scope(settings.sqlalchemy_url) as session:
        stored = session.scalar(select(Batch.idempotency_key))
    assert stored and key not in stored and "jane" not in _dump(settings.sqlalchemy_url)


def test_row_ids_are_stored_and_shown_as_batch_scoped_refs(client, tokens, settings):
    res = _upload(
        client,
        tokens["analyst"],
        [{"id": "EMP-55555", "text": "t", "consent": "maybe"}, {"id": "EMP-66666", "text": "hello", "consent": "yes"}],
    )
    batch_id = res.json()["id"]
    with session_scope(settings.sqlalchemy_url) as session:
        ref = session.scalar(select(Item.external_id).where(Item.batch_id == batch_id))
    assert ref and ref.startswith("r") and "55555" not in ref
    page = client.get(f"/v1/batches/{batch_id}/items", headers=auth(tokens["reviewer"])).json()
    assert [i["id"] for i in page["items"]] == [ref]
    assert "EMP-" not in _dump(settings.sqlalchemy_url)


def test_access_log_names_routes_not_values(client, tokens, caplog):
    with caplog.at_level(logging.INFO, logger="upstander.access"):
        client.get("/v1/flags", params={"unit": "acme/secret-team"}, headers=auth(tokens["reviewer"]))
        client.get("/v1/flags/424242", headers=auth(tokens["reviewer"]))
    lines = [r.getMessage() for r in caplog.records if r.name == "upstander.access"]
    assert any("GET /v1/flags " in line for line in lines) and any("/v1/flags/{flag_id} 404" in line for line in lines)
    assert not any("secret" in line or "424242" in line for line in lines)


def test_erased_batch_is_not_in_the_database_files(client, tokens, settings, store):
    marker = "ZEBRAQUOKKA"
    batch_id = store([{"severity": "high", "text": f"<PERSON_1> said {marker} to me"}])
    res = client.delete(f"/v1/batches/{batch_id}", headers=auth(tokens["admin"]))
    assert res.status_code == 200 and res.json()["erased"]["items"] == 1
    if settings.sqlalchemy_url.startswith("sqlite"):
        db = Path(settings.sqlalchemy_url.split("///", 1)[1])
        files = [p for p in db.parent.iterdir() if p.name.startswith(db.name)]
        assert files and all(marker.encode() not in p.read_bytes() for p in files)
    else:
        # The deleted tuples stay in the heap pages until VACUUM reclaims them: it must have run.
        with session_scope(settings.sqlalchemy_url) as session:
            vacuumed = session.execute(text("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'items'"))
        assert vacuumed.scalar() is not None
