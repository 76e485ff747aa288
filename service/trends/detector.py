"""The early-warning test itself: is a unit's recent theme rate surprising given its own history?

For each visible unit and theme, the count over the last 1, 3 and 6 periods (a sustained shift
gathers evidence; the periods under test never dilute their own baseline) is compared with up to
`history` earlier visible periods. Under "nothing changed" the rate under test is Beta around the
pooled historical rate (Jeffreys prior); its variance adds the uncertainty of that rate and the
period-to-period variation, estimated from the unit's history but never below the organisation's
median (so a unit with a short, calm history is not over-trusted), and shrinking as more periods
are pooled. The one-sided p-value is P(count >= observed) under that beta-binomial; the smallest
over the windows is Bonferroni-corrected for the windows tried, and all tests of one run are
corrected together with Benjamini-Hochberg (alerts.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import betabinom

WINDOWS = (1, 3, 6)
Cell = tuple[int, int]  # (count, respondents) of a visible period
Candidate = tuple[int, int, int, float, float, float, int]  # window, count, n, a, b, baseline, history used


def icc_estimate(history: Sequence[Cell]) -> float | None:
    """Method-of-moments intra-period correlation of a history (untruncated; None if undefined)."""
    k = len(history)
    total_x = sum(x for x, _ in history)
    total_n = sum(m for _, m in history)
    if k < 2 or total_n <= k:
        return None
    baseline = (total_x + 0.5) / (total_n + 1.0)
    pearson = sum((x - m * baseline) ** 2 / (m * baseline * (1 - baseline)) for x, m in history)
    return (pearson / (k - 1) - 1) / (total_n / k - 1)


def pooled_icc(series_list: Sequence[Sequence[Cell | None]]) -> float:
    """The organisation's typical period-to-period variation: the median of every series' estimate
    (a median, so that the units whose rate did change do not pass for ordinary variation)."""
    values = sorted(
        v
        for series in series_list
        if (v := icc_estimate([c for c in series if c is not None and c[1] > 0])) is not None
    )
    return max(0.0, values[len(values) // 2]) if values else 0.0


def beta_params(n: int, history: Sequence[Cell], icc_floor: float, periods: int) -> tuple[float, float, float]:
    """(a, b, baseline) of the beta-binomial for `n` respondents over `periods` periods."""
    total_x = sum(x for x, _ in history)
    total_n = sum(m for _, m in history)
    baseline = (total_x + 0.5) / (total_n + 1.0)
    icc = max(icc_floor, icc_estimate(history) or 0.0, 0.0)
    if periods > 1 and n > 1:
        icc *= max(n / periods - 1.0, 0.0) / (n - 1.0)  # the sum of `periods` independent period effects
    share = 1.0 / (total_n + 2.0) + icc  # Var(rate) / (p (1 - p)) = 1 / (concentration + 1)
    concentration = max(1.0 / min(share, 0.999) - 1.0, 1e-3)
    return baseline * concentration, (1 - baseline) * concentration, baseline


def predictive_p(
    count: int, n: int, history: Sequence[Cell], icc_floor: float = 0.0, periods: int = 1
) -> tuple[float, float]:
    """(p-value, baseline rate) of `count` out of `n` respondents over `periods` periods."""
    a, b, baseline = beta_params(n, history, icc_floor, periods)
    return float(min(1.0, max(0.0, betabinom.sf(count - 1, n, a, b)))), baseline


def candidates(
    series: Sequence[Cell | None], at: int, *, history: int, min_history: int, icc_floor: float = 0.0
) -> list[Candidate]:
    """The windows that can be tested at period `at` of one visible series (None = suppressed)."""
    current = series[at]
    if current is None or current[1] == 0:
        return []
    out = []
    for window in WINDOWS:
        start = at - window + 1
        if start < 0 or series[start] is None:
            continue  # a window starts at a visible period
        recent = [c for c in series[start : at + 1] if c is not None and c[1] > 0]
        past = [c for c in series[max(0, start - history) : start] if c is not None and c[1] > 0]
        if len(past) < min_history:
            continue
        count, n = sum(x for x, _ in recent), sum(m for _, m in recent)
        a, b, baseline = beta_params(n, past, icc_floor, len(recent))
        out.append((window, count, n, a, b, baseline, len(past)))
    return out


def decide(groups: Sequence[Sequence[Candidate]]) -> list[tuple[float, Candidate]]:
    """(p-value, chosen window) per non-empty group, all beta-binomial tails in one vectorised call."""
    flat = [c for group in groups for c in group]
    if not flat:
        return []
    columns = np.array([(c[1], c[2], c[3], c[4]) for c in flat], dtype=float)
    tails = np.clip(betabinom.sf(columns[:, 0] - 1, columns[:, 1], columns[:, 2], columns[:, 3]), 0.0, 1.0)
    out, offset = [], 0
    for group in groups:
        if not group:
            continue
        mine = tails[offset : offset + len(group)]
        best = int(np.argmin(mine))
        out.append((min(1.0, float(mine[best]) * len(group)), group[best]))
        offset += len(group)
    return out


def series_test(
    series: Sequence[Cell | None], at: int, *, history: int, min_history: int, icc_floor: float = 0.0
) -> tuple[float, float, int, int] | None:
    """(p-value, baseline rate, history periods used, window) of one series, or None without history."""
    found = decide([candidates(series, at, history=history, min_history=min_history, icc_floor=icc_floor)])
    if not found:
        return None
    p_value, (window, _, _, _, _, baseline, used) = found[0]
    return p_value, baseline, used, window


def benjamini_hochberg(p_values: Sequence[float], alpha: float) -> tuple[list[bool], list[float]]:
    """(rejected, adjusted q-values) controlling the false discovery rate at `alpha`."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        q[i] = running
    return [value <= alpha for value in q], q
