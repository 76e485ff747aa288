"""GET /v1/trends and GET /v1/alerts: aggregates only, for analysts and admins.

Reviewers and researchers have no business with unit trends; no route here ever returns item
text or pseudonyms. A token scoped to units sees only those subtrees (never the total `*`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from service.http.deps import Principal, SessionDep, SettingsDep, require_role
from service.trends import alerts as alerts_service
from service.trends import service
from service.trends.schemas import AlertsResponse, TrendsResponse

router = APIRouter(prefix="/v1", tags=["trends"])
Reader = Annotated[Principal, Depends(require_role("analyst", "admin"))]
Granularity = Annotated[
    Literal["wave", "month", "week"] | None,
    Query(description="time axis; default: waves if the data names any, else months"),
]
Unit = Annotated[str | None, Query(max_length=200, description="subtree to show (default: your scope, or all)")]
Period = Annotated[str | None, Query(max_length=32)]


@router.get(
    "/trends",
    response_model=TrendsResponse,
    response_model_exclude_unset=True,
    summary="Theme and severity counts, rates and changes per unit and period (anonymity-safe)",
)
def read_trends(
    session: SessionDep,
    settings: SettingsDep,
    principal: Reader,
    granularity: Granularity = None,
    unit: Unit = None,
    period_from: Annotated[
        str | None, Query(alias="from", max_length=32, description="first period, inclusive")
    ] = None,
    period_to: Annotated[str | None, Query(alias="to", max_length=32, description="last period, inclusive")] = None,
    theme: Annotated[list[str] | None, Query(max_length=12, description="themes to include (repeatable)")] = None,
    depth: Annotated[int, Query(ge=0, le=20, description="levels below the shown unit (default 2)")] = 2,
    last: Annotated[int, Query(ge=1, le=service.MAX_PERIODS, description="periods when no range is given")] = 12,
) -> TrendsResponse:
    release = service.load_release(session, granularity=granularity, settings=settings)
    body = service.trends(
        release,
        scopes=principal.units,
        unit=unit,
        period_from=period_from,
        period_to=period_to,
        themes=theme,
        depth=depth,
        last=last,
    )
    # Validated against TrendsResponse on the way out: a cell is a count with its rate or exactly
    # {"suppressed": true}, and nothing the model does not declare can leave.
    return TrendsResponse.model_validate(body)


@router.get(
    "/alerts",
    response_model=AlertsResponse,
    response_model_exclude_unset=True,
    summary="Units whose theme rate rose beyond their own history, and hotspots (counts only)",
)
def read_alerts(
    session: SessionDep,
    settings: SettingsDep,
    principal: Reader,
    granularity: Granularity = None,
    unit: Unit = None,
    period: Annotated[str | None, Query(max_length=32, description="period to evaluate (default: the latest)")] = None,
    alpha: Annotated[float, Query(ge=0.001, le=0.2, description="false discovery rate of a run")] = 0.05,
    history: Annotated[int, Query(ge=3, le=52, description="previous periods compared with")] = 8,
) -> AlertsResponse:
    release = service.load_release(session, granularity=granularity, settings=settings)
    body = alerts_service.alerts(
        release, session=session, scopes=principal.units, unit=unit, period=period, alpha=alpha, history=history
    )
    return AlertsResponse.model_validate(body)
