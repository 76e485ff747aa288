"""Leases: how a worker claims a row (a chunk, an evaluation job) so that one runner at a time has it.

A claim is a conditional UPDATE (one winner, the same on SQLite and PostgreSQL) that names the
holder and the time its lease runs out; a holder that dies lets the lease run out, and the next
claim redoes the work. A lease is short so that a dead worker's row is free again soon; a live
worker renews it (`kept_lease`) every third of that, however long its task takes, so a
redelivered copy of a task that is still running finds a live lease and steps aside.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, update
from sqlalchemy.orm import Session

from service.settings import Settings
from service.storage.db import session_scope, utcnow

log = logging.getLogger("upstander.tasks")


def worker_name() -> str:
    """This process's name in `claimed_by`: host, pid and a random suffix (a restarted pid differs)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def task_lease_seconds(settings: Settings) -> float:
    """A task's claim: at most half the broker's visibility timeout, so that when the broker hands
    a dead worker's task to another worker, the dead worker's lease has already run out."""
    return min(settings.chunk_lease_seconds, settings.broker_visibility_timeout_seconds / 2)


def claimable(table: Any, *, waiting: str, held: str, now: datetime) -> ColumnElement[bool]:
    """Rows free to claim: waiting for a first runner, or held under a lease that ran out."""
    return or_(table.status == waiting, (table.status == held) & (table.lease_expires_at < now))


def claim(
    session: Session,
    table: Any,
    row_id: Any,
    *,
    worker: str,
    seconds: float,
    waiting: str,
    held: str,
    now: datetime | None = None,
    **values: Any,
) -> bool:
    """Take the row if it is claimable (one winner); `values` are set with the claim."""
    now = now or utcnow()
    result = session.execute(
        update(table)
        .where(table.id == row_id, claimable(table, waiting=waiting, held=held, now=now))
        .values(
            status=held,
            claimed_by=worker,
            attempts=table.attempts + 1,
            lease_expires_at=now + timedelta(seconds=seconds),
            **values,
        )
    )
    return getattr(result, "rowcount", 0) == 1


@contextmanager
def kept_lease(settings: Settings, table: Any, row_id: Any, worker: str, seconds: float) -> Iterator[None]:
    """Renew `table.lease_expires_at` for the row `worker` claimed until the block ends."""
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(seconds / 3):
            try:
                with session_scope(settings.sqlalchemy_url) as session:
                    session.execute(
                        update(table)
                        .where(table.id == row_id, table.claimed_by == worker, table.status.in_(("claimed", "running")))
                        .values(lease_expires_at=utcnow() + timedelta(seconds=seconds))
                    )
            except Exception as exc:  # the next renewal may succeed; a lost lease only costs a redo
                log.warning("lease renewal failed (%s)", type(exc).__name__)

    thread = threading.Thread(target=renew, name="upstander-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
