"""The worker: claims one chunk at a time from the database, analyses it, stores the results.

A chunk is claimed with a lease (an optimistic conditional UPDATE that works the same on SQLite
and PostgreSQL), so any number of worker processes can drain the same batches. Results, counters,
the chunk's `done` mark and the deletion of its sealed input commit in one transaction: a worker
killed mid-chunk leaves the chunk claimed until its lease expires, then another run redoes it,
with no item lost or stored twice. `process_chunk(chunk_id)` is the unit a Celery task can wrap.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import func, select, update

from service import components
from service.admin.retention import purge_expired
from service.batches.models import Batch, Chunk, Item
from service.batches.service import item_from_outcome
from service.flags.webhook import deliver_due, mark_overdue
from service.pipeline.rows import InputRow
from service.settings import Settings
from service.storage.db import session_scope, utcnow
from service.storage.lease import claim, claimable, worker_name
from service.storage.sealed import load_key, unseal
from service.store import store_items

log = logging.getLogger("upstander.worker")
MAX_ATTEMPTS = 3


def _claim(session, chunk_id: int, worker: str, lease_seconds: float) -> bool:
    """Take one chunk if it is pending or its lease expired, and mark its batch running."""
    now = utcnow()
    if not claim(
        session, Chunk, chunk_id, worker=worker, seconds=lease_seconds, waiting="pending", held="claimed", now=now
    ):
        return False
    batch_id = session.scalar(select(Chunk.batch_id).where(Chunk.id == chunk_id))
    session.execute(
        update(Batch).where(Batch.id == batch_id, Batch.status == "queued").values(status="running", started_at=now)
    )
    return True


def claim_chunk(settings: Settings, worker: str) -> int | None:
    """Claim the oldest pending (or lease-expired) chunk; None when there is no work."""
    url = settings.sqlalchemy_url
    free = claimable(Chunk, waiting="pending", held="claimed", now=utcnow())
    with session_scope(url) as session:
        candidates = session.scalars(select(Chunk.id).where(free).order_by(Chunk.id).limit(5)).all()
        for chunk_id in candidates:
            if _claim(session, chunk_id, worker, settings.chunk_lease_seconds):
                return chunk_id
    return None


def claim_chunk_id(settings: Settings, chunk_id: int, worker: str, lease_seconds: float) -> bool:
    """Claim one named chunk (a Celery task's chunk); False if it is done or another worker holds it."""
    with session_scope(settings.sqlalchemy_url) as session:
        return _claim(session, chunk_id, worker, lease_seconds)


def _rows_of(sealed: list[dict]) -> list[InputRow]:
    return [
        InputRow(
            line=r["line"],
            id=r["id"],
            text=r["text"],
            consent=True,
            unit=r["unit"],
            period=r["period"],
            week=r.get("week"),
            month=r.get("month"),
            source=r["source"],
        )
        for r in sealed
    ]


def _finish_chunk(session, chunk: Chunk, items: list[Item], settings: Settings) -> None:
    """Store items and their flags, bump counters, close the chunk and maybe the batch: one transaction."""
    store_items(session, items=items, settings=settings)
    failed = sum(i.status == "error" for i in items)
    review = sum(i.status == "needs_review" for i in items)
    chunk.status, chunk.sealed_input, chunk.lease_expires_at = "done", None, None
    session.execute(
        update(Batch)
        .where(Batch.id == chunk.batch_id)
        .values(
            processed=Batch.processed + len(items),
            failed=Batch.failed + failed,
            needs_review=Batch.needs_review + review,
            chunks_done=Batch.chunks_done + 1,
            model_version=items[0].model_version if items else Batch.model_version,
        )
    )
    session.flush()
    remaining = session.scalar(
        select(func.count()).select_from(Chunk).where(Chunk.batch_id == chunk.batch_id, Chunk.status != "done")
    )
    if remaining == 0:
        session.execute(update(Batch).where(Batch.id == chunk.batch_id).values(status="done", finished_at=utcnow()))


def process_chunk(settings: Settings, chunk_id: int, worker: str, pipeline=None) -> bool:
    """Analyse one claimed chunk. Returns False if the claim was lost to another worker."""
    url = settings.sqlalchemy_url
    with session_scope(url) as session:
        chunk = session.get(Chunk, chunk_id)
        if chunk is None or chunk.status != "claimed" or chunk.claimed_by != worker:
            return False
        sealed, batch_id, seq, attempts = chunk.sealed_input, chunk.batch_id, chunk.seq, chunk.attempts
    rows_meta = unseal(load_key(settings), sealed, f"{batch_id}:{seq}") if sealed else []
    if attempts > MAX_ATTEMPTS:
        outcomes = None  # a poison chunk: hand its rows to reviewers rather than loop forever
    else:
        outcomes = (pipeline or components.get_pipeline(settings)).process(_rows_of(rows_meta))
    with session_scope(url) as session:
        chunk = session.get(Chunk, chunk_id, with_for_update=True)
        if chunk is None or chunk.status != "claimed" or chunk.claimed_by != worker:
            return False
        if outcomes is None:
            items = [
                Item(
                    batch_id=batch_id,
                    row_index=r["i"],
                    line=r["line"],
                    external_id=r["id"],
                    status="needs_review",
                    unit=r["unit"],
                    period=r["period"],
                    source=r["source"],
                    week=r.get("week"),
                    month=r.get("month"),
                    error_code="processing_failed",
                    error_message="processing failed repeatedly; the text was not kept",
                )
                for r in rows_meta
            ]
        else:
            items = [item_from_outcome(batch_id, r["i"], o) for r, o in zip(rows_meta, outcomes, strict=True)]
        _finish_chunk(session, chunk, items, settings)
    return True


def run_worker(settings: Settings, stop: threading.Event | None = None, *, until_idle: bool = False) -> int:
    """Drain chunks until stopped (or, with until_idle, until no work is left). Returns chunks done."""
    stop = stop or threading.Event()
    worker = worker_name()
    done = 0
    while not stop.is_set():
        chunk_id = claim_chunk(settings, worker)
        if chunk_id is None:
            if until_idle:
                return done
            stop.wait(settings.worker_poll_seconds)
            continue
        try:
            done += process_chunk(settings, chunk_id, worker)
        except Exception:
            log.exception("chunk %s failed; it will be retried when its lease expires", chunk_id)
    return done


def housekeeping(settings: Settings, *, now=None, purge: bool = False) -> dict[str, int]:
    """The periodic jobs: push due webhooks, mark unclaimed urgent flags overdue, apply retention."""
    done = {"overdue": mark_overdue(settings, now=now), "delivered": deliver_due(settings, now=now)}
    if purge:
        done["purged_items"] = purge_expired(settings, now=now)["items"]
    return done


def run_housekeeping(settings: Settings, stop: threading.Event) -> None:
    """Run `housekeeping` every `housekeeping_seconds` (retention every `retention_check_seconds`)."""
    next_purge = 0.0
    while not stop.is_set():
        purge = time.monotonic() >= next_purge
        try:
            housekeeping(settings, purge=purge)
            if purge:
                next_purge = time.monotonic() + settings.retention_check_seconds
        except Exception:
            log.exception("housekeeping failed; it will run again")
        stop.wait(settings.housekeeping_seconds)
