"""Public shapes of /v1/trends and /v1/alerts (documentation and tests; no item text anywhere)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Suppressed(BaseModel):
    """A cell that may not be shown: it says so and carries no number."""

    suppressed: Literal[True]


class Change(BaseModel):
    previous_period: str
    difference: float = Field(description="rate minus the previous period's rate")
    p_value: float = Field(ge=0, le=1, description="two-sided two-proportion z-test")
    significant: bool = Field(description="p_value < 0.05")


class RateCell(BaseModel):
    count: int = Field(ge=0)
    rate: float | None = Field(None, ge=0, le=1, description="count / respondents (null when there are none)")
    ci_low: float | None = Field(None, ge=0, le=1, description="Wilson 95% interval")
    ci_high: float | None = Field(None, ge=0, le=1)
    change: Change | None = Field(None, description="only when the previous period is visible too")


class Respondents(BaseModel):
    count: int = Field(ge=0, description="consenting respondents in the unit's subtree")


class Cell(BaseModel):
    period: str
    respondents: Respondents | Suppressed
    themes: dict[str, RateCell | Suppressed]
    severity: dict[str, RateCell | Suppressed] = Field(description="none..critical and unclassified (needs review)")


class UnitTrend(BaseModel):
    unit: str = Field(description="unit path; '*' is every unit together")
    parent: str | None
    depth: int = Field(ge=0)
    cells: list[Cell]


class Thresholds(BaseModel):
    min_group_size: int
    min_comment_group_size: int


class TrendsResponse(BaseModel):
    granularity: Literal["wave", "month", "week"]
    thresholds: Thresholds
    periods: list[str]
    units: list[UnitTrend]
    notes: list[str]


class Alert(BaseModel):
    unit: str
    theme: str
    period: str
    count: int
    respondents: int
    rate: float
    ci_low: float
    ci_high: float
    baseline_rate: float = Field(description="pooled rate of the unit's visible history")
    history_periods: int
    p_value: float
    q_value: float = Field(description="Benjamini-Hochberg adjusted p-value")


class Hotspot(BaseModel):
    unit: str
    items: int = Field(description="distinct items naming the same (pseudonymous) person; never who")


class Hotspots(BaseModel):
    window: list[str]
    min_items: int
    units: list[Hotspot]


class AlertsResponse(BaseModel):
    granularity: Literal["wave", "month", "week"]
    period: str | None
    method: str
    alpha: float
    false_alarm_rate: str
    history: int
    min_history: int
    tests: int
    alerts: list[Alert]
    hotspots: Hotspots
