"""The canonical release of one granularity: counts per period x node, and what is hidden.

Everything the API, the CLI and the report show is a selection from this object, which is built
from *all* items (never from a caller's scope or filters) so that two answers can never disagree
about a cell (see anonymity.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from service.trends.aggregate import MEASURES, Atom, AtomTable
from service.trends.anonymity import suppress
from service.trends.periods import family, view_key
from service.trends.tree import Tree, build_tree
from service.trends.weeks import suppress_family


@dataclass(frozen=True)
class Release:
    granularity: str
    tree: Tree
    periods: list[str]  # sorted
    counts: np.ndarray  # (periods, nodes, measures): subtree totals
    hidden_count: np.ndarray  # (periods, nodes): respondent count hidden
    hidden_text: np.ndarray  # (periods, nodes): theme and severity counts hidden
    min_group_size: int
    min_comment_group_size: int

    def period_index(self, key: str) -> int | None:
        i = int(np.searchsorted(self.periods, key))
        return i if i < len(self.periods) and self.periods[i] == key else None


def _tables(atoms: AtomTable, granularity: str) -> tuple[Tree, list[str], np.ndarray]:
    keys: dict[tuple, str | None] = {}
    period_of = [
        keys[k[1:]] if k[1:] in keys else keys.setdefault(k[1:], view_key(granularity, *k[1:])) for k in atoms.keys
    ]
    rows = [i for i, key in enumerate(period_of) if key is not None]
    tree = build_tree({atoms.keys[i][0] for i in rows})
    periods = sorted({key for key in period_of if key is not None})
    where = {key: i for i, key in enumerate(periods)}
    own = np.zeros((len(periods), len(tree), len(MEASURES)), dtype=np.int64)
    if rows:
        nodes: dict[str | None, int] = {}
        node_ix = [
            nodes[u] if u in nodes else nodes.setdefault(u, tree.node_of(u)) for u in (atoms.keys[i][0] for i in rows)
        ]
        period_ix = [where[key] for key in period_of if key is not None]
        np.add.at(own, (np.array(period_ix), np.array(node_ix)), atoms.counts[rows])
    return tree, periods, own


def _roll_up(tree: Tree, own: np.ndarray) -> np.ndarray:
    total = own.copy()
    for node in tree.bottom_up:
        if node:
            total[:, tree.parent[node]] += total[:, node]
    return total


def build_release(
    atoms: Iterable[Atom] | AtomTable, granularity: str, *, min_group_size: int, min_comment_group_size: int
) -> Release:
    """Aggregate atoms on one time axis and decide suppression for every table."""
    k = min_group_size
    kc = max(min_comment_group_size, k)  # the text threshold is applied on top of the count threshold
    tree, periods, own = _tables(AtomTable.of(atoms), granularity)
    counts = _roll_up(tree, own)
    hidden_count = np.zeros(counts.shape[:2], dtype=bool)
    hidden_text = np.zeros(counts.shape[:2], dtype=bool)
    families: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(periods):
        families[family(granularity, key)].append(i)
    for rows in families.values():
        n, mine = counts[rows, :, 0], own[rows, :, 0]
        month_n, month_own = n.sum(axis=0).tolist(), mine.sum(axis=0).tolist()
        by_count = suppress(tree, month_n, month_own, k)
        by_text = suppress(tree, month_n, month_own, kc, hidden=by_count)
        if granularity == "week":
            by_count = suppress_family(tree, n, mine, by_count, k)
            by_text = suppress_family(tree, n, mine, by_text, kc, hidden=by_count)
        hidden_count[rows] = by_count
        hidden_text[rows] = by_text
    return Release(granularity, tree, periods, counts, hidden_count, hidden_text, k, kc)
