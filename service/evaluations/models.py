"""Evaluation jobs: a researcher's large evaluation, run by a Celery worker and polled.

The labelled rows hold raw text, so they are kept only sealed (AES-GCM, as a batch's pending
chunks are) and the ciphertext is deleted when the job ends; the stored result is the report,
which holds group metrics only. A job is claimed with a lease, like a chunk, so a redelivered
task never runs it twice at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from service.storage.db import Base, utcnow


class EvaluationJob(Base):
    __tablename__ = "evaluation_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)  # queued|running|done|failed
    created_by: Mapped[int | None] = mapped_column()
    items: Mapped[int] = mapped_column(default=0)
    group_cols: Mapped[list] = mapped_column(default=list)
    n_boot: Mapped[int] = mapped_column(default=0)
    sealed_input: Mapped[bytes | None] = mapped_column(LargeBinary)  # deleted when the job ends
    result: Mapped[dict | None] = mapped_column()
    error_code: Mapped[str | None] = mapped_column(String(40))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
