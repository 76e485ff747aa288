"""Tables of the batches domain. No column ever holds raw text (see storage/sealed.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.storage.db import Base, utcnow


class Batch(Base):
    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    format: Mapped[str] = mapped_column(String(8))
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    skipped_no_consent: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    needs_review: Mapped[int] = mapped_column(default=0)
    chunks_total: Mapped[int] = mapped_column(default=0)
    chunks_done: Mapped[int] = mapped_column(default=0)
    model_version: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()


class Chunk(Base):
    """The unit of work: a run of consecutive consented rows, claimed with a lease."""

    __tablename__ = "chunks"
    __table_args__ = (UniqueConstraint("batch_id", "seq"), Index("ix_chunks_claim", "status", "lease_expires_at"))

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|claimed|done
    rows: Mapped[int] = mapped_column()
    sealed_input: Mapped[bytes | None] = mapped_column(LargeBinary)  # AES-GCM, deleted when done
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Item(Base):
    """One analysed (or failed) row: redacted text and labels only."""

    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("batch_id", "row_index"), Index("ix_items_trend", "unit", "period"))

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    row_index: Mapped[int] = mapped_column()  # position among the file's rows, for input order
    line: Mapped[int] = mapped_column()
    external_id: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))  # done|error|needs_review
    unit: Mapped[str | None] = mapped_column(String(200))
    period: Mapped[str | None] = mapped_column(String(32))  # survey wave as given, else month
    week: Mapped[str | None] = mapped_column(String(10))  # ISO week of submitted_at
    month: Mapped[str | None] = mapped_column(String(7))  # month of submitted_at
    source: Mapped[str | None] = mapped_column(String(8))
    redacted_text: Mapped[str | None] = mapped_column(Text)
    themes: Mapped[list] = mapped_column(default=list)
    scores: Mapped[dict] = mapped_column(default=dict)
    theme_mask: Mapped[int] = mapped_column(default=0)  # bit i set when labels.THEMES[i] applies: SQL trends
    severity: Mapped[str | None] = mapped_column(String(16), index=True)
    severity_rank: Mapped[int | None] = mapped_column()  # 0 none .. 4 critical, for SQL ordering
    urgent: Mapped[bool] = mapped_column(default=False, index=True)
    urgent_reasons: Mapped[list] = mapped_column(default=list)
    evidence: Mapped[list] = mapped_column(default=list)
    person_pseudonyms: Mapped[list] = mapped_column(default=list)
    model_version: Mapped[str | None] = mapped_column(String(100))
    error_code: Mapped[str | None] = mapped_column(String(40))
    error_message: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ItemPerson(Base):
    """One pseudonymous person named in one item: lets hotspots be counted in SQL.

    `pseudonym` is the keyed HMAC from redaction, never a name.
    """

    __tablename__ = "item_persons"
    __table_args__ = (Index("ix_item_persons_unit", "unit", "pseudonym"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    unit: Mapped[str | None] = mapped_column(String(200))
    period: Mapped[str | None] = mapped_column(String(32))
    pseudonym: Mapped[str] = mapped_column(String(64))
