"""Tables of the flags domain: the reviewers' queue, their notes and label corrections, and the
webhook outbox. Flags carry labels copied from the item so the queue sorts and filters in SQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.storage.db import Base, utcnow

STATUSES = ("new", "in_review", "escalated", "resolved", "dismissed")
OPEN_STATUSES = ("new", "in_review", "escalated")
# Why a flag was dismissed or reopened: codes, so the audit trail never holds free text.
TRIAGE_REASONS = (
    "false_positive",
    "not_workplace",
    "duplicate",
    "already_handled",
    "insufficient_information",
    "new_information",
    "other",
)


class Flag(Base):
    __tablename__ = "flags"
    __table_args__ = (Index("ix_flags_queue", "status", "urgent", "severity_rank", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), unique=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    unit: Mapped[str | None] = mapped_column(String(200), index=True)
    reason: Mapped[str] = mapped_column(String(16))  # urgent | high_severity | needs_review
    urgent: Mapped[bool] = mapped_column(default=False)
    severity: Mapped[str | None] = mapped_column(String(16))
    severity_rank: Mapped[int] = mapped_column(default=0)  # queue order; needs_review ranks as critical (service.py)
    themes: Mapped[list] = mapped_column(default=list)
    urgent_reasons: Mapped[list] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(16), default="new")
    assignee_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"), index=True)
    dismiss_reason: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)  # optimistic concurrency (ETag)
    overdue_at: Mapped[datetime | None] = mapped_column()  # set when an urgent flag went unclaimed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()

    @property
    def overdue(self) -> bool:
        return self.overdue_at is not None


class FlagNote(Base):
    """A reviewer's note, stored only after the same PII redaction as item text."""

    __tablename__ = "flag_notes"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"), index=True)
    author_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    redacted_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FlagLabel(Base):
    """A reviewer's corrected labels for the flagged item: feedback for the next training run."""

    __tablename__ = "flag_labels"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    reviewer_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    themes: Mapped[list] = mapped_column(default=list)
    severity: Mapped[str] = mapped_column(String(16))
    urgent_reasons: Mapped[list] = mapped_column(default=list)
    model_version: Mapped[str | None] = mapped_column(String(100))  # the version that was corrected
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class WebhookDelivery(Base):
    """The outbox: written in the transaction that creates or escalates a flag, sent by a worker.

    Being a table, pending deliveries survive restarts; `next_attempt_at` doubles as a lease.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(32))  # flag.urgent | flag.overdue
    payload: Mapped[dict] = mapped_column(default=dict)  # ids, severity, reasons: never text
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|delivered|failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_status_code: Mapped[int | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(String(200))
    delivered_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
