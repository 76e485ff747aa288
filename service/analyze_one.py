"""`POST /v1/analyze`: one item (e.g. an incident report) analysed in the request, kept as a
finished batch of one and flagged like any item of an upload."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from service.audit.models import record as audit
from service.batches.schemas import AnalyzeRequest, AnalyzeResponse
from service.errors import UpstanderError
from service.http.deps import PipelineLoader, Principal, SessionDep, SettingsDep, require_role
from service.inputs import build_row
from service.store import store_single

router = APIRouter(prefix="/v1", tags=["batches"])
TextReader = Annotated[Principal, Depends(require_role("reviewer"))]


@router.post(
    "/analyze",
    response_model=AnalyzeResponse,
    response_model_exclude_none=True,
    summary="Analyse one item synchronously (e.g. a single incident report)",
)
def analyze_one(
    body: AnalyzeRequest, session: SessionDep, settings: SettingsDep, principal: TextReader, pipeline: PipelineLoader
) -> AnalyzeResponse:
    if len(body.text) > settings.max_item_chars:  # the configured limit, as for every file row
        raise UpstanderError(
            f"text has {len(body.text)} characters, limit {settings.max_item_chars}",
            code="item_too_long",
            http_status=422,
        )
    row = build_row(1, body.model_dump(), settings.max_item_chars, require_id=False)
    outcome = pipeline().process([row])[0]
    batch_id, flag_id = None, None
    if outcome.status in ("done", "needs_review"):
        batch_id, flag_id = store_single(session, outcome=outcome, created_by=principal.token_id, settings=settings)
        audit(
            session,
            action="item.analyze",
            object_type="batch",
            object_id=batch_id,
            actor_token_id=principal.token_id,
            actor_role=principal.role,
            request_id=principal.request_id,
        )
        session.commit()
    return AnalyzeResponse(**outcome.record, batch_id=batch_id, flag_id=flag_id)
