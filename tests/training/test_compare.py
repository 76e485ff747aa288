"""training.compare: the equal-miss bar, and a smoke run on the shipped model."""

import numpy as np
import pytest

from training import compare

# Four urgent items (severity 4), four clean ones (severity 0) and one high (3), by their P(critical).
CRITICAL = np.array([0.9, 0.5, 0.2, 0.1, 0.95, 0.3, 0.05, 0.0, 0.6])
SEVERITY = np.array([4, 4, 4, 4, 0, 0, 0, 0, 3])


@pytest.mark.parametrize(
    ("alone", "k", "bar", "missed", "per_1000", "false_items", "clean_items"),
    [
        ([], 0, 0.1, 0, 500.0, 3, 2),  # every urgent item caught: two clean items and the high one above 0.1
        ([], 1, 0.2, 1, 500.0, 3, 2),
        ([], 2, 0.5, 2, 250.0, 2, 1),  # only the clean 0.95 and the high 0.6 are left above the bar
        ([], 3, 0.9, 3, 250.0, 1, 1),  # the high item falls under the bar, the clean 0.95 does not
        ([3], 0, 0.2, 0, 500.0, 3, 2),  # the lowest urgent item stands alone: the bar need not reach it
        ([6], 2, 0.5, 2, 500.0, 3, 2),  # a clean item whose phrase stands alone is urgent whatever the bar
    ],
)
def test_equal_misses_takes_the_highest_bar_missing_at_most_k(
    alone, k, bar, missed, per_1000, false_items, clean_items
):
    stands = np.isin(np.arange(len(CRITICAL)), alone)
    got = compare.at_equal_misses(CRITICAL, stands, SEVERITY, [k])[str(k)]
    assert got == {
        "bar": bar,
        "missed": missed,
        "false_urgent_per_1000_clean": per_1000,
        "false_urgent_items": false_items,
        "clean_items_urgent": clean_items,
    }


def test_subsets_since_gives_each_interval_its_own_items():
    ids = ["a", "b", "c", "d", "e"]
    at = {"c1": {"a", "b"}, "c2": {"a", "b", "c"}, "c3": {"a", "b", "c", "d"}}
    got = compare.subsets_since(ids, ["c1", "c2", "c3"], at)
    assert {k: [i for i, m in zip(ids, v, strict=True) if m] for k, v in got.items()} == {
        "before": ["a", "b"],
        "c1..c2": ["c"],
        "c2..c3": ["d"],
        "added": ["e"],
    }
    one = compare.subsets_since(ids, ["c2"], at)
    assert set(one) == {"before", "added"} and one["added"].sum() == 2


@pytest.mark.slow
def test_compare_smoke_on_the_shipped_model():
    out = compare.compare(
        [compare.REPO_ROOT / "models"], name="upstander-clf", since=["HEAD"], misses=[0, 2], limit=60, by_source=True
    )
    (figures,) = out["models"].values()
    assert figures["version"].startswith("upstander-clf-")
    assert figures["all"]["items"] == figures["before"]["items"] == 60
    assert "added" not in figures  # nothing was added to validation since HEAD
    assert figures["survey"]["items"] + figures.get("report", {"items": 0})["items"] == 60
    assert 0.0 <= figures["all"]["macro_f1"] <= 1.0
    assert set(figures["all"]["equal_misses"]) == {"0", "2"}
    assert figures["all"]["high_made_urgent"] is None or 0.0 <= figures["all"]["high_made_urgent"] <= 1.0
    assert len(compare.table(out).splitlines()) == 2 + len(figures) - 1  # a line per subset ("version" is none)


@pytest.mark.slow
def test_compare_reads_the_test_split_when_asked():
    out = compare.compare(
        [compare.REPO_ROOT / "models"], name="upstander-clf", since=["HEAD"], misses=[0], limit=40, split="test"
    )
    (figures,) = out["models"].values()
    assert out["split"] == "test"
    # every item read is a test item at HEAD: had validation been read, none would be
    assert figures["before"]["items"] == 40 and "added" not in figures


def test_figures_count_high_items_made_urgent():
    y_sev = np.array([4, 4, 3, 3, 3, 3, 0, 0])
    urgent = np.array([True, True, True, False, False, False, True, False])
    y_theme = np.zeros((8, 12), dtype=int)
    got = compare.figures(y_theme, y_sev, y_theme, y_sev, urgent, urgent.astype(float), np.zeros(8, bool), [0])
    assert got["high_made_urgent"] == 0.25  # one of the four high items


def test_table_quotes_the_equal_miss_counts_and_their_sum():
    y_sev = np.array([4, 4, 4, 0, 0, 0, 3])
    critical = np.array([0.9, 0.4, 0.2, 0.95, 0.5, 0.1, 0.3])
    urgent = critical >= 0.3
    y_theme = np.zeros((7, 12), dtype=int)
    f = compare.figures(y_theme, y_sev, y_theme, y_sev, urgent, critical, np.zeros(7, bool), [0, 1])
    out = {"split": "validation", "models": {"models": {"version": "upstander-clf-x", "all": f, "survey": f}}}
    lines = compare.table(out).splitlines()
    assert lines[:2] == ["split: validation", "models (upstander-clf-x)"]
    assert len(lines) == 4 and lines[2].lstrip().startswith("all") and lines[3].lstrip().startswith("survey")
    # k=0 needs the bar at 0.2: clean 0.95 and 0.5 pass (2); k=1 lifts it to 0.4: the same two (2)
    assert "clean items urgent at 0 / 1 missed: 2 / 2 (4)" in lines[2]
    assert "(1 missed)" in lines[2]  # urgent at 0.3 misses the 0.2 item
