"""Request and public schemas of the batches domain, with bounds on every field."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.settings import MAX_ITEM_CHARS_CEILING


class BatchAccepted(BaseModel):
    id: str
    status: str
    duplicate: bool = Field(description="true when this upload matched an existing batch")
    total: int
    links: dict[str, str]


class BatchCounts(BaseModel):
    """Rows by status. `processed` = analyzed + needs_review + failed + skipped_no_consent; rows
    without consent or with errors are settled at upload, so they count at once."""

    total: int
    processed: int
    queued: int = Field(description="rows waiting for analysis")
    analyzed: int
    skipped_no_consent: int
    failed: int
    needs_review: int


class BatchPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    status: Literal["queued", "running", "done", "failed"]
    format: str
    counts: BatchCounts
    chunks_total: int
    chunks_done: int
    model_version: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    rows_per_second: float | None = Field(None, description="analysis rate measured on this batch so far")
    estimated_finish_at: datetime | None = Field(None, description="from the measured rate; null until known")


class ItemError(BaseModel):
    code: str
    message: str
    line: int | None = None


class ItemPublic(BaseModel):
    """One item record, the same from `upstander analyze`, batch item listings and `/v1/analyze`
    (architecture.md). An analysed row carries its labels; a row without consent only `id` and
    `skipped: "no_consent"`; a bad row `id` and `error` (with its line). Absent fields are omitted,
    not null. Columns beyond the contract pass through in the CLI's output only: the API never
    stores a value it cannot vouch for."""

    id: str | None
    unit: str | None = None
    period: str | None = None
    source: str | None = None
    redacted_text: str | None = None
    themes: list[str] | None = None
    scores: dict[str, float] | None = None
    severity: str | None = None
    urgent: bool | None = None
    urgent_reasons: list[str] | None = None
    evidence: list[str] | None = None
    model_version: str | None = None
    needs_review: bool | None = None
    skipped: str | None = None
    error: ItemError | None = None


class ItemPage(BaseModel):
    items: list[ItemPublic]
    next_cursor: str | None


class AnalyzeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, max_length=200)
    text: str = Field(
        ..., min_length=1, max_length=MAX_ITEM_CHARS_CEILING, description="at most UPSTANDER_MAX_ITEM_CHARS characters"
    )
    consent: bool
    source: Literal["survey", "report"] | None = None
    unit: str | None = Field(None, max_length=200)
    period: str | None = Field(None, max_length=32)


class AnalyzeResponse(ItemPublic):
    """The item record, plus where it was kept: its batch of one and the flag it opened, if any."""

    batch_id: str | None = None
    flag_id: int | None = None
