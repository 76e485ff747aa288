"""Time axes, Wilson intervals and the change test, checked against independent computations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from scipy.optimize import brentq
from scipy.stats import chi2_contingency

from service.trends.periods import is_valid, month_of_week, previous, view_key
from service.trends.stats import two_proportion_p, wilson


@pytest.mark.parametrize(
    "week, month",
    [
        ("2026-W01", "2026-01"),  # Mon 29 Dec 2025 .. Sun 4 Jan 2026: Thursday 1 Jan
        ("2025-W01", "2025-01"),  # Mon 30 Dec 2024: Thursday 2 Jan
        ("2026-W05", "2026-01"),  # Thursday 29 Jan
        ("2026-W06", "2026-02"),  # Thursday 5 Feb
        ("2020-W53", "2020-12"),
        ("2026-W54", None),
        ("26-W01", None),
    ],
)
def test_month_of_week(week, month):
    assert month_of_week(week) == month


def test_every_day_of_a_year_lands_in_its_weeks_month():
    """Weeks nest in months: all days of one ISO week map to the same month."""
    day = date(2025, 1, 1)
    seen: dict[str, str] = {}
    for _ in range(800):
        year, number, _ = day.isocalendar()
        week = f"{year}-W{number:02d}"
        month = month_of_week(week)
        assert seen.setdefault(week, month) == month
        thursday = day + timedelta(days=3 - day.weekday())
        assert month == thursday.strftime("%Y-%m")
        day += timedelta(days=1)


@pytest.mark.parametrize(
    "period, month, week, expected",
    [
        ("2026-Q1", None, None, {"wave": "2026-Q1", "month": None, "week": None}),  # a wave without date
        ("autumn", "2026-10", "2026-W41", {"wave": "autumn", "month": None, "week": None}),  # the wave wins
        ("2026-02", "2026-02", "2026-W05", {"wave": None, "month": "2026-01", "week": "2026-W05"}),  # dated only
        (None, None, None, {"wave": None, "month": None, "week": None}),
    ],
)
def test_view_key_puts_an_item_on_exactly_one_axis(period, month, week, expected):
    assert {g: view_key(g, period, month, week) for g in expected} == expected


def test_previous_periods():
    assert previous("week", "2026-W01", []) == "2025-W52"
    assert previous("week", "2021-W01", []) == "2020-W53"
    assert previous("month", "2026-01", []) == "2025-12"
    assert previous("wave", "2026-Q3", ["2026-Q1", "2026-Q2", "2026-Q3"]) == "2026-Q2"
    assert previous("wave", "2026-Q1", ["2026-Q1"]) is None
    assert is_valid("month", "2026-12") and not is_valid("month", "2026-13") and not is_valid("week", "2026-02")


@pytest.mark.parametrize("count, n", [(0, 10), (1, 10), (5, 10), (10, 10), (3, 250), (997, 1000)])
def test_wilson_matches_the_score_test_inversion(count, n):
    """The Wilson interval is the set of p the score test does not reject: solve for it numerically."""
    z, p_hat = 1.959963984540054, count / n

    def score(p):
        return abs(p_hat - p) - z * (p * (1 - p) / n) ** 0.5

    low, high = wilson(count, n)
    inner_low, inner_high = max(p_hat - 1e-9, 1e-12), min(p_hat + 1e-9, 1 - 1e-12)  # avoid the root at p_hat in 0, 1
    expected_low = 0.0 if count == 0 else brentq(score, 1e-12, inner_low)
    expected_high = 1.0 if count == n else brentq(score, inner_high, 1 - 1e-12)
    assert low == pytest.approx(expected_low, abs=1e-7) and high == pytest.approx(expected_high, abs=1e-7)
    assert low <= p_hat <= high


@pytest.mark.parametrize("x1, n1, x0, n0", [(12, 40, 5, 45), (3, 10, 3, 10), (50, 200, 20, 180)])
def test_two_proportion_test_equals_the_chi_square_test(x1, n1, x0, n0):
    _, expected, _, _ = chi2_contingency([[x1, n1 - x1], [x0, n0 - x0]], correction=False)
    assert two_proportion_p(x1, n1, x0, n0) == pytest.approx(expected, rel=1e-9)
