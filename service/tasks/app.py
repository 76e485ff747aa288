"""The Celery app, configured from `Settings` so that a worker killed mid-task loses nothing.

- `task_acks_late` + `task_reject_on_worker_lost`: a message is acknowledged only after its task
  has run; a worker process that dies mid-task hands its message back instead.
- `worker_prefetch_multiplier=1`: a worker holds at most one waiting message per process, so a
  dead worker strands at most that many, and work spreads evenly across workers.
- Redis `visibility_timeout` (`UPSTANDER_BROKER_VISIBILITY_TIMEOUT_SECONDS`, 60 s): a message
  taken by a worker that vanished (SIGKILL, lost machine) goes back on the queue this long after
  it was delivered. Kombu looks for such messages every `UPSTANDER_BROKER_RESTORE_SECONDS`.
  Tasks that run longer are redelivered while running; the chunk and job leases make the copy
  step aside (service/storage/lease.py), so a short timeout costs nothing but a no-op task.
- Results are not kept by Celery: a chunk's results are its stored items, a job's its row.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

from service import components
from service.settings import Settings, get_settings
from service.storage.db import get_engine
from service.tasks import QUEUE, broker_url

log = logging.getLogger("upstander.tasks")
celery_app = Celery("upstander", set_as_current=False)
celery_app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_default_queue=QUEUE,
    task_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    result_backend=None,
    worker_hijack_root_logger=False,
    worker_proc_alive_timeout=600,  # loading Presidio, spaCy and the classifier takes more than the 4 s default
    broker_connection_retry_on_startup=True,
    worker_send_task_events=False,
    imports=("service.tasks.jobs",),
)
_state: dict[str, Any] = {}


def beat_schedule(settings: Settings) -> dict:
    """Housekeeping as beat entries; each expires after its period, so a backlog never piles up."""

    def every(task: str, seconds: float) -> dict:
        return {"task": task, "schedule": seconds, "options": {"expires": seconds}}

    return {
        "deliver-webhooks": every("upstander.deliver_webhooks", settings.housekeeping_seconds),
        "mark-overdue": every("upstander.mark_overdue", settings.housekeeping_seconds),
        "apply-retention": every("upstander.apply_retention", settings.retention_check_seconds),
    }


def configure(settings: Settings, *, threads: int | None = None, eager: bool = False) -> Celery:
    """Point the app at the settings' broker (or run tasks in the caller with `eager`, for tests)."""
    _state.update(settings=settings, threads=threads)
    url = "memory://" if eager else broker_url(settings) or "memory://"
    if celery_app.conf.broker_url != url:  # connections pooled for another broker must not be reused
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
    celery_app.conf.update(
        broker_url=url,
        broker_transport_options={
            "visibility_timeout": settings.broker_visibility_timeout_seconds,
            "unacked_restore_interval": settings.broker_restore_seconds,
            "unacked_restore_throttle": 1,  # the interval alone decides how often
        },
        beat_schedule=beat_schedule(settings),
        task_always_eager=eager,
        task_eager_propagates=eager,
    )
    return celery_app


def app_for(settings: Settings) -> Celery:
    """The app, configured for these settings unless it already is (tests configure it eager)."""
    if _state.get("settings") is not settings:
        configure(settings)
    return celery_app


def current_settings() -> Settings:
    return _state.get("settings") or get_settings()


@worker_process_init.connect
def load_models_once(**_: object) -> None:
    """Each worker process loads the pipeline once, when it starts, never per task."""
    settings = current_settings()
    get_engine(settings.sqlalchemy_url).dispose(close=False)  # never share the parent's connections
    if _state.get("threads"):
        import torch  # only in a worker process that sets threads: the API never loads torch here

        torch.set_num_threads(_state["threads"])
    components.get_pipeline(settings)
    log.info("worker process ready: pipeline loaded")
