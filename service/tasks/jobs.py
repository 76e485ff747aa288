"""The Celery tasks. Each carries ids only: no text, nothing that names a person, rides the broker.

A chunk task claims its chunk and runs `service.worker.process_chunk`, whose one transaction
stores the items and marks the chunk done; the claim (a conditional UPDATE) and the check inside
that transaction are what make a chunk's items stored exactly once, however often the broker
delivers its task. A task that finds its chunk done, or held by a live worker, returns at once.
"""

from __future__ import annotations

import logging
import time

from service.admin.retention import purge_expired
from service.batches.models import Chunk
from service.evaluations.jobs import run_job
from service.flags.webhook import deliver_due, mark_overdue
from service.storage.db import session_scope, utcnow
from service.storage.lease import kept_lease, task_lease_seconds, worker_name
from service.tasks.app import celery_app, current_settings
from service.worker import claim_chunk_id, process_chunk

log = logging.getLogger("upstander.tasks")


def _held_for(table, row_id, settings) -> float:
    """Seconds left on another worker's lease of this row (0 when free, done or expired)."""
    with session_scope(settings.sqlalchemy_url) as session:
        row = session.get(table, row_id)
        if row is None or row.lease_expires_at is None or row.status not in ("claimed", "running"):
            return 0.0
        return max(0.0, (row.lease_expires_at - utcnow()).total_seconds())


@celery_app.task(name="upstander.process_chunk", bind=True)
def process_chunk_task(self, chunk_id: int) -> bool:
    """Analyse one chunk. Returns False when there was nothing to do (done, or held elsewhere)."""
    settings = current_settings()
    worker, lease = worker_name(), task_lease_seconds(settings)
    claimed = claim_chunk_id(settings, chunk_id, worker, lease)
    if not claimed and (self.request.delivery_info or {}).get("redelivered"):
        # Redelivered: its last holder probably died. Wait out that lease once (a live holder renews it).
        wait = _held_for(Chunk, chunk_id, settings)
        if 0 < wait <= lease:
            time.sleep(wait + 0.5)
            claimed = claim_chunk_id(settings, chunk_id, worker, lease)
    if not claimed:
        return False
    try:
        with kept_lease(settings, Chunk, chunk_id, worker, lease):
            return process_chunk(settings, chunk_id, worker)
    except Exception as exc:  # the type only: a message could quote the text
        log.warning("chunk %s failed (%s); it is re-enqueued when its lease runs out", chunk_id, type(exc).__name__)
        return False


@celery_app.task(name="upstander.run_evaluation")
def run_evaluation_task(job_id: str) -> str:
    """Run one evaluation job; returns its status."""
    return run_job(current_settings(), job_id=job_id)


@celery_app.task(name="upstander.deliver_webhooks")
def deliver_webhooks_task() -> int:
    return deliver_due(current_settings())


@celery_app.task(name="upstander.mark_overdue")
def mark_overdue_task() -> int:
    return mark_overdue(current_settings())


@celery_app.task(name="upstander.apply_retention")
def apply_retention_task() -> dict[str, int]:
    return purge_expired(current_settings())
