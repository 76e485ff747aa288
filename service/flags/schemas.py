"""Request and public shapes of the flags API, bounded so nothing is mass-assigned or over-exposed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.ids import MAX_DB_INT

Theme = Literal[
    "verbal_abuse",
    "humiliation",
    "exclusion",
    "work_obstruction",
    "unfair_criticism",
    "gossip_rumours",
    "intimidation",
    "physical_violence",
    "sexual_harassment",
    "discrimination",
    "retaliation",
    "distress",
]
Severity = Literal["none", "low", "moderate", "high", "critical"]
UrgentReason = Literal["violence", "sexual_assault", "self_harm", "stalking"]
Status = Literal["new", "in_review", "escalated", "resolved", "dismissed"]
# Why a flag was dismissed or reopened: codes, so the audit trail never holds free text.
TriageReason = Literal[
    "false_positive",
    "not_workplace",
    "duplicate",
    "already_handled",
    "insufficient_information",
    "new_information",
    "other",
]


class FlagUpdate(BaseModel):
    """Claim (status in_review), assign, or move along the state machine."""

    model_config = ConfigDict(extra="forbid")
    status: Status | None = None
    assignee_token_id: int | None = Field(None, ge=1, le=MAX_DB_INT)
    reason: TriageReason | None = None
    version: int | None = Field(None, ge=1, le=MAX_DB_INT, description="alternative to the If-Match header")


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: str = Field(..., min_length=1, max_length=5000, description="redacted before it is stored")


class LabelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    themes: list[Theme] = Field(default_factory=list, max_length=12)
    severity: Severity
    urgent_reasons: list[UrgentReason] = Field(default_factory=list, max_length=4)


class FlagSummary(BaseModel):
    """A queue row: labels and state, no text (listing the queue is not a read of item text)."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    status: str
    reason: str
    urgent: bool
    severity: str | None
    themes: list[str]
    urgent_reasons: list[str]
    unit: str | None
    batch_id: str
    assignee_token_id: int | None
    overdue: bool
    version: int
    created_at: datetime
    updated_at: datetime


class FlagPage(BaseModel):
    flags: list[FlagSummary]
    next_cursor: str | None


class NotePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    author_token_id: int | None
    redacted_body: str
    created_at: datetime


class LabelPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    reviewer_token_id: int | None
    themes: list[str]
    severity: str
    urgent_reasons: list[str]
    model_version: str | None
    created_at: datetime


class DeliveryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    event: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime
    delivered_at: datetime | None


class HistoryEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    at: datetime
    action: str
    actor_token_id: int | None
    detail: dict


class FlaggedItem(BaseModel):
    id: str | None
    redacted_text: str | None
    themes: list[str]
    scores: dict[str, float]
    severity: str | None
    urgent: bool
    urgent_reasons: list[str]
    evidence: list[str]
    model_version: str | None
    needs_review: bool
    source: str | None = None
    period: str | None = None


class FlagDetail(FlagSummary):
    dismiss_reason: str | None
    closed_at: datetime | None
    item: FlaggedItem
    notes: list[NotePublic]
    labels: list[LabelPublic]
    deliveries: list[DeliveryPublic]
    history: list[HistoryEntry]
