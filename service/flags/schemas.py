"""Request and public shapes of the flags API, bounded so nothing is mass-assigned or over-exposed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field

from service.flags.models import STATUSES, TRIAGE_REASONS
from service.ids import MAX_DB_INT
from service.labels import SEVERITIES, THEMES, URGENT_REASONS

# The label contract and the triage vocabulary come from their one home (service/labels.py,
# service/flags/models.py); the Literal types below are built from those tuples, not copied.
if TYPE_CHECKING:
    Theme: TypeAlias = str
    Severity: TypeAlias = str
    UrgentReason: TypeAlias = str
    Status: TypeAlias = str
    TriageReason: TypeAlias = str
else:
    Theme = Literal[THEMES]
    Severity = Literal[SEVERITIES]
    UrgentReason = Literal[URGENT_REASONS]
    Status = Literal[STATUSES]
    TriageReason = Literal[TRIAGE_REASONS]


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
