"""Webhook pushes against a real HTTP receiver on loopback: signature, payload without text, retry
with back-off, give-up, overdue re-sends, and delivery that survives a crash of the service."""

from __future__ import annotations

import time
from datetime import timedelta

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from service.flags.models import Flag, WebhookDelivery
from service.flags.webhook import backoff, deliver_due, mark_overdue, verify
from service.storage.db import session_scope, utcnow
from tests.api.conftest import auth
from tests.servers import Receiver, server_env, upstander_server

SECRET = "test-webhook-secret"
URGENT = {
    "severity": "critical",
    "themes": ["physical_violence"],
    "urgent": True,
    "reasons": ["violence"],
    "text": "<PERSON_1> hit me with a chair (WEBHOOK-TEXT-CANARY)",
}


@pytest.fixture
def receiver():
    hook = Receiver([200])
    yield hook
    hook.close()


def hooked(settings, url: str, **extra):
    return settings.model_copy(
        update={"webhook_url": url, "webhook_secret": SecretStr(SECRET), "webhook_backoff_seconds": 0.05, **extra}
    )


def deliveries(settings) -> list[WebhookDelivery]:
    with session_scope(settings.sqlalchemy_url) as session:
        return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_urgent_flags_are_pushed_signed_and_without_text(settings, store, receiver):
    s = hooked(settings, receiver.url)
    store([URGENT, {"severity": "high"}], settings_override=s)
    assert deliver_due(s) == 1  # only the urgent flag is pushed
    ((headers, body),) = receiver.received
    assert verify(SECRET, headers["x-upstander-timestamp"], body, headers["x-upstander-signature"])
    assert not verify("another-secret", headers["x-upstander-timestamp"], body, headers["x-upstander-signature"])
    payload = receiver.payloads()[0]
    assert set(payload) == {"event", "flag_id", "severity", "urgent_reasons", "delivery_id"}
    assert payload["event"] == "flag.urgent" and payload["urgent_reasons"] == ["violence"]
    assert b"CANARY" not in body and b"chair" not in body
    assert deliver_due(s) == 0 and len(receiver.received) == 1  # delivered once, not again
    (row,) = deliveries(s)
    assert row.status == "delivered" and row.attempts == 1 and row.last_status_code == 200


def test_retries_with_backoff_then_delivers(settings, store):
    hook = Receiver([503, 500, 200])
    try:
        s = hooked(settings, hook.url)
        store([URGENT], settings_override=s)
        assert deliver_due(s) == 0
        (row,) = deliveries(s)
        assert row.status == "pending" and row.attempts == 1 and row.last_status_code == 503
        # Not due an instant before its backoff ends (asked at that instant, not at the wall clock:
        # on a busy machine the 50 ms backoff could pass before this line, and CI once saw it do so).
        before_due = row.next_attempt_at - timedelta(milliseconds=1)
        assert deliver_due(s, now=before_due) == 0 and len(hook.received) == 1  # not due yet: backing off
        time.sleep(0.06)
        assert deliver_due(s) == 0 and len(hook.received) == 2
        (row,) = deliveries(s)
        gap = (row.next_attempt_at - utcnow()).total_seconds()
        assert 0.03 < gap <= 0.1  # the second wait is twice the first
        time.sleep(0.11)
        assert deliver_due(s) == 1
        assert {p["delivery_id"] for p in hook.payloads()} == {row.id}  # the same delivery, retried
    finally:
        hook.close()


def test_unreachable_receiver_gives_up_after_max_attempts(settings, store):
    s = hooked(settings, "http://127.0.0.1:9/hook", webhook_max_attempts=2, webhook_timeout_seconds=1)
    store([URGENT], settings_override=s)
    deliver_due(s)
    (row,) = deliveries(s)
    assert row.status == "pending" and row.last_error == "ConnectError"
    deliver_due(s, now=utcnow() + timedelta(seconds=1))
    (row,) = deliveries(s)
    assert row.status == "failed" and row.attempts == 2


def test_unclaimed_urgent_flag_becomes_overdue_and_is_sent_again(settings, store, receiver, client, tokens):
    s = hooked(settings, receiver.url, urgent_claim_minutes=10)
    store([URGENT, {**URGENT, "age_minutes": 30}], settings_override=s)
    assert mark_overdue(s) == 1  # only the one older than 10 minutes
    assert mark_overdue(s) == 0  # and only once
    deliver_due(s)
    events = sorted(p["event"] for p in receiver.payloads())
    assert events == ["flag.overdue", "flag.urgent", "flag.urgent"]
    flags = client.get("/v1/flags", headers=auth(tokens["reviewer"]), params={"overdue": "true"}).json()["flags"]
    assert len(flags) == 1 and flags[0]["overdue"]
    detail = client.get(f"/v1/flags/{flags[0]['id']}", headers=auth(tokens["reviewer"])).json()
    assert [d["event"] for d in detail["deliveries"]] == ["flag.urgent", "flag.overdue"]
    assert all(d["status"] == "delivered" for d in detail["deliveries"])
    with session_scope(s.sqlalchemy_url) as session:
        claimed = session.scalars(select(Flag).where(Flag.overdue_at.is_(None))).one()
        claimed.status = "in_review"
    assert mark_overdue(s, now=utcnow() + timedelta(hours=5)) == 0  # claimed flags are never overdue


@pytest.mark.slow
def test_delivery_survives_a_service_crash(settings, store, tmp_path, tokens):
    """The receiver fails while the first server runs; that server is killed; a second server
    (a fresh process on the same database) delivers the same outbox row once the receiver is up."""
    hook = Receiver([500])
    try:
        s = hooked(settings, hook.url)
        store([URGENT], settings_override=s)
        env = server_env(
            s,
            UPSTANDER_WEBHOOK_URL=hook.url,
            UPSTANDER_WEBHOOK_SECRET=SECRET,
            UPSTANDER_WEBHOOK_BACKOFF_SECONDS="0.2",
            UPSTANDER_HOUSEKEEPING_SECONDS="0.1",
        )
        with upstander_server(env, tmp_path / "first.log") as (_, proc):
            deadline = time.time() + 60
            while len(hook.received) < 2 and time.time() < deadline:
                time.sleep(0.1)
            proc.kill()  # a crash, not a clean shutdown
            proc.wait()
        assert len(hook.received) >= 2
        (row,) = deliveries(s)
        assert row.status == "pending" and row.last_status_code == 500
        hook.statuses = [200]
        # The retry is due at the row's own next_attempt_at: the backoff its failed attempts earned
        # or, when the kill landed mid-send (the receiver had the request, the result was not yet
        # written), the send lease. The bound waits for that, then a minute for delivery.
        retry_in = max(backoff(s, row.attempts), (row.next_attempt_at - utcnow()).total_seconds())
        with upstander_server(env, tmp_path / "second.log") as (base, _):
            deadline = time.time() + 60 + retry_in
            while deliveries(s)[0].status != "delivered" and time.time() < deadline:
                time.sleep(0.1)
            flag_id = hook.payloads()[-1]["flag_id"]
            detail = httpx.get(f"{base}/v1/flags/{flag_id}", headers=auth(tokens["reviewer"])).json()
        assert detail["deliveries"][0]["status"] == "delivered"
        assert detail["deliveries"][0]["attempts"] == len(hook.received)
        headers, body = hook.received[-1]
        assert verify(SECRET, headers["x-upstander-timestamp"], body, headers["x-upstander-signature"])
        assert {p["delivery_id"] for p in hook.payloads()} == {row.id}
    finally:
        hook.close()
