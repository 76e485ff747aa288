"""Threshold and complementary suppression, attacked by exact linear algebra.

Table-driven cases pin the rules down; property tests draw random unit trees, items on all three
time axes and thresholds, then check that nothing small can be recovered from everything the
three granularities publish together, and that every filter combination the API allows returns
only cells of that release (so any number of queries reveals no more than the release).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import service.trends.release as release_module
from service.labels import THEMES
from service.trends import service
from service.trends.aggregate import MEASURES, Atom
from service.trends.anonymity import suppress
from service.trends.periods import GRANULARITIES
from service.trends.release import build_release
from service.trends.tree import build_tree
from tests.trends.oracle import recoverable_small_cells, release_facts, small_remainders

WEEK_DAYS = [date(2026, 1, 19) + timedelta(days=d) for d in range(42)]  # six ISO weeks over Jan/Feb/Mar


def atom(unit, n, period=None, when=None, theme_count=0):
    week = month = None
    if when is not None:
        year, number, _ = when.isocalendar()
        week, month = f"{year}-W{number:02d}", when.strftime("%Y-%m")
    counts = [0] * len(MEASURES)
    counts[0], counts[1] = n, theme_count
    counts[-1] = n
    return Atom(unit, period if period is not None else month, month, week, tuple(counts))


def table(units_n: dict[str, int], threshold: int = 5) -> dict[str, bool]:
    """Hidden flags of one table given each unit's own respondents."""
    tree = build_tree(units_n)
    own = [0] * len(tree)
    for unit, n in units_n.items():
        own[tree.node_of(unit)] += n
    total = list(own)
    for node in tree.bottom_up:
        if node:
            total[tree.parent[node]] += total[node]
    return dict(zip(tree.names, suppress(tree, total, own, threshold), strict=True))


@pytest.mark.parametrize(
    "units, hidden",
    [
        ({"a/x": 3, "a/y": 17}, {"a/x", "a/y"}),  # a small child takes its sibling with it
        ({"a/x": 30, "a/y": 17}, set()),  # nothing small: nothing hidden
        ({"a": 2, "a/x": 10, "a/y": 12}, {"a/x"}),  # the parent's own 2 items: hide the smaller child
        ({"a/x": 2, "a/y": 2, "a/z": 20}, {"a/x", "a/y", "a/z"}),  # x+y=4 is itself too small a group
        ({"a/x": 0, "a/y": 8, "a/z": 9}, set()),  # empty cells describe nobody
        ({"a/x/p": 3, "a/x/q": 9, "a/y": 40}, {"a/x/p", "a/x/q"}),
    ],
)
def test_table_cases(units, hidden):
    flags = table(units)
    assert {u for u, h in flags.items() if h and u not in ("*",)} - {"a"} == hidden


def test_the_root_total_is_given_up_first():
    """Items without a unit (3) would follow from '*' minus 'acme': the total goes, not the company."""
    flags = table({"acme/x": 10, "acme/y": 12, None: 3})
    assert flags["*"] and not flags["acme"] and not flags["acme/x"]


def test_the_attacker_finds_leaks_in_a_naive_release(monkeypatch):
    """The oracle can fail: with threshold-only suppression it recovers the small cell."""
    atoms = [atom("a/x", 3, "w1"), atom("a/y", 17, "w1")]
    monkeypatch.setattr(
        release_module, "suppress", lambda tree, n, own, threshold, hidden=None: [0 < v < threshold for v in n]
    )
    releases = {g: build_release(atoms, g, min_group_size=5, min_comment_group_size=10) for g in GRANULARITIES}
    assert ("wave", "w1", "a/x", 3) in recoverable_small_cells(atoms, releases, release_facts(releases), 5)


def test_weeks_cannot_be_subtracted_from_their_month():
    """A unit visible monthly with one small week: its weeks are hidden as a whole."""
    atoms = [
        atom("a/x", 2, when=date(2026, 2, 2)),
        atom("a/x", 10, when=date(2026, 2, 9)),
        atom("a/x", 9, when=date(2026, 2, 16)),
        atom("a/y", 30, when=date(2026, 2, 9)),
    ]
    releases = {g: build_release(atoms, g, min_group_size=5, min_comment_group_size=10) for g in GRANULARITIES}
    month, week = releases["month"], releases["week"]
    x = month.tree.index["a/x"]
    assert not month.hidden_count[0, x] and week.hidden_count[:, x].all()
    assert recoverable_small_cells(atoms, releases, release_facts(releases), 5) == []


