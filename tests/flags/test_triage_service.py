"""The triage state machine, table-driven at the service level, and the database-level guard
against lost updates (both reviewers pass the read check; the conditional UPDATE stops one)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.errors import UpstanderError
from service.flags import service
from service.flags.models import Flag
from service.storage.db import get_sessionmaker, session_scope

ME = service.Actor(token_id=None, role="reviewer")


def set_state(settings, flag_id, status, assignee):
    with session_scope(settings.sqlalchemy_url) as session:
        flag = session.get(Flag, flag_id)
        flag.status, flag.assignee_token_id = status, assignee


# (from, assignee is the actor?, requested status, reason) -> resulting status, or the error code
CASES = [
    ("new", None, "in_review", None, "in_review"),
    ("new", None, "escalated", None, "invalid_transition"),
    ("new", None, "resolved", None, "invalid_transition"),
    ("new", None, "dismissed", "false_positive", "invalid_transition"),
    ("in_review", True, "escalated", None, "escalated"),
    ("in_review", True, "resolved", None, "resolved"),
    ("in_review", True, "dismissed", None, "reason_required"),
    ("in_review", True, "dismissed", "duplicate", "dismissed"),
    ("in_review", True, "new", None, "new"),
    ("in_review", False, "resolved", None, "not_assignee"),
    ("in_review", False, "new", None, "not_assignee"),
    ("escalated", True, "resolved", None, "resolved"),
    ("escalated", True, "in_review", None, "in_review"),
    ("escalated", False, "dismissed", "other", "not_assignee"),
    ("resolved", True, "escalated", None, "invalid_transition"),
    ("resolved", False, "in_review", None, "reason_required"),
    ("resolved", False, "in_review", "new_information", "in_review"),
    ("dismissed", True, "in_review", "new_information", "in_review"),
    ("dismissed", True, "resolved", None, "invalid_transition"),
    ("in_review", True, "in_review", None, "no_change"),
]


@pytest.mark.parametrize("start, mine, target, reason, expected", CASES)
def test_transitions(settings, store, tokens, start, mine, target, reason, expected):
    store([{"severity": "high"}])
    with session_scope(settings.sqlalchemy_url) as session:
        flag = session.scalars(select(Flag)).one()
        flag_id = flag.id
    me = service.Actor(token_id=1, role="reviewer")
    set_state(settings, flag_id, start, (1 if mine else 2) if mine is not None else None)
    with session_scope(settings.sqlalchemy_url) as session:
        flag = session.get(Flag, flag_id)
        try:
            changes = service.plan_update(
                session, flag=flag, actor=me, expected_version=flag.version, status=target, assignee=None, reason=reason
            )
        except UpstanderError as exc:
            assert exc.code == expected
            return
        service.apply_update(
            session, flag=flag, expected_version=flag.version, changes=changes, actor=me, reason=reason
        )
    with session_scope(settings.sqlalchemy_url) as session:
        flag = session.get(Flag, flag_id)
        assert flag.status == expected and flag.version == 2
        assert (flag.closed_at is not None) == (expected in ("resolved", "dismissed"))
        if expected == "new":
            assert flag.assignee_token_id is None
        if expected == "in_review":
            assert flag.assignee_token_id is not None


def test_conditional_update_stops_the_second_writer(settings, store, tokens):
    """Both sessions read version 1 and pass every check; only the first UPDATE applies."""
    store([{"severity": "high"}])
    maker = get_sessionmaker(settings.sqlalchemy_url)
    first, second = maker(), maker()
    try:
        a = first.scalars(select(Flag)).one()
        b = second.scalars(select(Flag)).one()
        actor_a, actor_b = service.Actor(1, "reviewer"), service.Actor(2, "reviewer")
        plan_a = service.plan_update(
            first, flag=a, actor=actor_a, expected_version=1, status="in_review", assignee=None, reason=None
        )
        plan_b = service.plan_update(
            second, flag=b, actor=actor_b, expected_version=1, status="in_review", assignee=None, reason=None
        )
        service.apply_update(first, flag=a, expected_version=1, changes=plan_a, actor=actor_a, reason=None)
        first.commit()
        with pytest.raises(UpstanderError) as lost:
            service.apply_update(second, flag=b, expected_version=1, changes=plan_b, actor=actor_b, reason=None)
        second.rollback()
        assert lost.value.code == "version_mismatch" and lost.value.http_status == 412
    finally:
        first.close()
        second.close()
    with session_scope(settings.sqlalchemy_url) as session:
        flag = session.scalars(select(Flag)).one()
        assert flag.assignee_token_id == 1 and flag.version == 2
