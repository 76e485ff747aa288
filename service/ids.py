"""Bounds on the integers a caller may send: database ids, cursors and row indexes.

Integer ids and versions are `INTEGER` columns: signed 32-bit on PostgreSQL (SQLite stores up to
64 bits), so a larger number can never name a row. Refusing it up front turns what used to be an
engine overflow (SQLite OverflowError, PostgreSQL "integer out of range": a 500) into a plain 4xx.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_DB_INT = 2**31 - 1

PathId = Annotated[int, Path(ge=1, le=MAX_DB_INT)]
AfterId = Annotated[int, Query(ge=0, le=MAX_DB_INT)]


def in_db_range(value: int) -> bool:
    return 0 <= value <= MAX_DB_INT
