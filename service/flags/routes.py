"""Routes of the flags domain: the reviewers' queue and triage actions.

Only reviewers reach these routes, and only for flags in their units: another unit's flag is
answered 404, exactly like a flag that does not exist. Reading a flag returns item text, so it
writes an audit event; so does every triage action, in the same transaction.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from service.audit.models import record as audit
from service.batches.service import item_record
from service.errors import NotFound, UpstanderError
from service.flags import service
from service.flags.models import Flag
from service.flags.schemas import (
    FlagDetail,
    FlaggedItem,
    FlagPage,
    FlagSummary,
    FlagUpdate,
    LabelCreate,
    LabelPublic,
    NoteCreate,
    NotePublic,
    Severity,
    Status,
    Theme,
)
from service.http.deps import PipelineLoader, Principal, SessionDep, require_role
from service.http.errors import responses
from service.ids import PathId, in_db_range

router = APIRouter(prefix="/v1", tags=["flags"])
Reviewer = Annotated[Principal, Depends(require_role("reviewer"))]


def _actor(principal: Principal) -> service.Actor:
    return service.Actor(principal.token_id, principal.role, principal.units, principal.request_id)


def _load(session, flag_id: int, principal: Principal) -> Flag:
    flag = service.get_flag(session, flag_id=flag_id, actor=_actor(principal))
    if flag is None:
        raise NotFound("no such flag")
    return flag


def _etag(flag: Flag) -> str:
    return f'"{flag.version}"'


def _expected_version(if_match: str | None, body_version: int | None) -> int:
    if if_match:
        tag = if_match.strip().removeprefix("W/").strip('"')
        if not tag.isdigit() or not in_db_range(int(tag)):
            raise UpstanderError("If-Match must be the flag's ETag", code="invalid_if_match", http_status=400)
        return int(tag)
    if body_version is not None:
        return body_version
    raise UpstanderError(
        "send If-Match with the flag's ETag (or a version) so no update is lost",
        code="precondition_required",
        http_status=428,
    )


def _detail(session, flag: Flag) -> FlagDetail:
    extra = service.details(session, flag=flag)
    item = extra.pop("item")
    shown = FlaggedItem.model_validate(item_record(item) | {"needs_review": item.status == "needs_review"})
    summary = FlagSummary.model_validate(flag).model_dump()
    return FlagDetail(**summary, dismiss_reason=flag.dismiss_reason, closed_at=flag.closed_at, item=shown, **extra)


@router.get("/flags", response_model=FlagPage)
def list_flags(
    session: SessionDep,
    principal: Reviewer,
    status: Annotated[list[Status] | None, Query()] = None,
    severity: Annotated[list[Severity] | None, Query()] = None,
    theme: Theme | None = None,
    urgent: bool | None = None,
    overdue: bool | None = None,
    batch_id: Annotated[str | None, Query(max_length=36)] = None,
    assignee: Annotated[str | None, Query(pattern=r"^(me|none|[0-9]{1,12})$")] = None,
    unit: Annotated[str | None, Query(max_length=200)] = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> FlagPage:
    """The queue: urgent first, then severity, then oldest first."""
    filters = {
        "status": status,
        "severity": severity,
        "theme": theme,
        "urgent": urgent,
        "overdue": overdue,
        "batch_id": batch_id,
        "assignee": assignee,
        "unit": unit,
    }
    flags, next_cursor = service.list_flags(
        session, actor=_actor(principal), filters=filters, cursor=cursor, limit=limit
    )
    return FlagPage(flags=[FlagSummary.model_validate(f) for f in flags], next_cursor=next_cursor)


@router.get("/flags/{flag_id}", response_model=FlagDetail, responses=responses(404))
def read_flag(flag_id: PathId, session: SessionDep, principal: Reviewer, response: Response) -> FlagDetail:
    flag = _load(session, flag_id, principal)
    audit(
        session,
        action="flag.read",
        object_type="flag",
        object_id=str(flag.id),
        actor_token_id=principal.token_id,
        actor_role=principal.role,
        request_id=principal.request_id,
    )
    body = _detail(session, flag)
    session.commit()
    response.headers["ETag"] = _etag(flag)
    return body


@router.patch("/flags/{flag_id}", response_model=FlagSummary, responses=responses(404, 409, 412, 428))
def update_flag(
    flag_id: PathId,
    body: FlagUpdate,
    session: SessionDep,
    principal: Reviewer,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=40)] = None,
) -> FlagSummary:
    """Claim, assign or move a flag; the caller must hold its current ETag (else 412)."""
    flag = _load(session, flag_id, principal)
    expected = _expected_version(if_match, body.version)
    changes = service.plan_update(
        session,
        flag=flag,
        actor=_actor(principal),
        expected_version=expected,
        status=body.status,
        assignee=body.assignee_token_id,
        reason=body.reason,
    )
    flag = service.apply_update(
        session, flag=flag, expected_version=expected, changes=changes, actor=_actor(principal), reason=body.reason
    )
    session.commit()
    response.headers["ETag"] = _etag(flag)
    return FlagSummary.model_validate(flag)


@router.post("/flags/{flag_id}/notes", response_model=NotePublic, status_code=201, responses=responses(404))
def add_note(
    flag_id: PathId, body: NoteCreate, session: SessionDep, principal: Reviewer, pipeline: PipelineLoader
) -> NotePublic:
    """Notes go through the same PII redaction as comments before they are stored."""
    flag = _load(session, flag_id, principal)
    redacted = pipeline().redactor.redact(body.body).text
    note = service.add_note(session, flag=flag, actor=_actor(principal), redacted_body=redacted)
    session.commit()
    return NotePublic.model_validate(note)


@router.post("/flags/{flag_id}/labels", response_model=LabelPublic, status_code=201, responses=responses(404))
def add_label(flag_id: PathId, body: LabelCreate, session: SessionDep, principal: Reviewer) -> LabelPublic:
    """A reviewer's corrected themes and severity, kept as feedback for retraining."""
    flag = _load(session, flag_id, principal)
    label = service.add_label(
        session,
        flag=flag,
        actor=_actor(principal),
        themes=list(body.themes),
        severity=body.severity,
        urgent_reasons=list(body.urgent_reasons),
    )
    session.commit()
    return LabelPublic.model_validate(label)
