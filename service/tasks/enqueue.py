"""What `serve` sends to the broker: one task per chunk at upload, and a safety net.

The upload commits its chunks first and enqueues after, so a crash (or a broker outage) between
the two leaves pending chunks with no task. Redis itself may lose messages on a restart without
persistence. So `serve` re-enqueues, every `requeue_seconds`: chunks and jobs whose lease ran out
(their worker died and the broker has not yet handed the task back), and, when the queue is
empty, pending ones older than one period. Extra copies cost a no-op task: the claim decides.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import select

from service.batches.models import Chunk
from service.evaluations.models import EvaluationJob
from service.settings import Settings
from service.storage.db import session_scope, utcnow
from service.tasks import QUEUE
from service.tasks import jobs as _registers_the_tasks  # noqa: F401
from service.tasks.app import app_for

log = logging.getLogger("upstander.tasks")
REQUEUE_LIMIT = 2000  # per period; the next period takes the rest


def _send(settings: Settings, task_name: str, ids: list) -> int:
    if not ids:
        return 0
    app = app_for(settings)
    task = app.tasks[task_name]
    with app.producer_or_acquire() as producer:
        for one in ids:
            task.apply_async(args=[one], producer=producer)
    return len(ids)


def enqueue_batch(settings: Settings, batch_id: str) -> int:
    """One task per pending chunk of a new batch. A broker failure is logged, not raised: the
    batch is already stored, and the safety net sends its tasks later."""
    with session_scope(settings.sqlalchemy_url) as session:
        ids = list(session.scalars(select(Chunk.id).where(Chunk.batch_id == batch_id, Chunk.status == "pending")))
    try:
        return _send(settings, "upstander.process_chunk", ids)
    except Exception as exc:
        log.warning("could not enqueue batch %s (%s); the safety net will", batch_id, type(exc).__name__)
        return 0


def enqueue_evaluation(settings: Settings, job_id: str) -> None:
    try:
        _send(settings, "upstander.run_evaluation", [job_id])
    except Exception as exc:
        log.warning("could not enqueue evaluation %s (%s); the safety net will", job_id, type(exc).__name__)


def queued_messages(settings: Settings) -> int:
    """Messages waiting on the queue (not those a worker holds)."""
    with app_for(settings).connection_for_read() as conn:
        return conn.default_channel.queue_declare(queue=QUEUE).message_count


def requeue_stale(settings: Settings, *, now=None) -> dict[str, int]:
    """Re-enqueue work whose task was lost; see the module docstring."""
    now = now or utcnow()
    old = now - timedelta(seconds=settings.requeue_seconds)
    idle = queued_messages(settings) == 0
    with session_scope(settings.sqlalchemy_url) as session:
        chunk_state = (Chunk.status == "claimed") & (Chunk.lease_expires_at < now)
        if idle:
            chunk_state = chunk_state | ((Chunk.status == "pending") & (Chunk.updated_at < old))
        chunks = list(session.scalars(select(Chunk.id).where(chunk_state).order_by(Chunk.id).limit(REQUEUE_LIMIT)))
        job_state = (EvaluationJob.status == "running") & (EvaluationJob.lease_expires_at < now)
        if idle:
            job_state = job_state | ((EvaluationJob.status == "queued") & (EvaluationJob.created_at < old))
        jobs = list(session.scalars(select(EvaluationJob.id).where(job_state).limit(REQUEUE_LIMIT)))
    return {
        "chunks": _send(settings, "upstander.process_chunk", chunks),
        "evaluations": _send(settings, "upstander.run_evaluation", jobs),
    }


def run_requeue(settings: Settings, stop: threading.Event) -> None:
    """`serve`'s safety-net loop: once at start (covers a crash between commit and enqueue), then
    every `requeue_seconds`."""
    while not stop.is_set():
        try:
            sent = requeue_stale(settings)
            if any(sent.values()):
                log.info("re-enqueued stale work: %s", sent)
        except Exception as exc:
            log.warning("re-enqueue failed (%s); it runs again", type(exc).__name__)
        stop.wait(settings.requeue_seconds)
