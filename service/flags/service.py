"""Flag service functions: open flags for stored items, list the queue, triage with a state machine.

Every triage action writes its audit event in the caller's transaction, and every state change
is a conditional UPDATE on the flag's version, so two reviewers can never overwrite each other.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, and_, false, literal, or_, select, update
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent, record
from service.batches.models import Item
from service.errors import UpstanderError
from service.flags.models import Flag, FlagLabel, FlagNote, WebhookDelivery
from service.flags.webhook import enqueue
from service.ids import in_db_range
from service.labels import SEVERITY_RANK, THEMES, label_problems
from service.storage.db import utcnow
from service.tokens.models import ApiToken
from service.units import in_scope, scope_clause

# Which states a flag may move to from each state. Closing needs the assignee; leaving a closed
# state (reopening) and dismissing need a reason.
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"in_review"}),
    "in_review": frozenset({"new", "escalated", "resolved", "dismissed"}),
    "escalated": frozenset({"in_review", "resolved", "dismissed"}),
    "resolved": frozenset({"in_review"}),
    "dismissed": frozenset({"in_review"}),
}
NEEDS_ASSIGNEE = frozenset({"new", "escalated", "resolved", "dismissed"})
UNKNOWN_SEVERITY_RANK = SEVERITY_RANK["critical"]  # an unclassified item may be the worst kind


@dataclass(frozen=True)
class Actor:
    """Who acts, for audit records and scope checks (a CLI or system actor has no token)."""

    token_id: int | None
    role: str | None
    units: tuple[str, ...] = ()
    request_id: str | None = None


def flag_reason(item: Item) -> str | None:
    if item.status == "needs_review":
        return "needs_review"
    if item.urgent:
        return "urgent"
    if (item.severity_rank or 0) >= SEVERITY_RANK["high"]:
        return "high_severity"
    return None


def open_flags(session: Session, items: list[Item], *, webhook: bool) -> list[Flag]:
    """Flag the items that need a human, in the transaction that stores them (ids must exist)."""
    flags = []
    for item in items:
        reason = flag_reason(item)
        if reason is None:
            continue
        rank = UNKNOWN_SEVERITY_RANK if reason == "needs_review" else item.severity_rank or 0
        flags.append(
            Flag(
                item_id=item.id,
                batch_id=item.batch_id,
                unit=item.unit,
                reason=reason,
                urgent=item.urgent,
                severity=item.severity,
                severity_rank=rank,
                themes=item.themes,
                urgent_reasons=item.urgent_reasons,
                created_at=item.created_at,
            )
        )  # its item's age
    session.add_all(flags)
    session.flush()
    for flag in flags:
        record(
            session,
            action="flag.open",
            object_type="flag",
            object_id=str(flag.id),
            detail={"reason": flag.reason, "severity": flag.severity},
        )
        if webhook and flag.urgent:
            enqueue(session, flag, "flag.urgent")
    return flags


def get_flag(session: Session, *, flag_id: int, actor: Actor) -> Flag | None:
    """The flag, or None when it does not exist or lies outside the actor's units (same answer)."""
    query = select(Flag).where(Flag.id == flag_id)
    if (clause := scope_clause(Flag.unit, actor.units)) is not None:
        query = query.where(clause)  # the very filter the queue uses, so list and read cannot disagree
    return session.scalar(query)


# --- the queue -------------------------------------------------------------------------------


def _encode_cursor(flag: Flag) -> str:
    key = [int(flag.urgent), flag.severity_rank, flag.created_at.isoformat(), flag.id]
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def _after_cursor(cursor: str):
    """Rows after the cursor in queue order: urgent desc, severity desc, age asc, id asc."""
    try:
        urgent, rank, created, flag_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        created = datetime.fromisoformat(created)
        urgent, rank, flag_id = bool(urgent), int(rank), int(flag_id)
        if not (in_db_range(rank) and in_db_range(flag_id)):
            raise ValueError("out of range")
    except (ValueError, TypeError, AttributeError):
        raise UpstanderError("cursor is not valid", code="invalid_cursor") from None
    return or_(
        Flag.urgent < literal(urgent, Boolean),
        and_(Flag.urgent == urgent, Flag.severity_rank < rank),
        and_(Flag.urgent == urgent, Flag.severity_rank == rank, Flag.created_at > created),
        and_(Flag.urgent == urgent, Flag.severity_rank == rank, Flag.created_at == created, Flag.id > flag_id),
    )


