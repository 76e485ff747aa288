"""Bounds on the integers a caller may send: database ids, cursors and row indexes.

Every integer column is a signed 64-bit value on both engines, so a larger number can never name a
row; refusing it up front turns what used to be an engine overflow (a 500) into a plain 4xx.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_DB_INT = 2**63 - 1

PathId = Annotated[int, Path(ge=1, le=MAX_DB_INT)]
AfterId = Annotated[int, Query(ge=0, le=MAX_DB_INT)]


def in_db_range(value: int) -> bool:
    return 0 <= value <= MAX_DB_INT