units_strategy = st.lists(st.tuples(st.integers(0, 30), st.sampled_from("pqrs")), min_size=0, max_size=9)


@st.composite
def organisations(draw):
    units = ["a"]
    for parent, name in draw(units_strategy):
        units.append(units[parent % len(units)] + "/" + name)
    units = sorted(set(units))
    atoms = []
    for _ in range(draw(st.integers(1, 22))):
        unit = draw(st.sampled_from([*units, None]))
        n = draw(st.sampled_from([1, 1, 2, 3, 4, 5, 6, 8, 11, 15, 30]))
        theme = draw(st.integers(0, n))
        if draw(st.booleans()):
            atoms.append(atom(unit, n, period=draw(st.sampled_from(["w1", "w2", "w3"])), theme_count=theme))
        else:
            wave = draw(st.sampled_from([None, None, "w2"]))  # some dated items also name a wave
            atoms.append(atom(unit, n, period=wave, when=draw(st.sampled_from(WEEK_DAYS)), theme_count=theme))
    k = draw(st.sampled_from([2, 3, 5]))
    return atoms, k, draw(st.sampled_from([k, k + 3, 10]))


def releases_of(atoms, k, kc):
    return {g: build_release(atoms, g, min_group_size=k, min_comment_group_size=kc) for g in GRANULARITIES}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_nothing_small_is_recoverable_from_all_granularities_together(org):
    atoms, k, kc = org
    releases = releases_of(atoms, k, kc)
    for release in releases.values():
        assert (release.hidden_text >= release.hidden_count).all()
    assert recoverable_small_cells(atoms, releases, release_facts(releases), k) == []
    assert recoverable_small_cells(atoms, releases, release_facts(releases, text=True), max(k, kc)) == []
    assert small_remainders(releases) == [] and small_remainders(releases, text=True) == []


@st.composite
def queries(draw, release):
    names = [n for n in release.tree.names if n != "*"]
    scopes = draw(st.lists(st.sampled_from(names), max_size=2)) if names and draw(st.booleans()) else []
    allowed = [
        n
        for n in release.tree.names
        if n != "*" and (not scopes or any(n == s or n.startswith(s + "/") for s in scopes))
    ]
    unit = draw(st.sampled_from([None, *allowed])) if allowed else None
    periods = release.periods
    bound = st.sampled_from([None, *periods]) if periods else st.none()
    start, end = draw(bound), draw(bound)
    if start and end and start > end:
        start, end = end, start
    themes = draw(st.sampled_from([None, [THEMES[0]], list(THEMES[:3])]))
    return dict(
        scopes=scopes,
        unit=unit,
        period_from=start,
        period_to=end,
        themes=themes,
        depth=draw(st.sampled_from([None, 0, 1, 2])),
        last=draw(st.integers(1, 4)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(org=organisations(), data=st.data())
def test_every_api_filter_combination_returns_only_release_cells(org, data):
    """Attack with the API's own filters: the union of many answers is checked like the release."""
    atoms, k, kc = org
    releases = releases_of(atoms, k, kc)
    seen: list[tuple[str, str, str]] = []
    for _ in range(6):
        g = data.draw(st.sampled_from(GRANULARITIES))
        release = releases[g]
        query = data.draw(queries(release))
        answer = service.trends(release, **query)
        for entry in answer["units"]:
            node = release.tree.index[entry["unit"]]
            if query["scopes"]:
                assert entry["unit"] != "*" and any(
                    entry["unit"] == s or entry["unit"].startswith(s + "/") for s in query["scopes"]
                )
            for cell in entry["cells"]:
                p = release.period_index(cell["period"])
                counted = cell["respondents"]
                assert ("count" in counted) == (not release.hidden_count[p, node])
                if "count" in counted:
                    assert counted["count"] == release.counts[p, node, 0]
                    seen.append((g, cell["period"], entry["unit"]))
                for theme, value in cell["themes"].items():
                    assert ("count" in value) == (not release.hidden_text[p, node])
                    if "count" in value:
                        assert value["count"] == release.counts[p, node, 1 + THEMES.index(theme)]
                    else:
                        assert value == {"suppressed": True}
    assert recoverable_small_cells(atoms, releases, seen, k) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_regions_too_large_to_solve_are_merged_upwards_safely(org):
    """With a tiny solver budget every week region is merged up; the release must stay safe."""
    atoms, k, kc = org
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("service.trends.weeks.MAX_CLASSES", 2)
        releases = releases_of(atoms, k, kc)
    assert recoverable_small_cells(atoms, releases, release_facts(releases), k) == []
    assert small_remainders(releases) == []
