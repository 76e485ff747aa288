"""Retention and erasure: delete stored items, flags and everything hanging off them.

Both leave an audit record with counts and ids only. Retention never purges an item whose flag
is still open: an urgent case must not vanish from the reviewers' queue because it got old.
Erasure of a batch (a data subject's or the organisation's request) removes everything of it.
Finished evaluation jobs (their reports hold group metrics only) go after the same period; one still
queued or running is left to its worker.
Children are deleted explicitly, not left to ON DELETE CASCADE, so both engines behave the same.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from service.audit.models import record
from service.batches.models import Batch, Chunk, Item, ItemPerson
from service.evaluations.models import EvaluationJob
from service.flags.models import OPEN_STATUSES, Flag, FlagLabel, FlagNote, WebhookDelivery
from service.settings import Settings
from service.storage.db import scrub_deleted, session_scope, utcnow

# Every table an erasure deletes from (scrubbed afterwards so nothing is recoverable from the files).
ERASED_TABLES = (
    "webhook_deliveries",
    "flag_notes",
    "flag_labels",
    "flags",
    "item_persons",
    "items",
    "chunks",
    "batches",
)
FINISHED_JOBS = ("done", "failed")


def _count(session: Session, statement) -> int:
    return int(getattr(session.execute(statement), "rowcount", 0) or 0)


def _delete_items(session: Session, item_ids) -> dict[str, int]:
    """Delete the given items (a subquery of ids) and their flags, notes, labels, deliveries, persons."""
    flag_ids = select(Flag.id).where(Flag.item_id.in_(item_ids))
    counts = {}
    for name, table, column in (
        ("deliveries", WebhookDelivery, WebhookDelivery.flag_id),
        ("notes", FlagNote, FlagNote.flag_id),
        ("labels", FlagLabel, FlagLabel.flag_id),
    ):
        counts[name] = _count(session, delete(table).where(column.in_(flag_ids)))
    counts["flags"] = _count(session, delete(Flag).where(Flag.item_id.in_(item_ids)))
    session.execute(delete(ItemPerson).where(ItemPerson.item_id.in_(item_ids)))
    counts["items"] = _count(session, delete(Item).where(Item.id.in_(item_ids)))
    return counts


def erase_batch(
    session: Session,
    *,
    batch_id: str,
    actor_token_id: int | None,
    actor_role: str | None,
    request_id: str | None = None,
) -> dict[str, int] | None:
    """Delete a batch and everything derived from it; None if there is no such batch."""
    if session.get(Batch, batch_id) is None:
        return None
    counts = _delete_items(session, select(Item.id).where(Item.batch_id == batch_id).scalar_subquery())
    counts["chunks"] = _count(session, delete(Chunk).where(Chunk.batch_id == batch_id))
    session.execute(delete(Batch).where(Batch.id == batch_id))
    record(
        session,
        action="batch.erase",
        object_type="batch",
        object_id=batch_id,
        actor_token_id=actor_token_id,
        actor_role=actor_role,
        request_id=request_id,
        detail=counts,
    )
    return counts


def purge_expired(settings: Settings, *, now: datetime | None = None) -> dict[str, int]:
    """Delete items (and their flags) older than `retention_days`, except those with an open flag,
    and evaluation jobs that finished before then."""
    cutoff = (now or utcnow()) - timedelta(days=settings.retention_days)
    with session_scope(settings.sqlalchemy_url) as session:
        held = exists().where(Flag.item_id == Item.id, Flag.status.in_(OPEN_STATUSES))
        expired = select(Item.id).where(Item.created_at < cutoff, ~held).scalar_subquery()
        counts = _delete_items(session, expired)
        counts["held_open_flags"] = (
            session.scalar(select(func.count()).select_from(Item).where(Item.created_at < cutoff, held)) or 0
        )
        empty = select(Batch.id).where(
            Batch.created_at < cutoff,
            ~exists().where(Item.batch_id == Batch.id),
            ~exists().where(Chunk.batch_id == Batch.id, Chunk.status != "done"),
        )
        batch_ids = list(session.scalars(empty))
        if batch_ids:
            session.execute(delete(Chunk).where(Chunk.batch_id.in_(batch_ids)))
            session.execute(delete(Batch).where(Batch.id.in_(batch_ids)))
        counts["batches"] = len(batch_ids)
        counts["evaluation_jobs"] = _count(
            session,
            delete(EvaluationJob).where(
                EvaluationJob.status.in_(FINISHED_JOBS),
                func.coalesce(EvaluationJob.finished_at, EvaluationJob.created_at) < cutoff,
            ),
        )
        purged = any(counts[k] for k in ("items", "batches", "evaluation_jobs"))
        if purged:
            record(
                session,
                action="retention.purge",
                object_type="retention",
                object_id=cutoff.date().isoformat(),
                detail=counts,
            )
    if purged:
        scrub_deleted(settings.sqlalchemy_url, (*ERASED_TABLES, "evaluation_jobs"))
    return counts
