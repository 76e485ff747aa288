"""The row record every stage passes along, from the reader to the store.

It lives with the stages (not with the file readers of service/inputs.py) because the pipeline
consumes rows from every source: files, the API's single item, a worker's unsealed chunk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.errors import ErrorCode


@dataclass
class RowError:
    code: str
    message: str

    def __post_init__(self) -> None:
        self.code = ErrorCode(self.code)  # only registered codes reach an output line


@dataclass
class InputRow:
    """One input row. `text` is raw and must never leave memory before redaction."""

    line: int
    id: str | None = None
    text: str | None = None
    consent: bool = False
    unit: str | None = None
    period: str | None = None
    week: str | None = None  # ISO week of submitted_at, e.g. 2026-W07 (trends by week)
    month: str | None = None  # month of submitted_at, e.g. 2026-02 (trends by month)
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    error: RowError | None = None
