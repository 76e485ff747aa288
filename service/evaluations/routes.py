"""POST /v1/evaluations: fairness of the classifier on a researcher's labelled items.

Synchronous by default; with a broker, a large request (or `Prefer: respond-async`) is answered
202 with a job to poll at GET /v1/evaluations/{job_id} (service/evaluations/jobs.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from service.audit.models import record as audit
from service.errors import NotFound
from service.evaluations import jobs, service
from service.evaluations.models import EvaluationJob
from service.http.deps import PipelineLoader, Principal, SessionDep, SettingsDep, TaskQueueDep, require_role
from service.http.errors import responses
from service.storage.sealed import load_key

router = APIRouter(prefix="/v1", tags=["evaluations"])
Researcher = Annotated[Principal, Depends(require_role("researcher"))]


class EvaluationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[dict[str, Any]] = Field(
        ..., min_length=1, max_length=5000, description="labelled items: text, themes, severity, group columns"
    )
    group_cols: list[Annotated[str, Field(max_length=100)]] = Field(..., min_length=1, max_length=10)
    n_boot: int = Field(200, ge=0, le=1000)


class EvaluationAccepted(BaseModel):
    id: str
    status: str
    links: dict[str, str]


@router.post(
    "/evaluations",
    summary="Per-group recall, FPR, precision and flag rate with bootstrap CIs",
    responses={202: {"model": EvaluationAccepted, "description": "queued as a job (a broker is set)"}},
)
def create_evaluation(
    body: EvaluationRequest,
    session: SessionDep,
    settings: SettingsDep,
    principal: Researcher,
    pipeline: PipelineLoader,
    queue: TaskQueueDep,
    prefer: Annotated[str | None, Header(max_length=200)] = None,
) -> Any:
    rows = service.validate_labelled(body.items, body.group_cols, settings.max_item_chars)
    job = None
    if jobs.wants_job(settings, items=len(rows), n_boot=body.n_boot, prefer=prefer):
        job = jobs.submit(
            session,
            rows=rows,
            group_cols=body.group_cols,
            n_boot=body.n_boot,
            created_by=principal.token_id,
            key=load_key(settings),
        )
    else:
        report = service.evaluate(rows, body.group_cols, pipeline(), n_boot=body.n_boot)
    audit(
        session,
        action="evaluation.submit" if job else "evaluation.run",
        object_type="evaluation",
        object_id=job.id if job else "fairness",
        actor_token_id=principal.token_id,
        actor_role=principal.role,
        request_id=principal.request_id,
        detail={"items": len(rows), "group_cols": body.group_cols},
    )
    session.commit()
    if job is None:
        return report
    if queue is not None:  # a job exists only when a broker is set (jobs.wants_job)
        queue.enqueue_evaluation(settings, job.id)
    accepted = EvaluationAccepted(id=job.id, status=job.status, links={"self": f"/v1/evaluations/{job.id}"})
    return JSONResponse(accepted.model_dump(), status_code=202, headers={"Location": accepted.links["self"]})


@router.get("/evaluations/{job_id}", responses=responses(404), summary="An evaluation job: status, then its report")
def read_evaluation(
    job_id: Annotated[str, Path(max_length=36)], session: SessionDep, principal: Researcher
) -> dict[str, Any]:
    """Only the token that submitted a job sees it; another's job is 404, not 403."""
    job = session.get(EvaluationJob, job_id)
    if job is None or job.created_by != principal.token_id:
        raise NotFound("no such evaluation job")
    return jobs.public(job)
