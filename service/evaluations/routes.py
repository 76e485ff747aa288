"""POST /v1/evaluations: fairness of the classifier on a researcher's labelled items (sync)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from service.api.deps import Principal, SessionDep, SettingsDep, require_role
from service.audit.models import record as audit
from service.evaluations import service

router = APIRouter(prefix="/v1", tags=["evaluations"])
Researcher = Annotated[Principal, Depends(require_role("researcher"))]


class EvaluationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[dict[str, Any]] = Field(
        ..., min_length=1, max_length=5000, description="labelled items: text, themes, severity, group columns"
    )
    group_cols: list[Annotated[str, Field(max_length=100)]] = Field(..., min_length=1, max_length=10)
    n_boot: int = Field(200, ge=0, le=1000)


@router.post("/evaluations", summary="Per-group recall, FPR, precision and flag rate with bootstrap CIs")
def create_evaluation(
    body: EvaluationRequest, session: SessionDep, settings: SettingsDep, principal: Researcher
) -> dict:
    from service.components import get_pipeline

    rows = service.validate_labelled(body.items, body.group_cols, settings.max_item_chars)
    report = service.evaluate(rows, body.group_cols, get_pipeline(settings), n_boot=body.n_boot)
    audit(
        session,
        action="evaluation.run",
        object_type="evaluation",
        object_id="fairness",
        actor_token_id=principal.token_id,
        actor_role=principal.role,
        request_id=principal.request_id,
        detail={"items": len(rows), "group_cols": body.group_cols},
    )
    session.commit()
    return report
