"""Units form a tree written as paths: `acme/sales/emea` is a child of `acme/sales`.

A token scoped to a unit sees that unit and everything below it. Flags, item reads and trends
all restrict by the same rule, so object-level access cannot drift between domains.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_
from sqlalchemy.sql.elements import ColumnElement

SEPARATOR = "/"


def normalise(unit: str) -> str:
    """Strip blanks around path parts and empty parts: ` acme / sales/ ` is `acme/sales`."""
    return SEPARATOR.join(part.strip() for part in unit.split(SEPARATOR) if part.strip())


def ancestors(unit: str) -> list[str]:
    """`a/b/c` -> [`a`, `a/b`, `a/b/c`]: the unit and every unit above it, root first."""
    parts = normalise(unit).split(SEPARATOR)
    return [SEPARATOR.join(parts[: i + 1]) for i in range(len(parts))]


def covers(scope: str, unit: str | None) -> bool:
    """Is `unit` the scope itself or below it?"""
    if unit is None:
        return False
    unit, scope = normalise(unit), normalise(scope)
    return unit == scope or unit.startswith(scope + SEPARATOR)


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
        escaped = scope.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append(column == scope)
        clauses.append(column.like(escaped + SEPARATOR + "%", escape="\\"))
    return or_(*clauses)