def list_flags(
    session: Session, *, actor: Actor, filters: dict, cursor: str | None, limit: int
) -> tuple[list[Flag], str | None]:
    """One page of the queue in the actor's units, with the cursor of the next page."""
    query = select(Flag)
    if (clause := scope_clause(Flag.unit, actor.units)) is not None:
        query = query.where(clause)
    if filters.get("status"):
        query = query.where(Flag.status.in_(filters["status"]))
    if filters.get("severity"):
        query = query.where(Flag.severity.in_(filters["severity"]))
    if filters.get("theme"):
        bit = 1 << THEMES.index(filters["theme"])
        query = query.join(Item, Item.id == Flag.item_id).where(Item.theme_mask.op("&")(bit) != 0)
    if filters.get("urgent") is not None:
        query = query.where(Flag.urgent == filters["urgent"])
    if filters.get("overdue") is not None:
        query = query.where(Flag.overdue_at.is_not(None) if filters["overdue"] else Flag.overdue_at.is_(None))
    if filters.get("batch_id"):
        query = query.where(Flag.batch_id == filters["batch_id"])
    if filters.get("assignee") == "me":
        query = query.where(Flag.assignee_token_id == actor.token_id)
    elif filters.get("assignee") == "none":
        query = query.where(Flag.assignee_token_id.is_(None))
    elif filters.get("assignee"):
        assignee = int(filters["assignee"])  # beyond the column no token can match: an empty page, not a 500
        query = query.where(Flag.assignee_token_id == assignee if in_db_range(assignee) else false())
    if filters.get("unit") and (unit_clause := scope_clause(Flag.unit, [filters["unit"]])) is not None:
        query = query.where(unit_clause)
    if cursor:
        query = query.where(_after_cursor(cursor))
    query = query.order_by(Flag.urgent.desc(), Flag.severity_rank.desc(), Flag.created_at, Flag.id)
    rows = list(session.scalars(query.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (_encode_cursor(rows[-1]) if more and rows else None)


# --- triage ----------------------------------------------------------------------------------


def _conflict(message: str, code: str = "invalid_transition") -> UpstanderError:
    return UpstanderError(message, code=code, http_status=409)


def _check_assignee(session: Session, *, token_id: int, flag: Flag) -> None:
    token = session.get(ApiToken, token_id)
    if (
        token is None
        or token.revoked_at is not None
        or token.role != "reviewer"
        or not in_scope(flag.unit, token.units or ())
    ):
        raise UpstanderError(
            "the assignee must be an active reviewer whose units include this flag",
            code="invalid_assignee",
            http_status=422,
        )


def _stale() -> UpstanderError:
    return UpstanderError(
        "the flag changed since you read it; reload and retry", code="version_mismatch", http_status=412
    )


def plan_update(
    session: Session,
    *,
    flag: Flag,
    actor: Actor,
    expected_version: int,
    status: str | None,
    assignee: int | None,
    reason: str | None,
) -> dict:
    """Validate a triage request against the state the caller saw; return the column changes."""
    if expected_version != flag.version:
        raise _stale()  # judge the request only against the state its sender saw
    changes: dict = {}
    target = status or flag.status
    if assignee is not None and assignee != flag.assignee_token_id:
        _check_assignee(session, token_id=assignee, flag=flag)
        changes["assignee_token_id"] = assignee
        if target == "new":
            target = "in_review"  # assigning a new flag starts its review
    if target != flag.status:
        if target not in TRANSITIONS[flag.status]:
            raise _conflict(f"a {flag.status} flag cannot move to {target}")
        owner = changes.get("assignee_token_id", flag.assignee_token_id)
        if target == "in_review" and (owner is None or flag.status in ("resolved", "dismissed")):
            owner = changes.setdefault("assignee_token_id", actor.token_id)  # claiming or reopening
        if target in NEEDS_ASSIGNEE and owner != actor.token_id:
            raise _conflict("only the flag's assignee can release, escalate, resolve or dismiss it", "not_assignee")
        if (target == "dismissed" or flag.status in ("resolved", "dismissed")) and not reason:
            raise UpstanderError(
                "a reason is required to dismiss or reopen a flag", code="reason_required", http_status=422
            )
        if target == "new":
            changes["assignee_token_id"] = None
        changes["status"] = target
        changes["dismiss_reason"] = reason if target == "dismissed" else None
        changes["closed_at"] = utcnow() if target in ("resolved", "dismissed") else None
    if not changes:
        raise _conflict("the request changes nothing", "no_change")
    return changes


def apply_update(
    session: Session, *, flag: Flag, expected_version: int, changes: dict, actor: Actor, reason: str | None
) -> Flag:
    """A conditional UPDATE on the version: the loser of a race gets 412 and changes nothing."""
    if expected_version != flag.version:
        raise _stale()
    before = {"status": flag.status, "assignee_token_id": flag.assignee_token_id}
    result = session.execute(
        update(Flag)
        .where(Flag.id == flag.id, Flag.version == expected_version)
        .values(**changes, version=Flag.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise _stale()
    action = "flag.transition" if "status" in changes else "flag.assign"
    detail = {"from": before["status"], "to": changes.get("status", before["status"])}
    if "assignee_token_id" in changes:
        detail["assignee_token_id"] = changes["assignee_token_id"]
    if reason:
        detail["reason"] = reason
    _audit(session, actor, action, flag.id, detail)
    session.flush()
    session.refresh(flag)
    return flag


def add_note(session: Session, *, flag: Flag, actor: Actor, redacted_body: str) -> FlagNote:
    note = FlagNote(flag_id=flag.id, author_token_id=actor.token_id, redacted_body=redacted_body)
    session.add(note)
    session.flush()
    _audit(session, actor, "flag.note", flag.id, {"note_id": note.id})
    return note


def add_label(
    session: Session, *, flag: Flag, actor: Actor, themes: list[str], severity: str, urgent_reasons: list[str]
) -> FlagLabel:
    """Keep a reviewer's correction as training feedback (the item's own labels stay as predicted)."""
    if problems := label_problems(themes, severity, urgent_reasons):
        raise UpstanderError(f"labels break the taxonomy: {problems[0]}", code="invalid_labels", http_status=422)
    item = session.get(Item, flag.item_id)
    label = FlagLabel(
        flag_id=flag.id,
        item_id=flag.item_id,
        reviewer_token_id=actor.token_id,
        themes=sorted(set(themes)),
        severity=severity,
        urgent_reasons=sorted(set(urgent_reasons)),
        model_version=item.model_version if item else None,
    )
    session.add(label)
    session.flush()
    _audit(session, actor, "flag.label", flag.id, {"label_id": label.id, "severity": severity})
    return label


def history(session: Session, *, flag_id: int) -> list[AuditEvent]:
    query = (
        select(AuditEvent)
        .where(AuditEvent.object_type == "flag", AuditEvent.object_id == str(flag_id))
        .order_by(AuditEvent.id)
    )
    return list(session.scalars(query))


def details(session: Session, *, flag: Flag) -> dict:
    """What a reviewer needs to decide: the item, notes, label corrections, pushes and history."""
    item = session.get(Item, flag.item_id)
    notes = session.scalars(select(FlagNote).where(FlagNote.flag_id == flag.id).order_by(FlagNote.id)).all()
    labels = session.scalars(select(FlagLabel).where(FlagLabel.flag_id == flag.id).order_by(FlagLabel.id)).all()
    deliveries = session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.flag_id == flag.id).order_by(WebhookDelivery.id)
    ).all()
    return {
        "item": item,
        "notes": list(notes),
        "labels": list(labels),
        "deliveries": list(deliveries),
        "history": history(session, flag_id=flag.id),
    }


def _audit(session: Session, actor: Actor, action: str, flag_id: int, detail: dict) -> None:
    record(
        session,
        action=action,
        object_type="flag",
        object_id=str(flag_id),
        actor_token_id=actor.token_id,
        actor_role=actor.role,
        request_id=actor.request_id,
        detail=detail,
    )
