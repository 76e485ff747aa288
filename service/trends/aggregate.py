"""Count consenting respondents per unit and period, in SQL (stored items) or in Python (a file).

Both paths produce the same `Atom` rows, one per (unit, period, month, week) with the respondent
count, one count per theme and one per severity level, so the API and `upstander trends FILE`
share every later stage, anonymity included.

A respondent is an item with status `done` or `needs_review`: one item is one consenting
respondent (a survey export carries one free-text answer per respondent and wave). Items with
status `error` are unparseable rows, not respondents. `needs_review` items count in the
denominator but never as any theme; their severity level is `unclassified`.

SQL does the heavy part: one grouped scan with a theme bit test per theme (bit-packed four to a
SUM on SQLite, whose scan time is mostly aggregate evaluation), served by the covering index of
migration 0003 (`ix_items_trend_cover`), so only the grouped rows (units x periods, a few tens of
thousands at most) reach Python.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import case, func, literal, select, text
from sqlalchemy.orm import Session

from service.batches.models import Item
from service.errors import UpstanderError
from service.labels import SEVERITIES, THEMES
from service.units import normalise

RESPONDENT_STATUSES = ("done", "needs_review")
SEVERITY_LEVELS = (*SEVERITIES, "unclassified")
MEASURES = ("respondents", *THEMES, *SEVERITY_LEVELS)
THEME_SLICE = slice(1, 1 + len(THEMES))
SEVERITY_SLICE = slice(1 + len(THEMES), len(MEASURES))


@dataclass(frozen=True)
class Atom:
    unit: str | None
    period: str | None
    month: str | None
    week: str | None
    counts: tuple[int, ...]  # aligned with MEASURES


@dataclass(frozen=True)
class AtomTable:
    """Atoms as columns: keys (unit, period, month, week) and a (rows x measures) count matrix."""

    keys: list[tuple[str | None, str | None, str | None, str | None]]
    counts: np.ndarray

    @classmethod
    def of(cls, atoms: Iterable[Atom] | AtomTable) -> AtomTable:
        if isinstance(atoms, AtomTable):
            return atoms
        atoms = list(atoms)
        counts = np.array([a.counts for a in atoms], dtype=np.int64).reshape(len(atoms), len(MEASURES))
        return cls([(a.unit, a.period, a.month, a.week) for a in atoms], counts)

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[Atom]:
        for key, row in zip(self.keys, self.counts.tolist(), strict=True):
            yield Atom(*key, tuple(row))


def _finish(n: int, themes: list[int], levels: list[int]) -> tuple[int, ...]:
    """Severity levels end with `unclassified` so that they always add up to the respondents."""
    return (n, *themes, *levels, n - sum(levels))


PACK_BITS = 15  # SQLite: four counts per 64-bit SUM, exact while a group holds fewer than 2**15 items
KEYS = (Item.unit, Item.period, Item.month, Item.week)


def _plain_sums() -> list:
    themes = [func.sum(case((Item.theme_mask.op("&")(1 << i) != 0, 1), else_=0)) for i in range(len(THEMES))]
    return themes + [func.sum(case((Item.severity_rank == r, 1), else_=0)) for r in range(len(SEVERITIES))]


def _packed_sums() -> list:
    """Bit-packed sums: SQLite spends most of the scan evaluating aggregates, so evaluate 5, not 17.

    Theme bit b of group g moves to bit PACK_BITS * f of its sum (f = b mod 4), so one SUM adds
    four theme counts side by side; severity ranks 0-3 share one SUM the same way.
    """
    sums = []
    for first in range(0, len(THEMES), 4):
        fields = []
        for f, bit in enumerate(range(first, min(first + 4, len(THEMES)))):
            shift = PACK_BITS * f - bit
            moved = Item.theme_mask.op("&")(1 << bit)
            fields.append(moved.op("<<")(shift) if shift >= 0 else moved.op(">>")(-shift))
        combined = fields[0]
        for field in fields[1:]:
            combined = combined.op("|")(field)
        sums.append(func.sum(combined))
    low = case((Item.severity_rank < 4, literal(1).op("<<")(Item.severity_rank * PACK_BITS)), else_=0)
    return sums + [func.sum(low), func.sum(case((Item.severity_rank == 4, 1), else_=0))]


def _unpack(values: np.ndarray) -> np.ndarray:
    mask = (1 << PACK_BITS) - 1
    groups = -(-len(THEMES) // 4)
    themes = [(values[:, g] >> (PACK_BITS * f)) & mask for g in range(groups) for f in range(4)][: len(THEMES)]
    low = [(values[:, groups] >> (PACK_BITS * r)) & mask for r in range(4)]
    return np.column_stack([*themes, *low, values[:, groups + 1]])


def stored_atoms(session: Session, *, batch_id: str | None = None) -> AtomTable:
    """One grouped scan over the items table (optionally one batch: the CLI's `--batch`)."""
    dialect = session.get_bind().dialect.name
    packed = dialect == "sqlite"
    if dialect == "postgresql":  # compiling 17 aggregates costs more than it saves on a 1-second scan
        session.execute(text("SET LOCAL jit = off"))
    query = select(*KEYS, func.count(), *(_packed_sums() if packed else _plain_sums()))
    query = query.where(Item.status.in_(RESPONDENT_STATUSES))
    if batch_id is not None:
        query = query.where(Item.batch_id == batch_id)
    rows = session.execute(query.group_by(*KEYS)).all()
    counts = np.zeros((len(rows), len(MEASURES)), dtype=np.int64)
    if rows:
        values = np.array([row[4:] for row in rows], dtype=np.int64)
        if packed and values[:, 0].max() >= 1 << PACK_BITS:
            return _stored_plain(session, batch_id)  # a group too large to pack: count it the long way
        counts[:, 0] = values[:, 0]
        counts[:, 1:-1] = _unpack(values[:, 1:]) if packed else values[:, 1:]
        counts[:, -1] = counts[:, 0] - counts[:, SEVERITY_SLICE.start : -1].sum(axis=1)  # unclassified
    return AtomTable([(row[0], row[1], row[2], row[3]) for row in rows], counts)


def _stored_plain(session: Session, batch_id: str | None) -> AtomTable:
    query = select(*KEYS, func.count(), *_plain_sums()).where(Item.status.in_(RESPONDENT_STATUSES))
    if batch_id is not None:
        query = query.where(Item.batch_id == batch_id)
    rows = session.execute(query.group_by(*KEYS)).all()
    counts = np.zeros((len(rows), len(MEASURES)), dtype=np.int64)
    if rows:
        counts[:, :-1] = np.array([row[4:] for row in rows], dtype=np.int64)
        counts[:, -1] = counts[:, 0] - counts[:, SEVERITY_SLICE.start : -1].sum(axis=1)
    return AtomTable([(row[0], row[1], row[2], row[3]) for row in rows], counts)


def _record_atom(record: dict) -> tuple[tuple, tuple[int, ...]] | None:
    if "skipped" in record or not isinstance(record.get("id"), str | int):
        return None
    needs_review = bool(record.get("needs_review"))
    if "error" in record and not needs_review:
        return None  # an unparseable row, not a respondent
    unit = record.get("unit")
    unit = normalise(str(unit)) or None if unit not in (None, "") else None
    keys = tuple(None if record.get(k) in (None, "") else str(record[k])[:32] for k in ("period", "month", "week"))
    themes = record.get("themes") or []
    if needs_review or not isinstance(themes, list):
        themes = []
    severity = None if needs_review else record.get("severity")
    theme_counts = [1 if t in themes else 0 for t in THEMES]
    levels = [1 if severity == s else 0 for s in SEVERITIES]
    return (unit, *keys), _finish(1, theme_counts, levels)


def file_atoms(records: Iterable[dict]) -> AtomTable:
    """The same rows from `upstander analyze` output records (never reads `redacted_text`)."""
    totals: dict[tuple, list[int]] = {}
    for record in records:
        parsed = _record_atom(record)
        if parsed is None:
            continue
        key, counts = parsed
        acc = totals.setdefault(key, [0] * len(MEASURES))
        for i, value in enumerate(counts):
            acc[i] += value
    return AtomTable.of(Atom(k[0], k[1], k[2], k[3], tuple(v)) for k, v in totals.items())


def read_analyze_output(path: Path) -> Iterator[dict]:
    """Records of an analyze output file; a line that is not a JSON object is a whole-file error."""
    if not path.is_file():
        raise UpstanderError(f"no such file: {path}", code="not_found")
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise UpstanderError(
                    f"line {number} of {path.name} is not JSON; expected `upstander analyze` output (JSONL)",
                    code="malformed_json",
                ) from None
            if not isinstance(record, dict):
                raise UpstanderError(f"line {number} of {path.name} is not a JSON object", code="malformed_json")
            yield record
