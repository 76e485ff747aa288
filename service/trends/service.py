"""Trend answers: a selection from the canonical release, with rates, intervals and changes.

Service functions take keyword-only arguments and return JSON-ready dicts; the routes, the CLI
and the HTML report all go through `trends()` so they show exactly the same cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from sqlalchemy.orm import Session

from service.errors import NotFound, UpstanderError
from service.labels import THEMES
from service.settings import Settings
from service.trends.aggregate import Atom, AtomTable, stored_atoms
from service.trends.cells import build_cells
from service.trends.periods import GRANULARITIES, is_valid, previous, view_key
from service.trends.release import Release, build_release
from service.trends.tree import ROOT
from service.units import in_scope, normalise

MAX_PERIODS = 156
NOTES = (
    "Denominator: consenting respondents (analysed items, including those whose classification failed "
    "and await review, which count under severity 'unclassified' and never as a theme); unparseable rows "
    "are not respondents. One item is one respondent.",
    "Cells with fewer respondents than min_group_size (counts) or min_comment_group_size (themes and "
    "severity) are suppressed, and so are other cells where needed so that no suppressed value can be "
    "recovered by subtraction. Suppressed cells carry no number.",
    "A parent unit counts its whole subtree, including items attached to the parent itself. Unit '*' is "
    "every unit together. Months are made of whole ISO weeks (a week belongs to the month of its Thursday).",
)


def choose_granularity(atoms: AtomTable, granularity: str | None) -> str:
    """An explicit choice wins; otherwise waves when the data names any, else months."""
    if granularity is not None:
        if granularity not in GRANULARITIES:
            raise UpstanderError(
                f"granularity must be one of {', '.join(GRANULARITIES)}", code="invalid_granularity", http_status=422
            )
        return granularity
    has_waves = any(view_key("wave", p, m, w) is not None for p, m, w in {k[1:] for k in atoms.keys})
    return "wave" if has_waves else "month"


def release_from_atoms(atoms: Iterable[Atom] | AtomTable, *, granularity: str | None, settings: Settings) -> Release:
    table = AtomTable.of(atoms)
    return build_release(
        table,
        choose_granularity(table, granularity),
        min_group_size=settings.min_group_size,
        min_comment_group_size=settings.min_comment_group_size,
    )


def load_release(
    session: Session, *, granularity: str | None, settings: Settings, batch_id: str | None = None
) -> Release:
    """Aggregate every stored respondent (never only the caller's scope; see anonymity.py)."""
    return release_from_atoms(stored_atoms(session, batch_id=batch_id), granularity=granularity, settings=settings)


def select_nodes(release: Release, *, scopes: Iterable[str], unit: str | None, depth: int | None) -> list[int]:
    """The nodes an answer may show: the subtree of `unit` (or of the caller's scopes), by depth."""
    tree, scopes = release.tree, [normalise(s) for s in scopes]
    if unit is not None:
        name = normalise(unit) or ROOT
        if name not in tree.index or (name == ROOT and scopes) or (name != ROOT and not in_scope(name, scopes)):
            raise NotFound("no such unit in your scope", code="unknown_unit")
        roots = [tree.index[name]]
    elif scopes:
        roots = sorted({tree.index[s] for s in scopes if s in tree.index})
        roots = [r for r in roots if not any(a != r and a in roots for a in _ancestors(release, r))]
    else:
        roots = [0]
    nodes: list[int] = []
    for root in roots:
        base = tree.depth(root)
        nodes += sorted(n for n in tree.subtree(root) if depth is None or tree.depth(n) - base <= depth)
    return nodes


def _ancestors(release: Release, node: int) -> list[int]:
    out = []
    while node >= 0:
        out.append(node)
        node = release.tree.parent[node]
    return out


def select_periods(release: Release, *, period_from: str | None, period_to: str | None, last: int) -> list[int]:
    g = release.granularity
    for value in (period_from, period_to):
        if value is not None and not is_valid(g, value):
            example = {"week": "2026-W07", "month": "2026-02", "wave": "a wave label"}[g]
            raise UpstanderError(
                f"period {value!r} is not a {g} (e.g. {example})", code="invalid_period", http_status=422
            )
    if period_from and period_to and period_from > period_to:
        raise UpstanderError("'from' is after 'to'", code="invalid_period", http_status=422)
    if period_from is None and period_to is None:
        return list(range(max(0, len(release.periods) - last), len(release.periods)))
    chosen = [
        i
        for i, p in enumerate(release.periods)
        if (period_from is None or p >= period_from) and (period_to is None or p <= period_to)
    ]
    if len(chosen) > MAX_PERIODS:
        raise UpstanderError(
            f"the range covers {len(chosen)} periods; at most {MAX_PERIODS} per request",
            code="range_too_large",
            http_status=422,
        )
    return chosen


def _previous_index(release: Release, p: int) -> int | None:
    """The period just before `p` on the calendar (or the previous wave), if it has data."""
    key = previous(release.granularity, release.periods[p], release.periods)
    return None if key is None else release.period_index(key)


def trends(
    release: Release,
    *,
    scopes: Iterable[str] = (),
    unit: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
    themes: Sequence[str] | None = None,
    depth: int | None = None,
    last: int = 12,
) -> dict:
    """Counts, rates, Wilson intervals and changes per unit x period, suppressed where needed."""
    unknown = [t for t in themes or () if t not in THEMES]
    if unknown:
        raise UpstanderError(f"unknown theme(s): {', '.join(unknown)}", code="invalid_theme", http_status=422)
    theme_ix = [i for i, t in enumerate(THEMES) if themes is None or t in themes]
    nodes = select_nodes(release, scopes=scopes, unit=unit, depth=depth)
    periods = select_periods(release, period_from=period_from, period_to=period_to, last=last)
    previous_of = {p: _previous_index(release, p) for p in periods}
    tree = release.tree
    units = []
    for node, cells in zip(nodes, build_cells(release, nodes, periods, theme_ix, previous_of), strict=True):
        parent = tree.parent[node]
        units.append(
            {
                "unit": tree.names[node],
                "parent": tree.names[parent] if parent >= 0 else None,
                "depth": tree.depth(node),
                "cells": cells,
            }
        )
    return {
        "granularity": release.granularity,
        "thresholds": {
            "min_group_size": release.min_group_size,
            "min_comment_group_size": release.min_comment_group_size,
        },
        "periods": [release.periods[p] for p in periods],
        "units": units,
        "notes": list(NOTES),
    }


def own_counts(release: Release) -> np.ndarray:
    """Respondents attached to each node itself (not to a child), per period."""
    own = release.counts[:, :, 0].copy()
    for node in range(1, len(release.tree)):
        own[:, release.tree.parent[node]] -= release.counts[:, node, 0]
    return own
