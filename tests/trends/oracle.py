"""The attacker: everything published, as linear equations over the true atoms, solved exactly.

Atoms are the finest groups of respondents anyone could ask about: one per (unit the items are
attached to, stored period, month, week). A published cell is the sum of the atoms it covers; a
cell is *recoverable* when its functional lies in the span of the published ones (it then follows
from them by some linear combination, sibling subtraction being the simplest). The attacker is
assumed to know the whole structure, including which atoms are non-empty.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from service.trends.periods import GRANULARITIES, view_key
from service.trends.release import Release
from service.trends.tree import ROOT
from service.units import normalise

Fact = tuple[str, str, str]  # (granularity, period, unit) whose respondent count was seen


def atom_keys(atoms) -> tuple[list[tuple], np.ndarray]:
    totals: dict[tuple, int] = {}
    for atom in atoms:
        key = (normalise(atom.unit) if atom.unit else None, atom.period, atom.month, atom.week)
        totals[key] = totals.get(key, 0) + atom.counts[0]
    keys = [k for k, v in totals.items() if v > 0]
    return keys, np.array([totals[k] for k in keys], dtype=float)


def cell_vector(keys: list[tuple], granularity: str, period: str, unit: str, own: bool = False) -> np.ndarray:
    def inside(atom_unit: str | None) -> bool:
        if unit == ROOT:
            return atom_unit is None if own else True
        if atom_unit is None:
            return False
        return atom_unit == unit if own else (atom_unit == unit or atom_unit.startswith(unit + "/"))

    return np.array([1.0 if view_key(granularity, k[1], k[2], k[3]) == period and inside(k[0]) else 0.0 for k in keys])


def recoverable_small_cells(atoms, releases: dict[str, Release], published: Iterable[Fact], threshold: int) -> list:
    """Every cell (unit or a unit's own items, any granularity) with 0 < n < threshold that follows
    from the published facts."""
    keys, values = atom_keys(atoms)
    rows = [cell_vector(keys, g, p, u) for g, p, u in set(published)]
    matrix = np.array(rows) if rows else np.zeros((0, len(keys)))
    rank = np.linalg.matrix_rank(matrix) if rows else 0
    found = []
    for g in GRANULARITIES:
        release = releases[g]
        for period in release.periods:
            for unit in release.tree.names:
                for own in (False, True):
                    vector = cell_vector(keys, g, period, unit, own)
                    n = vector @ values
                    if 0 < n < threshold and np.linalg.matrix_rank(np.vstack([matrix, vector])) == rank:
                        found.append((g, period, unit + ("#own" if own else ""), int(n)))
    return found


def release_facts(releases: dict[str, Release], text: bool = False) -> list[Fact]:
    """Every visible respondent count of the canonical releases (`text`: the theme threshold's)."""
    out = []
    for g, release in releases.items():
        hidden = release.hidden_text if text else release.hidden_count
        for p, period in enumerate(release.periods):
            out += [(g, period, name) for i, name in enumerate(release.tree.names) if not hidden[p, i]]
    return out


def small_remainders(releases: dict[str, Release], text: bool = False) -> list:
    """Visible parents whose visible children leave fewer than the threshold (but some) respondents."""
    out = []
    for g, release in releases.items():
        hidden = release.hidden_text if text else release.hidden_count
        threshold = release.min_comment_group_size if text else release.min_group_size
        for p, period in enumerate(release.periods):
            for node, kids in enumerate(release.tree.children):
                if hidden[p, node]:
                    continue
                rest = release.counts[p, node, 0] - sum(release.counts[p, c, 0] for c in kids if not hidden[p, c])
                if 0 < rest < threshold:
                    out.append((g, period, release.tree.names[node], int(rest)))
    return out
