"""Rates with Wilson 95% intervals, and the change against the previous period.

Everything here is computed from visible cells only, so it can reveal nothing the cells do not.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import erfc

Z95 = 1.959963984540054


def wilson(count: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval: honest near 0 and 1 and for small n, unlike the normal one."""
    if n <= 0:
        raise ValueError("Wilson interval needs n > 0")
    p = count / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == n else min(1.0, centre + half)
    return low, high


def two_proportion_p(x1: int, n1: int, x0: int, n0: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test (1.0 when both rates are 0 or 1)."""
    pooled = (x1 + x0) / (n1 + n0)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    if se == 0:
        return 1.0
    z = (x1 / n1 - x0 / n0) / se
    return math.erfc(abs(z) / math.sqrt(2))


def wilson_bounds(count: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`wilson` over arrays (where n > 0; elsewhere the bounds are meaningless)."""
    count, n = np.asarray(count, dtype=float), np.asarray(n, dtype=float)
    size = np.where(n > 0, n, 1.0)
    p = count / size
    z2 = Z95 * Z95
    denom = 1 + z2 / size
    centre = (p + z2 / (2 * size)) / denom
    half = Z95 * np.sqrt(np.clip(p * (1 - p), 0, None) / size + z2 / (4 * size * size)) / denom
    low = np.where(count == 0, 0.0, np.maximum(0.0, centre - half))
    high = np.where(count == n, 1.0, np.minimum(1.0, centre + half))
    return low, high


def two_proportion_p_array(x1: np.ndarray, n1: np.ndarray, x0: np.ndarray, n0: np.ndarray) -> np.ndarray:
    """`two_proportion_p` over arrays (where both n are positive)."""
    n1, n0 = np.where(n1 > 0, n1, 1.0), np.where(n0 > 0, n0, 1.0)
    pooled = (x1 + x0) / (n1 + n0)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    z = np.divide(x1 / n1 - x0 / n0, se, out=np.zeros_like(se), where=se > 0)
    return np.where(se > 0, erfc(np.abs(z) / math.sqrt(2)), 1.0)
