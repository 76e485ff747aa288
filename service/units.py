"""Units form a tree written as paths: `acme/sales/emea` is a child of `acme/sales`.

A token scoped to a unit sees that unit and everything below it. Flags, item reads and trends
all restrict by the same rule, so object-level access cannot drift between domains.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_
from sqlalchemy.sql.elements import ColumnElement

SEPARATOR = "/"


def normalise(unit: str) -> str:
    """The canonical path: parts stripped, empty parts dropped, case folded.

    ` ACME / Sales/ ` is `acme/sales`. Every unit is made canonical once, where it enters (input rows,
    token scopes, query filters), so stored units compare exactly and no engine's collation (SQLite's
    case-insensitive LIKE) can widen a scope.
    """
    return SEPARATOR.join(part.strip().casefold() for part in unit.split(SEPARATOR) if part.strip())


def ancestors(unit: str) -> list[str]:
    """`a/b/c` -> [`a`, `a/b`, `a/b/c`]: the unit and every unit above it, root first."""
    parts = normalise(unit).split(SEPARATOR)
    return [SEPARATOR.join(parts[: i + 1]) for i in range(len(parts))]


def covers(scope: str, unit: str | None) -> bool:
    """Is the stored `unit` the scope itself or below it? The same test as `scope_clause`, in Python.

    The unit is compared as stored (canonical since input); only the scope is normalised, so a
    non-canonical stored unit is outside every scope rather than inside one by accident.
    """
    if unit is None:
        return False
    scope = normalise(scope)
    return unit == scope or unit[: len(scope) + 1] == scope + SEPARATOR


def in_scope(unit: str | None, scopes: Iterable[str]) -> bool:
    """An empty scope list means every unit (an unscoped token)."""
    scopes = list(scopes)
    return not scopes or any(covers(scope, unit) for scope in scopes)


def scope_clause(column, scopes: Iterable[str]) -> ColumnElement[bool] | None:
    """The SQL filter for `in_scope`, or None when the token is unscoped."""
    scopes = [normalise(s) for s in scopes]
    if not scopes:
        return None
    clauses = []
    for scope in scopes:
        # A prefix compared as a substring, byte for byte on every engine (LIKE is case-blind on SQLite).
        prefix = scope + SEPARATOR
        clauses.append(column == scope)
        clauses.append(func.substr(column, 1, len(prefix)) == prefix)
    return or_(*clauses)
