"""Which week cells may be shown, consistently with the month they belong to.

Weeks nest in months (`periods.py`), so a month table and its weeks form a *family* sharing one
linear structure: a month cell is the sum of its week cells. Deciding weeks like independent
tables would leak: a unit visible monthly but hidden weekly pins the sum of its hidden weeks,
and subtracting visible weeks from a visible month would expose a small week.

So a unit's weeks are shown or hidden together within a family (never more visible than its
month), and every hidden region (the hidden nodes below one node whose weeks are visible) is
checked exactly: variables are the non-empty own-leaf counts of the region per week; the
constraints are what is published about them (the region's total per week, and the month total
of every hidden node whose month is visible). A small hidden cell (a week or month value of a
hidden node or own leaf, 0 < n < threshold) must not lie in the span of the constraints, and
every sum anyone can compute (the region's per-week total, the part of a pinned month inside
the region, each with the individually recoverable cells taken out) must be 0 or reach the
threshold. Violations are repaired by hiding one more node (the smallest visible one adjoining
the region, else the region's top) and checking again; hiding only removes constraints, so the
loop ends, at worst with no weeks shown, which is safe because the month tables are.
"""

from __future__ import annotations

import numpy as np

from service.trends.tree import Tree

_EPS = 1e-9
MAX_CLASSES = 400  # a region this complex is merged upwards instead of solved
TOO_LARGE = -1


class _Family:
    def __init__(
        self,
        tree: Tree,
        week_n: np.ndarray,
        week_own: np.ndarray,
        month_hidden: list[bool],
        threshold: int,
        hidden: list[bool],
    ):
        self.tree, self.n, self.own, self.threshold = tree, week_n, week_own, threshold
        self.month_n = week_n.sum(axis=0)
        self.own_month = week_own.sum(axis=0)
        self.month_hidden = month_hidden
        self.hidden = hidden
        self.small_own = self._small(week_own)  # own leaves with a small week or month
        self.small_node = self._small(week_n)  # nodes with a small week or month

    def _small(self, counts: np.ndarray) -> list[bool]:
        weekly = ((counts > 0) & (counts < self.threshold)).any(axis=0)
        monthly = (counts.sum(axis=0) > 0) & (counts.sum(axis=0) < self.threshold)
        return [bool(v) for v in np.asarray(weekly | monthly)]

    def region(self, top: int) -> tuple[list[int], list[int]]:
        """(hidden nodes of the region, its atoms): for a hidden root, the top region itself."""
        members: list[int] = []
        stack = [top] if self.hidden[top] else [c for c in self.tree.children[top] if self.hidden[c]]
        while stack:
            node = stack.pop()
            members.append(node)
            stack.extend(c for c in self.tree.children[node] if self.hidden[c])
        atoms = members if self.hidden[top] else [top, *members]
        return members, atoms

    def check(self, top: int) -> tuple[bool, int | None, int | None]:
        """(ok, node to blame, week) for the region under `top`.

        Variables with identical constraints form a class: moving mass inside a class changes
        nothing published, so only the class totals need linear algebra (and none at all in the
        top region, where no week is published: there each pinned class total is known).
        """
        if not self.hidden[top] and not any(self.hidden[c] for c in self.tree.children[top]):
            if not self.small_own[top]:
                return True, None, None  # only the top's own leaf, and none of its weeks is small
        members, atoms = self.region(top)
        if not any(self.small_own[a] for a in atoms) and not any(self.small_node[m] for m in members):
            return True, None, None  # nothing small to protect, and every sum of cells >= threshold is too
        if not members:  # only the top's own leaf: every week of it is published by subtraction
            for w in range(self.n.shape[0]):
                if 0 < self.own[w, top] < self.threshold:
                    return False, top, w
            return True, None, None
        classes = _Classes(self, members, atoms, weeks_published=not self.hidden[top])
        if classes.too_large:
            return False, TOO_LARGE, None  # too large to check here: hide the top instead
        blamed = classes.pinned_small_cell()
        if blamed is not None:
            return (False, *blamed)
        if classes.small_computable_sum():
            return False, None, None
        return True, None, None

    def repair(self, top: int, blame: int | None, week: int | None) -> None:
        if blame == TOO_LARGE:
            self.hidden[top] = True
            return
        members, _ = self.region(top)
        edge = [
            c
            for m in ([] if self.hidden[top] else [top]) + members
            for c in self.tree.children[m]
            if not self.hidden[c] and self.month_n[c] > 0
        ]
        if blame is not None and blame in members and week is not None:
            inner = [c for c in edge if c in set(self.tree.subtree(blame)) and self.n[week, c] > 0]
            edge = inner or edge
        if edge:
            self.hidden[min(edge, key=lambda c: (self.month_n[c], c))] = True
        elif not self.hidden[top]:
            self.hidden[top] = True
        else:
            raise RuntimeError("week suppression cannot protect a month table; the month tables are inconsistent")

    def run(self) -> list[bool]:
        """One bottom-up pass: a region is re-checked after every repair, and a repair only merges
        regions that are checked later in the pass (the hidden node's parent region)."""
        for top in self.tree.bottom_up:
            if self.hidden[top] and top != 0:
                continue
            while True:
                ok, blame, week = self.check(top)
                if ok:
                    break
                self.repair(top, blame, week)
                if self.hidden[top] and top != 0:
                    break
        return self.hidden


