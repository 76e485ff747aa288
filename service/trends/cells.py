"""The cells of a trends answer, computed for all selected units and periods at once.

Rates, Wilson intervals and period-on-period changes are array operations over the release;
only the final JSON-ready dicts are built one by one. Suppressed cells get no number at all.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from service.labels import THEMES
from service.trends.aggregate import MEASURES, SEVERITY_LEVELS
from service.trends.release import Release
from service.trends.stats import two_proportion_p_array, wilson_bounds

SUPPRESSED = {"suppressed": True}
ALPHA = 0.05


def build_cells(
    release: Release,
    nodes: Sequence[int],
    periods: Sequence[int],
    theme_ix: Sequence[int],
    previous_of: dict[int, int | None],
) -> list[list[dict]]:
    """For each node, its cells over the periods (as in /v1/trends)."""
    if not nodes or not periods:
        return [[] for _ in nodes]
    names = [THEMES[i] for i in theme_ix] + list(SEVERITY_LEVELS)
    columns = [1 + i for i in theme_ix] + [MEASURES.index(s) for s in SEVERITY_LEVELS]
    split = len(theme_ix)
    rows, cols = np.array(periods), np.array(nodes)
    counts = release.counts[np.ix_(rows, cols)]  # (periods, nodes, measures)
    n = counts[..., 0]
    x = counts[..., columns]
    low, high = wilson_bounds(x, n[..., None])
    rate = np.divide(x, n[..., None], out=np.zeros(x.shape), where=n[..., None] > 0)
    prev = np.array([-1 if previous_of[p] is None else previous_of[p] for p in periods])
    safe = np.where(prev >= 0, prev, 0)
    before = release.counts[np.ix_(safe, cols)]
    n0 = before[..., 0]
    usable = (prev >= 0)[:, None] & ~release.hidden_text[np.ix_(safe, cols)] & (n0 > 0) & (n > 0)
    x0 = before[..., columns]
    rate0 = np.divide(x0, n0[..., None], out=np.zeros(x0.shape), where=n0[..., None] > 0)
    p_value = two_proportion_p_array(x, n[..., None], x0, n0[..., None])
    lists = {
        key: np.round(value, digits).tolist()
        for key, value, digits in (
            ("rate", rate, 4),
            ("low", low, 4),
            ("high", high, 4),
            ("diff", rate - rate0, 4),
            ("p", p_value, 6),
        )
    }
    x_list, n_list, usable_list = x.tolist(), n.tolist(), usable.tolist()
    hidden_count = release.hidden_count[np.ix_(rows, cols)].tolist()
    hidden_text = release.hidden_text[np.ix_(rows, cols)].tolist()
    period_names = [release.periods[p] for p in periods]
    previous_names = [None if prev[i] < 0 else release.periods[prev[i]] for i in range(len(periods))]
    out: list[list[dict]] = []
    for j in range(len(nodes)):
        cells = []
        for i, period in enumerate(period_names):
            if hidden_count[i][j]:
                cells.append(
                    {
                        "period": period,
                        "respondents": SUPPRESSED,
                        "themes": dict.fromkeys(names[:split], SUPPRESSED),
                        "severity": dict.fromkeys(names[split:], SUPPRESSED),
                    }
                )
                continue
            cell: dict = {"period": period, "respondents": {"count": n_list[i][j]}}
            if hidden_text[i][j]:
                cell["themes"] = dict.fromkeys(names[:split], SUPPRESSED)
                cell["severity"] = dict.fromkeys(names[split:], SUPPRESSED)
                cells.append(cell)
                continue
            empty = n_list[i][j] == 0
            values = []
            for k in range(len(names)):
                if empty:
                    values.append({"count": 0, "rate": None, "ci_low": None, "ci_high": None})
                    continue
                value = {
                    "count": x_list[i][j][k],
                    "rate": lists["rate"][i][j][k],
                    "ci_low": lists["low"][i][j][k],
                    "ci_high": lists["high"][i][j][k],
                }
                if usable_list[i][j]:
                    p = lists["p"][i][j][k]
                    value["change"] = {
                        "previous_period": previous_names[i],
                        "difference": lists["diff"][i][j][k],
                        "p_value": p,
                        "significant": p < ALPHA,
                    }
                values.append(value)
            cell["themes"] = dict(zip(names[:split], values[:split], strict=True))
            cell["severity"] = dict(zip(names[split:], values[split:], strict=True))
            cells.append(cell)
        out.append(cells)
    return out
