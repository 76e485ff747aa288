"""The early-warning test: calibrated under no change, sensitive to a real rise, visible cells only."""

from __future__ import annotations

import numpy as np
import pytest

from service.labels import THEMES
from service.trends.aggregate import MEASURES, Atom
from service.trends.alerts import alerts
from service.trends.detector import benjamini_hochberg, predictive_p, series_test
from service.trends.release import build_release
from service.trends.stats import two_proportion_p, two_proportion_p_array, wilson, wilson_bounds


def test_predictive_p_values_are_calibrated_without_change():
    """With nothing changing, P(p < a) must not exceed a (up to simulation noise)."""
    rng = np.random.default_rng(11)
    p_values = []
    for _ in range(3000):
        rate, size = rng.uniform(0.02, 0.3), int(rng.choice([12, 30, 80]))
        series = [(int(rng.binomial(n, rate)), n) for n in rng.poisson(size, 9).clip(10)]
        p_values.append(predictive_p(series[-1][0], series[-1][1], series[:-1])[0])
    p_values = np.array(p_values)
    assert (p_values < 0.05).mean() <= 0.06 and (p_values < 0.01).mean() <= 0.015


def test_predictive_p_reacts_to_a_rise_and_to_variation():
    history = [(5, 50)] * 6
    assert predictive_p(25, 50, history)[0] < 1e-6
    assert predictive_p(5, 50, history)[0] > 0.3
    calm, noisy = [(10, 100)] * 6, [(1, 100), (20, 100), (2, 100), (18, 100), (3, 100), (16, 100)]
    assert predictive_p(25, 100, noisy)[0] > predictive_p(25, 100, calm)[0]  # a jumpy history is less surprising
    assert predictive_p(0, 50, history)[0] == 1.0


def test_benjamini_hochberg_matches_the_step_up_definition():
    rng = np.random.default_rng(5)
    for _ in range(50):
        p = list(rng.uniform(0, 0.1, 30) ** 2)
        rejected, q = benjamini_hochberg(p, 0.05)
        ranked = sorted(p)
        largest = max([k for k in range(1, 31) if ranked[k - 1] <= 0.05 * k / 30], default=0)
        assert sum(rejected) == largest
        assert all((qi <= 0.05) == r for qi, r in zip(q, rejected, strict=True))


def test_series_test_needs_visible_history():
    series = [(2, 40), None, (3, 40), (2, 40), (12, 40)]
    assert series_test(series, 4, history=8, min_history=4) is None
    result = series_test(series, 4, history=8, min_history=3)
    assert result is not None and result[0] < 0.05 and result[3] == 1
    assert series_test([(2, 40)] * 4 + [None], 4, history=8, min_history=3) is None


def org(change_at: int | None, effect: float = 4.0, seed: int = 0, small_unit: bool = False) -> list[Atom]:
    rng = np.random.default_rng(seed)
    atoms = []
    for t in range(12):
        for u in range(6):
            n = 4 if small_unit and u == 5 else 100
            counts = [n] + [0] * (len(MEASURES) - 1)
            for k in range(len(THEMES)):
                rate = 0.05 * (effect if change_at is not None and u == 0 and k == 0 and t >= change_at else 1)
                counts[1 + k] = int(rng.binomial(n, rate))
            counts[-1] = n
            atoms.append(Atom(f"acme/u{u}", f"t{t:02d}", None, None, tuple(counts)))
    return atoms


def test_alerts_find_the_unit_that_changed_and_nothing_else():
    release = build_release(org(change_at=9), "wave", min_group_size=5, min_comment_group_size=10)
    found = alerts(release, session=None, period="t11")
    units = {(a["unit"], a["theme"]) for a in found["alerts"]}
    assert ("acme/u0", THEMES[0]) in units
    assert all(u in ("acme/u0", "acme", "*") and t == THEMES[0] for u, t in units)
    alert = next(a for a in found["alerts"] if a["unit"] == "acme/u0")
    assert alert["rate"] > alert["baseline_rate"] and alert["q_value"] <= 0.05 and alert["period"] == "t11"
    quiet = build_release(org(change_at=None), "wave", min_group_size=5, min_comment_group_size=10)
    assert alerts(quiet, session=None)["alerts"] == []


def test_alerts_only_test_visible_cells_in_scope():
    release = build_release(org(change_at=None, small_unit=True), "wave", min_group_size=5, min_comment_group_size=10)
    everything = alerts(release, session=None)
    scoped = alerts(release, session=None, scopes=["acme/u1"])
    assert scoped["tests"] == len(THEMES)  # one unit, every theme
    hidden = release.tree.index["acme/u5"]
    assert release.hidden_text[:, hidden].all()
    # u5 and its complement are hidden: they are never tested, the four visible teams, acme and * are
    assert everything["tests"] == len(THEMES) * (len(release.tree) - 2)
    with pytest.raises(Exception, match="not a wave|unknown"):
        alerts(release, session=None, period="")


@pytest.mark.parametrize("count, n", [(0, 7), (3, 7), (7, 7), (40, 1000)])
def test_array_statistics_equal_the_scalar_ones(count, n):
    low, high = wilson_bounds(np.array([count]), np.array([n]))
    assert (low[0], high[0]) == pytest.approx(wilson(count, n))
    p = two_proportion_p_array(np.array([count]), np.array([n]), np.array([2.0]), np.array([9.0]))
    assert p[0] == pytest.approx(two_proportion_p(count, n, 2, 9))
