"""The unit tree trends roll up over: every unit path seen, its ancestors, and a root `*`.

Nodes are numbered so that a parent always comes before its children (paths sort after their
prefixes); walking the numbers backwards therefore visits children before parents, which is
all that roll-up and suppression need. Items without a unit belong to the root directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from service.units import SEPARATOR, ancestors, normalise

ROOT = "*"


@dataclass(frozen=True)
class Tree:
    names: tuple[str, ...]
    parent: tuple[int, ...]  # -1 for the root
    children: tuple[tuple[int, ...], ...]
    index: dict[str, int] = field(repr=False)

    def __len__(self) -> int:
        return len(self.names)

    @property
    def bottom_up(self) -> range:
        """Node numbers with every child before its parent (root last)."""
        return range(len(self.names) - 1, -1, -1)

    def node_of(self, unit: str | None) -> int:
        """The node an item's unit maps to (the root when it has none)."""
        if not unit:
            return 0
        return self.index[normalise(unit) or ROOT]

    def subtree(self, node: int) -> list[int]:
        out, stack = [], [node]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(self.children[current])
        return out

    def depth(self, node: int) -> int:
        return 0 if node == 0 else self.names[node].count(SEPARATOR) + 1


def build_tree(units: Iterable[str | None]) -> Tree:
    paths: set[str] = set()
    for unit in units:
        if unit and normalise(unit):
            paths.update(ancestors(unit))
    paths.discard(ROOT)  # a unit literally called `*` counts as unit-less
    names = (ROOT, *sorted(paths))
    index = {name: i for i, name in enumerate(names)}
    parent = [-1] + [index[name.rsplit(SEPARATOR, 1)[0]] if SEPARATOR in name else 0 for name in names[1:]]
    children: list[list[int]] = [[] for _ in names]
    for node, up in enumerate(parent):
        if up >= 0:
            children[up].append(node)
    return Tree(names, tuple(parent), tuple(tuple(c) for c in children), index)
