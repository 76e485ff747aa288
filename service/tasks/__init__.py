"""The production path: batch work as Celery tasks on a Redis broker (`UPSTANDER_BROKER_URL`).

Without a broker none of this is imported and `serve` keeps its in-process worker thread. With
one, `serve` only enqueues (one task per chunk, plus a safety-net re-enqueue), `upstander worker`
is a Celery worker, and housekeeping runs on Celery beat. Exactly-once storage does not come
from the broker (it delivers at least once): it comes from the chunk lease and the single
transaction of `service.worker._finish_chunk`, which the tasks reuse (the lease itself is
`service/storage/lease.py`, shared with the in-process worker and evaluation jobs).

| module | why it exists |
| --- | --- |
| `app.py` | the Celery app and the settings that make a killed worker lose nothing |
| `jobs.py` | the tasks: one chunk, one evaluation job, the housekeeping steps |
| `enqueue.py` | what `serve` sends, and the safety net for tasks the broker lost |
| `run.py` | `upstander worker` in Celery mode: worker processes, beat |
"""

from __future__ import annotations

from service.settings import Settings

QUEUE = "upstander"


def broker_url(settings: Settings) -> str | None:
    """The broker URL, or None for the embedded default (an empty variable counts as unset)."""
    return settings.broker_url.get_secret_value() if settings.broker_url else None