class _Classes:
    """One region's variables (an atom's count in one week) grouped by the constraints on them.

    An atom is pinned by the nearest hidden node above it whose month is published; in a region
    whose weeks are published, each week is a constraint too. Variables of one class move
    together, so what can be recovered is decided on class totals.
    """

    def __init__(self, family: _Family, members: list[int], atoms: list[int], *, weeks_published: bool):
        self.family, self.members, self.atoms = family, members, atoms
        self.weeks_published = weeks_published
        self.weeks = weeks = family.n.shape[0]
        self.member_index = member_index = {m: i for i, m in enumerate(members)}
        self.pinned = pinned = [m for m in members if not family.month_hidden[m]]
        self.pinned_index = pinned_index = {m: k for k, m in enumerate(pinned)}
        # contains[i, j]: member i's subtree holds atom j; pinned_above[j]: index of atom j's pinned month (-1: none)
        self.contains = contains = np.zeros((len(members), len(atoms)), dtype=bool)
        pinned_above = np.full(len(atoms), -1)
        for j, atom in enumerate(atoms):
            node = atom
            while node in member_index:
                contains[member_index[node], j] = True
                if pinned_above[j] < 0 and node in pinned_index:
                    pinned_above[j] = pinned_index[node]
                node = family.tree.parent[node]
        self.own = own = family.own[:, atoms]
        self.present = present = own > 0
        if weeks_published:
            self.var_class = (pinned_above + 1)[None, :] * weeks + np.arange(weeks)[:, None]
            self.n_classes = (len(pinned) + 1) * weeks
        else:
            self.var_class = np.broadcast_to((pinned_above + 1)[None, :], own.shape)
            self.n_classes = len(pinned) + 1
        self.size = np.bincount(self.var_class[present], minlength=self.n_classes)
        self.too_large = False
        self.null, self.free_class = self._null_space_of_constraints()

    def _null_space_of_constraints(self) -> tuple[np.ndarray, np.ndarray]:
        """How class totals can move without changing anything published, and which classes can."""
        n_classes, weeks = self.n_classes, self.weeks
        if not self.weeks_published:
            free_class = np.zeros(n_classes, dtype=bool)
            free_class[0] = True  # atoms below no pinned month: nothing published about them
            return free_class[:, None].astype(float), free_class
        used = np.nonzero(self.size)[0]
        if len(used) > MAX_CLASSES:
            self.too_large = True
            return np.zeros((n_classes, 0)), np.zeros(n_classes, dtype=bool)
        rows = np.zeros((weeks + len(self.pinned), n_classes))
        for c in used:
            k, w = divmod(int(c), weeks)
            rows[w, c] = 1.0
            up = self.pinned[k - 1] if k else -1
            while up in self.member_index:
                if up in self.pinned_index:
                    rows[weeks + self.pinned_index[up], c] = 1.0
                up = self.family.tree.parent[up]
        null = np.zeros((n_classes, 0))
        basis = _null_space(rows[:, used], len(used))
        if basis.size:
            null = np.zeros((n_classes, basis.shape[1]))
            null[used] = basis
        return null, np.abs(null).sum(axis=1) > _EPS

    def _fixed(self, counts: np.ndarray) -> np.ndarray:
        """Which class-count rows add up to a value that what is published pins down."""
        partial = np.any((counts > 0) & (counts < self.size), axis=-1)
        moved = np.abs((counts > 0).astype(float) @ self.null).sum(axis=-1) > _EPS
        return ~partial & ~moved

    def pinned_small_cell(self) -> tuple[int, int | None] | None:
        """(node, week or None for its month) of a small cell that what is published pins down."""
        family, members, atoms, weeks = self.family, self.members, self.atoms, self.weeks
        # Class counts of every target at once: member x week and atom x week (months are their sums).
        week_ix, atom_ix = np.nonzero(self.present)
        var_class = self.var_class[week_ix, atom_ix]
        by_class = np.zeros((weeks, self.n_classes, len(members)), dtype=np.int64)
        np.add.at(by_class, (week_ix, var_class), self.contains[:, atom_ix].T.astype(np.int64))
        member_week = by_class.transpose(2, 0, 1)
        atom_week = np.zeros((len(atoms), weeks, self.n_classes), dtype=np.int64)
        np.add.at(atom_week, (atom_ix, week_ix, var_class), 1)
        small = family.threshold
        for counts, values, names in ((member_week, family.n[:, members].T, members), (atom_week, self.own.T, atoms)):
            small_week = (values > 0) & (values < small)
            if small_week.any():
                hit = small_week & self._fixed(counts)
                if hit.any():
                    i, w = np.argwhere(hit)[0]
                    return names[int(i)], int(w)
            totals = values.sum(axis=1)
            small_month = (totals > 0) & (totals < small)
            if small_month.any():
                hit = small_month & self._fixed(counts.sum(axis=1))
                if hit.any():
                    return names[int(np.argmax(hit))], None
        return None

    def small_computable_sum(self) -> bool:
        """Whether a sum anyone can compute (a pinned month's part, a week's total; whole, and
        without the individually recoverable cells) is small but not zero."""
        own, present, var_class = self.own, self.present, self.var_class
        week_of = np.arange(self.weeks)[:, None]
        free = present & (self.free_class[var_class] | (self.size[var_class] >= 2))
        groups = [
            np.broadcast_to(self.contains[self.member_index[m]][None, :], own.shape) & present for m in self.pinned
        ]
        if self.weeks_published:
            groups += [(week_of == w) & present for w in range(self.weeks)]
        for group in groups:
            for part in (group, group & free):
                total = own[part].sum()
                if 0 < total < self.family.threshold:
                    return True
        return False


def _null_space(rows: np.ndarray, width: int) -> np.ndarray:
    if width == 0:
        return np.zeros((0, 0))
    if rows.shape[0] == 0:
        return np.eye(width)
    _, s, vt = np.linalg.svd(rows)
    rank = int((s > 1e-8 * max(1.0, s.max(initial=0.0))).sum())
    return vt[rank:].T


def suppress_family(
    tree: Tree,
    week_n: np.ndarray,
    week_own: np.ndarray,
    month_hidden: list[bool],
    threshold: int,
    hidden: list[bool] | None = None,
) -> list[bool]:
    """Hidden flags shared by every week of one month family.

    `week_n`/`week_own` are (weeks x nodes) respondent counts of subtrees and own leaves;
    `month_hidden` is the month table's decision at the same threshold; `hidden` seeds nodes
    that must stay hidden (the count threshold's weeks, when deciding the text threshold).
    """
    small = [bool(v) for v in np.asarray(((week_n > 0) & (week_n < threshold)).any(axis=0))]
    start = [
        bool(month_hidden[i]) or bool(hidden[i] if hidden is not None else False) or small[i] for i in range(len(tree))
    ]
    return _Family(tree, week_n, week_own, list(month_hidden), threshold, start).run()
