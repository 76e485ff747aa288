"""Evaluation jobs: when a broker is set, a large `POST /v1/evaluations` becomes a job to poll.

Small requests (items x bootstrap rounds up to `evaluation_sync_max_work`) stay synchronous, and
without a broker every request is, as before. A job's rows are sealed until it ends; its claim
and lease are those of a chunk (one live runner at a time; a dead one's job is run again).
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import update
from sqlalchemy.orm import Session

from service import components
from service.evaluations import service
from service.evaluations.models import EvaluationJob
from service.settings import Settings
from service.storage.db import session_scope, utcnow
from service.storage.lease import claim, kept_lease, task_lease_seconds, worker_name
from service.storage.sealed import load_key, seal, unseal

log = logging.getLogger("upstander.evaluations")
MAX_ATTEMPTS = 3


def wants_job(settings: Settings, *, items: int, n_boot: int, prefer: str | None) -> bool:
    """A job when a broker is set and the request is large, or the client sent `Prefer: respond-async`."""
    if not settings.broker_url:
        return False
    if prefer and "respond-async" in prefer.lower():
        return True
    return items * max(n_boot, 1) > settings.evaluation_sync_max_work


def _aad(job_id: str) -> str:
    return f"evaluation:{job_id}"


def submit(
    session: Session, *, rows: list[dict], group_cols: list[str], n_boot: int, created_by: int | None, key: bytes
) -> EvaluationJob:
    """Store a queued job (in the caller's transaction); the caller enqueues after commit."""
    job_id = str(uuid.uuid4())
    job = EvaluationJob(
        id=job_id,
        created_by=created_by,
        items=len(rows),
        group_cols=list(group_cols),
        n_boot=n_boot,
        sealed_input=seal(key, rows, _aad(job_id)),
    )
    session.add(job)
    session.flush()
    return job


def _claim(settings: Settings, job_id: str, worker: str, lease: float) -> bool:
    now = utcnow()
    with session_scope(settings.sqlalchemy_url) as session:
        return claim(
            session,
            EvaluationJob,
            job_id,
            worker=worker,
            seconds=lease,
            waiting="queued",
            held="running",
            now=now,
            started_at=now,
        )


def _finish(settings: Settings, job_id: str, worker: str, **values) -> None:
    with session_scope(settings.sqlalchemy_url) as session:
        session.execute(
            update(EvaluationJob)
            .where(EvaluationJob.id == job_id, EvaluationJob.claimed_by == worker, EvaluationJob.status == "running")
            .values(sealed_input=None, lease_expires_at=None, finished_at=utcnow(), **values)
        )


def run_job(settings: Settings, *, job_id: str, pipeline=None) -> str:
    """Claim and run one job; returns its status afterwards ("skipped" when another worker has it)."""
    worker, lease = worker_name(), task_lease_seconds(settings)
    if not _claim(settings, job_id, worker, lease):
        return "skipped"
    with session_scope(settings.sqlalchemy_url) as session:
        job = session.get(EvaluationJob, job_id)
        assert job is not None
        sealed, group_cols, n_boot, attempts = job.sealed_input, list(job.group_cols), job.n_boot, job.attempts
    if attempts > MAX_ATTEMPTS or sealed is None:
        _finish(settings, job_id, worker, status="failed", error_code="evaluation_failed")
        return "failed"
    try:
        rows = unseal(load_key(settings), sealed, _aad(job_id))
        with kept_lease(settings, EvaluationJob, job_id, worker, lease):
            report = service.evaluate(rows, group_cols, pipeline or components.get_pipeline(settings), n_boot=n_boot)
    except Exception as exc:  # the type only: a message could quote the researcher's text
        log.warning("evaluation %s failed (%s)", job_id, type(exc).__name__)
        _finish(settings, job_id, worker, status="failed", error_code="evaluation_failed")
        return "failed"
    _finish(settings, job_id, worker, status="done", result=report)
    return "done"


def public(job: EvaluationJob) -> dict:
    """The job as its researcher polls it: status, and the report once done."""
    body: dict = {
        "id": job.id,
        "status": job.status,
        "items": job.items,
        "group_cols": job.group_cols,
        "n_boot": job.n_boot,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "links": {"self": f"/v1/evaluations/{job.id}"},
    }
    if job.status == "done":
        body["report"] = job.result
    if job.status == "failed":
        body["error"] = {"code": job.error_code, "message": "the evaluation could not be completed"}
    return body
