"""Retention purges old items and their flags (never one whose flag is still open); erasure removes
a whole batch on request; both leave an audit record of counts, never content."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from service.admin.retention import purge_expired
from service.audit.models import AuditEvent
from service.batches.models import Batch, Item, ItemPerson
from service.flags.models import Flag, FlagNote
from service.storage.db import session_scope, utcnow
from tests.api.conftest import auth


def count(settings, model, *where) -> int:
    with session_scope(settings.sqlalchemy_url) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_retention_purges_old_items_but_holds_open_flags(settings, store):
    old = store([{"severity": "none"}, {"severity": "high"}, {"severity": "high"}])
    recent = store([{"severity": "high"}])
    with session_scope(settings.sqlalchemy_url) as session:
        session.add(
            ItemPerson(
                item_id=session.scalars(select(Item.id).where(Item.batch_id == old)).first(),
                batch_id=old,
                unit="acme/sales",
                pseudonym="p" * 16,
            )
        )
        flags = session.scalars(select(Flag).where(Flag.batch_id == old).order_by(Flag.id)).all()
        flags[0].status = "resolved"  # the other old flag stays open
        session.add(FlagNote(flag_id=flags[0].id, redacted_body="<PERSON_1> agreed"))
        for item in session.scalars(select(Item).where(Item.batch_id == old)):
            item.created_at = utcnow() - timedelta(days=settings.retention_days + 1)
    counts = purge_expired(settings)
    assert counts["items"] == 2 and counts["flags"] == 1 and counts["notes"] == 1 and counts["held_open_flags"] == 1
    assert count(settings, Item, Item.batch_id == old) == 1  # the open flag's item is held
    assert count(settings, Item, Item.batch_id == recent) == 1
    assert count(settings, ItemPerson) == 0
    with session_scope(settings.sqlalchemy_url) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge")).one()
        assert event.detail["items"] == 2 and set(event.detail) >= {"items", "flags", "held_open_flags"}
    assert purge_expired(settings)["items"] == 0  # idempotent


def test_erasure_removes_a_batch_and_is_audited(client, tokens, settings, store):
    batch = store([{"severity": "high"}, {"severity": "none"}])
    keep = store([{"severity": "high"}])
    assert client.delete(f"/v1/batches/{batch}", headers=auth(tokens["reviewer"])).status_code == 403
    res = client.delete(f"/v1/batches/{batch}", headers=auth(tokens["admin"]))
    assert res.status_code == 200 and res.json()["erased"]["items"] == 2 and res.json()["erased"]["flags"] == 1
    assert client.delete(f"/v1/batches/{batch}", headers=auth(tokens["admin"])).status_code == 404
    assert count(settings, Batch, Batch.id == batch) == 0 and count(settings, Item, Item.batch_id == batch) == 0
    assert count(settings, Item, Item.batch_id == keep) == 1
    events = client.get("/v1/audit", params={"action": "batch.erase"}, headers=auth(tokens["admin"])).json()
    assert [e["object_id"] for e in events] == [batch] and events[0]["detail"]["items"] == 2
    assert "redacted" not in str(events)
    by_object = client.get(
        "/v1/audit", params={"object_type": "batch", "object_id": batch}, headers=auth(tokens["admin"])
    ).json()
    assert {e["action"] for e in by_object} == {"batch.erase"}


def test_retention_purges_finished_evaluation_jobs_but_not_running_ones(settings):
    from service.evaluations.models import EvaluationJob

    long_ago = utcnow() - timedelta(days=settings.retention_days + 1)
    with session_scope(settings.sqlalchemy_url) as session:
        session.add_all(
            [
                EvaluationJob(id="old-done", status="done", result={"n": 3}, created_at=long_ago, finished_at=long_ago),
                EvaluationJob(id="old-failed", status="failed", error_code="bad_input", created_at=long_ago),
                EvaluationJob(id="old-running", status="running", created_at=long_ago, started_at=long_ago),
                EvaluationJob(id="new-done", status="done", result={"n": 1}, finished_at=utcnow()),
            ]
        )
    assert purge_expired(settings)["evaluation_jobs"] == 2
    with session_scope(settings.sqlalchemy_url) as session:
        assert set(session.scalars(select(EvaluationJob.id))) == {"old-running", "new-done"}
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge")).one()
        assert event.detail["evaluation_jobs"] == 2
