"""Push urgent flags to a webhook from a durable outbox, and re-send the ones nobody claimed.

The payload holds the flag id, severity and urgent reasons only, never text. It is signed with
HMAC-SHA256 over `"{timestamp}.{body}"` (header `X-Upstander-Signature: sha256=<hex>`), so a
receiver can check both origin and freshness. Deliveries are rows: written in the transaction
that creates the flag, they survive any restart, and a worker takes one by moving its
`next_attempt_at` forward with an UPDATE conditional on its attempt count (a lease), so two workers never send the
same attempt. Failed attempts back off exponentially up to `webhook_max_attempts`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.audit.models import record
from service.flags.models import Flag, WebhookDelivery
from service.settings import Settings
from service.storage.db import session_scope, utcnow

log = logging.getLogger("upstander.webhook")
MAX_BACKOFF_SECONDS = 3600.0
SEND_LEASE_SECONDS = 120.0


def enqueue(session: Session, flag: Flag, event: str) -> WebhookDelivery:
    payload = {
        "event": event,
        "flag_id": flag.id,
        "severity": flag.severity,
        "urgent_reasons": list(flag.urgent_reasons or []),
    }
    delivery = WebhookDelivery(flag_id=flag.id, event=event, payload=payload)
    session.add(delivery)
    return delivery


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver runs (kept here so the contract is tested from both ends)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def backoff(settings: Settings, attempts: int) -> float:
    return min(settings.webhook_backoff_seconds * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)


def _take(settings: Settings, now: datetime) -> list[tuple[int, int, dict]]:
    """Lease the due deliveries: (id, attempt number, payload)."""
    taken = []
    with session_scope(settings.sqlalchemy_url) as session:
        due = session.execute(
            select(WebhookDelivery.id, WebhookDelivery.attempts, WebhookDelivery.payload)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(20)
        ).all()
        for row in due:
            leased = session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id == row.id,
                    WebhookDelivery.status == "pending",
                    WebhookDelivery.attempts == row.attempts,
                )
                .values(
                    attempts=WebhookDelivery.attempts + 1, next_attempt_at=now + timedelta(seconds=SEND_LEASE_SECONDS)
                )
            )
            if getattr(leased, "rowcount", 0) == 1:
                taken.append((row.id, row.attempts + 1, row.payload))
    return taken


def _post(settings: Settings, client: httpx.Client, delivery_id: int, payload: dict) -> tuple[int | None, str | None]:
    assert settings.webhook_url and settings.webhook_secret
    body = json.dumps({**payload, "delivery_id": delivery_id}, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Upstander-Timestamp": timestamp,
        "X-Upstander-Delivery": str(delivery_id),
        "X-Upstander-Signature": sign(settings.webhook_secret.get_secret_value(), timestamp, body),
    }
    try:
        response = client.post(settings.webhook_url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return None, type(exc).__name__
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}"


def deliver_due(settings: Settings, *, now: datetime | None = None) -> int:
    """Send every due delivery once; returns how many were delivered."""
    if not settings.webhook_url:
        return 0
    now = now or utcnow()
    delivered = 0
    with httpx.Client(timeout=settings.webhook_timeout_seconds) as client:
        for delivery_id, attempt, payload in _take(settings, now):
            status_code, error = _post(settings, client, delivery_id, payload)
            values: dict = {"last_status_code": status_code, "last_error": error}
            if error is None:
                values |= {"status": "delivered", "delivered_at": utcnow()}
                delivered += 1
            elif attempt >= settings.webhook_max_attempts:
                values["status"] = "failed"
                log.error("webhook delivery %s failed after %s attempts", delivery_id, attempt)
            else:
                values["next_attempt_at"] = utcnow() + timedelta(seconds=backoff(settings, attempt))
                log.warning("webhook delivery %s attempt %s failed (%s); will retry", delivery_id, attempt, error)
            with session_scope(settings.sqlalchemy_url) as session:
                session.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery_id).values(**values))
    return delivered


def mark_overdue(settings: Settings, *, now: datetime | None = None) -> int:
    """Urgent flags still unclaimed after `urgent_claim_minutes` become overdue and are pushed again."""
    now = now or utcnow()
    cutoff = now - timedelta(minutes=settings.urgent_claim_minutes)
    marked = 0
    with session_scope(settings.sqlalchemy_url) as session:
        stale = session.scalars(
            select(Flag).where(
                Flag.urgent.is_(True), Flag.status == "new", Flag.overdue_at.is_(None), Flag.created_at < cutoff
            )
        ).all()
        for flag in stale:
            result = session.execute(
                update(Flag)
                .where(Flag.id == flag.id, Flag.version == flag.version)
                .values(overdue_at=now, version=Flag.version + 1)
            )
            if getattr(result, "rowcount", 0) != 1:
                continue  # someone claimed it meanwhile
            record(
                session,
                action="flag.overdue",
                object_type="flag",
                object_id=str(flag.id),
                detail={"unclaimed_minutes": settings.urgent_claim_minutes},
            )
            if settings.webhook_url:
                enqueue(session, flag, "flag.overdue")
            marked += 1
    return marked
