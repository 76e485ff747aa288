"""Which trend cells may be shown: threshold and complementary suppression over the unit tree.

The argument, in full, because invariant 2 of the architecture rests on it.

*What is released.* For each granularity there is one canonical release: for every period, every
node of the **whole** unit tree (all units in the database, not only the caller's) gets a cell;
a cell is either visible (numbers) or suppressed (no number). Suppression is decided once per
period table from that table's data alone. Every API answer is a *selection* from this release:
a unit subtree (the `unit` parameter and the token's scopes), whole periods (`from`/`to`), some
measures (`themes`) and a depth. Nothing the API allows *aggregates* across periods, batches,
sources or granularities, so combining any number of answers reveals no more than the release.
Filters that would create overlapping item sets (batch, source, free date ranges) are not
offered. Wave and calendar views share no item and weeks nest in months (`periods.py`), so the
granularities cannot be subtracted from each other either; weeks are decided per month family
in `weeks.py`, consistently with the month tables of this module.

*What is protected.* A cell describes the consenting respondents (items with status `done` or
`needs_review`) of a unit's subtree in a period. Respondent counts need `min_group_size`
respondents, theme and severity counts (built from comment text) `min_comment_group_size`; the
text threshold is applied on top of the count threshold (its hidden set contains the count's),
so the severity counts, which add up to the respondent count, never expose a hidden count.
The items attached directly to a unit (not to any child) are a hidden "own" leaf of that unit:
never shown on its own, and protected like a cell when small.

*The rule.* Model the table as atoms (each node's own leaf) whose sums along the tree are the
cells. A suppressed cell is safe when some change of the hidden atoms moves its value while
every visible cell stays put; such a change moves mass between two non-empty atoms of one
hidden *region* (the hidden nodes below one visible node) and alters exactly the hidden nodes
that contain one atom but not the other. So, for every visible node P whose region is R:

(a) every hidden node with respondents reaches a non-empty atom through hidden nodes (otherwise
    it equals the sum of its visible children);
(b) no small hidden cell (0 < n < threshold) or small own leaf holds all of R's non-empty atoms
    (otherwise it equals P minus P's visible children);
(c) the sum of R, which anyone can compute as P minus its visible children, is 0 or at least the
    threshold (so no group smaller than the threshold is described by subtraction either).

When the root is suppressed nothing pins the top region and only (a) applies. Hiding more
nodes never breaks a rule already met (regions only merge and grow), so one bottom-up pass that
repairs each region by hiding the smallest visible sibling (or the parent) is enough; the root
total `*` is given up first because it is the least informative figure. Exact recovery by any
linear combination of visible cells is what the property tests attack (tests/trends), over
random trees, thresholds and every filter combination of the API.

*Not covered.* Data changing between two queries (a late batch for an old period) lets one
subtract the same cell at two times; close periods before publishing them, or read trends
after a wave is fully loaded. Small counts *inside* a visible cell (1 of 12 respondents with a
theme) are shown: the threshold protects the group the count describes, not the count.
"""

from __future__ import annotations

from collections.abc import Sequence

from service.trends.tree import Tree


class _Table:
    """One period table under suppression: per node respondent count and own-leaf count."""

    def __init__(self, tree: Tree, n: Sequence[int], own: Sequence[int], threshold: int, hidden: Sequence[bool] | None):
        self.tree, self.n, self.own, self.threshold = tree, list(n), list(own), threshold
        size = len(tree)
        self.sensitive = [0 < self.n[i] < threshold for i in range(size)]
        self.own_sensitive = [0 < self.own[i] < threshold for i in range(size)]
        self.hidden = [bool(hidden[i]) if hidden is not None else False for i in range(size)]
        for i in range(size):
            self.hidden[i] = self.hidden[i] or self.sensitive[i]
        self.atoms = [0] * size  # non-empty atoms reachable through hidden nodes (region size for a visible node)
        self.mass = [0] * size  # respondents in those atoms
        self.worst = [0] * size  # largest atom count held by one small hidden cell of the region

    def refresh(self, i: int) -> None:
        atoms, mass, worst = (1 if self.own[i] > 0 else 0), self.own[i], (1 if self.own_sensitive[i] else 0)
        for c in self.tree.children[i]:
            if self.hidden[c]:
                atoms += self.atoms[c]
                mass += self.mass[c]
                worst = max(worst, self.worst[c])
        if self.hidden[i] and self.sensitive[i]:
            worst = max(worst, atoms)
        self.atoms[i], self.mass[i], self.worst[i] = atoms, mass, worst

    def _smallest_visible_child(self, i: int) -> int | None:
        kids = [c for c in self.tree.children[i] if not self.hidden[c] and self.n[c] > 0]
        return min(kids, key=lambda c: (self.n[c], c)) if kids else None

    def hide(self, i: int) -> None:
        """Hide a visible node and make sure it reaches an atom (rule a), descending if needed."""
        self.hidden[i] = True
        self.refresh(i)
        while self.n[i] > 0 and self.atoms[i] == 0:
            child = self._smallest_visible_child(i)
            if child is None:  # cannot happen: respondents live in an atom or a child
                raise RuntimeError("suppression found a node with respondents but no content")
            self.hide(child)
            self.refresh(i)

    def region_ok(self, i: int) -> bool:
        mass, atoms, worst = self.mass[i], self.atoms[i], self.worst[i]
        return not (0 < mass < self.threshold) and not (worst > 0 and worst >= atoms)

    def run(self) -> list[bool]:
        for i in self.tree.bottom_up:
            self.refresh(i)
            if self.hidden[i]:
                while self.n[i] > 0 and self.atoms[i] == 0:
                    child = self._smallest_visible_child(i)
                    if child is None:
                        raise RuntimeError("suppression found a node with respondents but no content")
                    self.hide(child)
                    self.refresh(i)
                continue
            while not self.region_ok(i):
                child = None if i == 0 else self._smallest_visible_child(i)
                if child is None:
                    self.hidden[i] = True  # give up the parent (always the root total first)
                    self.refresh(i)
                    break
                self.hide(child)
                self.refresh(i)
        return self.hidden


def suppress(
    tree: Tree, n: Sequence[int], own: Sequence[int], threshold: int, hidden: Sequence[bool] | None = None
) -> list[bool]:
    """Hidden flags for one period table: node subtree counts `n`, own-leaf counts `own`.

    `hidden` seeds cells that must stay hidden (the count threshold's result, when deciding the
    text threshold). Empty cells (n = 0) are shown as zero: they describe nobody.
    """
    return _Table(tree, n, own, threshold, hidden).run()
