"""Batch service functions: ingest an upload into sealed chunks, read status and results.

Ingest is parsing and sealing only; analysis happens in workers that claim chunks.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.batches.models import Batch, Chunk, Item
from service.errors import UpstanderError
from service.inputs import InputRow, RowError, iter_rows, preflight
from service.keyed import keyed_ref, row_ref
from service.labels import SEVERITY_RANK, theme_mask
from service.settings import Settings
from service.storage.db import utcnow
from service.storage.sealed import load_key, seal
from service.units import in_scope, scope_clause


def items_to_jsonl(items: list[dict]) -> bytes:
    """A JSON list of items is ingested exactly like a JSONL upload."""
    return b"".join(json.dumps(item, ensure_ascii=False).encode() + b"\n" for item in items)


def find_existing(session: Session, *, idempotency_key: str | None, content_hash: str) -> Batch | None:
    if idempotency_key:
        batch = session.scalar(select(Batch).where(Batch.idempotency_key == idempotency_key))
        if batch is not None:
            if batch.content_hash != content_hash:
                raise UpstanderError(
                    "this Idempotency-Key was used for a different upload",
                    code="idempotency_conflict",
                    http_status=409,
                )
            return batch
    return session.scalar(select(Batch).where(Batch.content_hash == content_hash))


def _error_item(batch_id: str, index: int, row: InputRow, ref: str | None) -> Item:
    assert row.error is not None
    return Item(
        batch_id=batch_id,
        row_index=index,
        line=row.line,
        external_id=ref,
        status="error",
        error_code=row.error.code,
        error_message=row.error.message[:300],
    )


def _skipped_item(batch_id: str, index: int, row: InputRow, ref: str | None) -> Item:
    """A row without consent keeps its place in the batch's item list and nothing else: no text,
    no unit, no period, only the keyed reference of its id (the CLI writes the same line)."""
    return Item(batch_id=batch_id, row_index=index, line=row.line, external_id=ref, status="skipped")


def _sealed_row(index: int, row: InputRow, ref: str) -> dict:
    return {
        "i": index,
        "line": row.line,
        "id": ref,
        "text": row.text,
        "unit": row.unit,
        "period": row.period,
        "week": row.week,
        "month": row.month,
        "source": row.source,
    }


def ingest(
    session: Session,
    *,
    data: bytes,
    settings: Settings,
    fmt: str | None = None,
    filename: str | None = None,
    idempotency_key: str | None = None,
    key: bytes | None = None,
    created_by: int | None = None,
    units: tuple[str, ...] = (),
    encoding: str = "utf-8",
) -> tuple[Batch, bool]:
    """Create a batch from an upload, or return the existing one for the same key or content.

    The new batch is flushed, not committed: the caller commits it with its audit event, in one
    transaction. `key` seals the pending rows (default: the configured sealing key). A unit-scoped
    uploader may only submit rows for its own units: any other consented row becomes a
    `unit_out_of_scope` row error (kept in the batch, its text never stored).
    """
    key = key or load_key(settings)
    content_hash = hashlib.sha256(data).hexdigest()
    if idempotency_key is not None:
        idempotency_key = keyed_ref(settings, "idempotency", idempotency_key, size=64)
    existing = find_existing(session, idempotency_key=idempotency_key, content_hash=content_hash)
    if existing is not None:
        return existing, False
    check = preflight(
        lambda: io.BytesIO(data),
        name=filename,
        size=len(data),
        max_item_chars=settings.max_item_chars,
        max_bytes=settings.max_upload_bytes,
        fmt=fmt,
        encoding=encoding,
    )
    batch = Batch(
        id=str(uuid.uuid4()),
        idempotency_key=idempotency_key,
        content_hash=content_hash,
        format=check.fmt,
        created_by=created_by,
    )
    session.add(batch)
    session.flush()
    pending: list[dict] = []
    chunk_seq = 0

    def flush_chunk() -> None:
        nonlocal chunk_seq, pending
        if pending:
            aad = f"{batch.id}:{chunk_seq}"
            session.add(
                Chunk(batch_id=batch.id, seq=chunk_seq, rows=len(pending), sealed_input=seal(key, pending, aad))
            )
            chunk_seq += 1
            pending = []

    for index, row in enumerate(iter_rows(io.BytesIO(data), check.fmt, settings.max_item_chars, encoding)):
        batch.total += 1
        ref = row_ref(settings, batch.id, row.id) if row.id is not None else None
        if row.error is None and row.consent and not in_scope(row.unit, units):
            row.error = RowError("unit_out_of_scope", f"line {row.line}: the row's unit is outside this token's units")
        if row.error is not None:
            session.add(_error_item(batch.id, index, row, ref))
            batch.failed += 1
            batch.processed += 1
        elif not row.consent:
            session.add(_skipped_item(batch.id, index, row, ref))  # counted; its text is dropped unread
            batch.skipped_no_consent += 1
            batch.processed += 1
        else:
            pending.append(_sealed_row(index, row, ref or ""))
            if len(pending) >= settings.chunk_size:
                flush_chunk()
    flush_chunk()
    batch.chunks_total = chunk_seq
    if chunk_seq == 0:
        batch.status = "done"
    try:
        session.flush()
    except IntegrityError:  # the same upload raced in from another request
        session.rollback()
        existing = find_existing(session, idempotency_key=idempotency_key, content_hash=content_hash)
        if existing is None:
            raise
        return existing, False
    return batch, True


def progress(session: Session, batch: Batch) -> tuple[float | None, datetime | None]:
    """Rows analysed per second since the batch started, and the finish that rate predicts."""
    if batch.started_at is None or batch.status != "running":
        return None, None
    done_rows, left_rows = session.execute(
        select(
            func.coalesce(func.sum(case((Chunk.status == "done", Chunk.rows), else_=0)), 0),
            func.coalesce(func.sum(case((Chunk.status != "done", Chunk.rows), else_=0)), 0),
        ).where(Chunk.batch_id == batch.id)
    ).one()
    started = batch.started_at if batch.started_at.tzinfo else batch.started_at.replace(tzinfo=UTC)
    elapsed = (utcnow() - started).total_seconds()
    if not done_rows or elapsed <= 0:
        return None, None
    rate = done_rows / elapsed
    return round(rate, 2), utcnow() + timedelta(seconds=left_rows / rate)


def get_batch(session: Session, *, batch_id: str) -> Batch | None:
    return session.get(Batch, batch_id)


def list_items(session: Session, *, batch_id: str, after: int, limit: int, units: tuple[str, ...] = ()) -> list[Item]:
    """Items in input order after the cursor's row index, only those in the reader's units."""
    query = select(Item).where(Item.batch_id == batch_id, Item.row_index > after).order_by(Item.row_index).limit(limit)
    if (clause := scope_clause(Item.unit, units)) is not None:
        query = query.where(clause)
    return list(session.scalars(query))


def item_record(item: Item) -> dict:
    """The public item shape of architecture.md, as `upstander analyze` writes it (less the
    pass-through columns, which the API never stores: it cannot know they name nobody)."""
    record: dict = {"id": item.external_id}
    if item.status == "skipped":
        return record | {"skipped": "no_consent"}
    for key in ("unit", "period", "source"):
        if getattr(item, key) is not None:
            record[key] = getattr(item, key)
    if item.status == "error":
        record["error"] = {"code": item.error_code, "message": item.error_message, "line": item.line}
        return record
    record |= {
        "redacted_text": item.redacted_text,
        "themes": item.themes,
        "scores": item.scores,
        "severity": item.severity,
        "urgent": item.urgent,
        "urgent_reasons": item.urgent_reasons,
        "evidence": item.evidence,
        "model_version": item.model_version,
    }
    if item.status == "needs_review":
        record["needs_review"] = True
        record["error"] = {"code": item.error_code, "message": item.error_message}
    return record


def item_from_outcome(batch_id: str, index: int, outcome) -> Item:
    """The stored row of one pipeline outcome (redacted text and labels only)."""
    rec = outcome.record
    err = rec.get("error") or {}
    return Item(
        batch_id=batch_id,
        row_index=index,
        line=outcome.row.line,
        external_id=outcome.row.id,
        status=outcome.status,
        unit=outcome.row.unit,
        period=outcome.row.period,
        source=outcome.row.source,
        week=outcome.row.week,
        month=outcome.row.month,
        redacted_text=rec.get("redacted_text"),
        themes=rec.get("themes", []),
        scores=rec.get("scores", {}),
        theme_mask=theme_mask(rec.get("themes", [])),
        severity=rec.get("severity"),
        severity_rank=SEVERITY_RANK.get(rec.get("severity") or ""),
        urgent=bool(rec.get("urgent")),
        urgent_reasons=rec.get("urgent_reasons", []),
        evidence=rec.get("evidence", []),
        person_pseudonyms=outcome.person_pseudonyms,
        model_version=rec.get("model_version"),
        error_code=err.get("code"),
        error_message=err.get("message"),
    )
