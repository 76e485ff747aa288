"""Keep a claim alive while its task runs.

A claim's lease is short (half the broker's visibility timeout) so that a dead worker's chunk is
free again soon; a live worker renews it every third of that, however long its task takes. A
redelivered copy of a task that is still running therefore finds a live lease and steps aside.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import update

from service.settings import Settings
from service.storage.db import session_scope, utcnow

log = logging.getLogger("upstander.tasks")


@contextmanager
def kept_lease(settings: Settings, table, row_id, worker: str, seconds: float) -> Iterator[None]:
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
