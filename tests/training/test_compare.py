"""training.compare: the equal-miss bar, and a smoke run on the shipped model."""

import numpy as np
import pytest

from training import compare

# Four urgent items (severity 4) and four clean ones (severity 0), by their P(critical).
CRITICAL = np.array([0.9, 0.5, 0.2, 0.1, 0.95, 0.3, 0.05, 0.0])
SEVERITY = np.array([4, 4, 4, 4, 0, 0, 0, 0])


@pytest.mark.parametrize(
    ("alone", "k", "bar", "missed", "per_1000"),
    [
        ([], 0, 0.1, 0, 500.0),  # every urgent item caught: two clean items above 0.1
        ([], 1, 0.2, 1, 500.0),
        ([], 2, 0.5, 2, 250.0),  # only the clean 0.95 is left above the bar
        ([3], 0, 0.2, 0, 500.0),  # the lowest urgent item stands alone: the bar need not reach it
        ([6], 2, 0.5, 2, 500.0),  # a clean item whose phrase stands alone is urgent whatever the bar
    ],
)
def test_equal_misses_takes_the_highest_bar_missing_at_most_k(alone, k, bar, missed, per_1000):
    stands = np.isin(np.arange(len(CRITICAL)), alone)
    got = compare.at_equal_misses(CRITICAL, stands, SEVERITY, [k])[str(k)]
    assert got == {"bar": bar, "missed": missed, "false_urgent_per_1000_clean": per_1000}


@pytest.mark.slow
def test_compare_smoke_on_the_shipped_model():
    out = compare.compare([compare.REPO_ROOT / "models"], name="upstander-clf", since="HEAD", misses=[0, 2], limit=60)
    (figures,) = out["models"].values()
    assert figures["version"].startswith("upstander-clf-")
    assert figures["all"]["items"] == figures["before"]["items"] == 60
    assert "added" not in figures  # nothing was added to validation since HEAD
    assert 0.0 <= figures["all"]["macro_f1"] <= 1.0
    assert set(figures["all"]["equal_misses"]) == {"0", "2"}
