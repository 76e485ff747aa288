"""Early warning: units whose theme rate rose beyond their own history, and hotspots.

*The test* is in `detector.py`: a one-sided beta-binomial test of the last 1, 3 or 6 periods
against the unit's own earlier periods, over visible cells only.

*False-alarm rate, by design:* all tests of one run (the units and themes asked for) are
corrected together with Benjamini-Hochberg at `alpha` (default 5%): at most 5% of the alerts of
a run are expected to be false, and when nothing changed anywhere the chance that a run raises
any alert is at most 5%. Measured on simulated data with known change points (false alarms per
100 unit-periods, detection rate and delay): `eval/alerts/metrics.json`, from
`python -m eval.alerts.simulate`.

*Privacy.* Alerts read only the released (visible) cells, so they cannot reveal a suppressed
value. Hotspots count, per unit, the distinct items naming one pseudonymous person; the
pseudonym is grouped on in SQL and never selected, and a hotspot is shown only when that count
reaches `min_group_size` and the unit has at least `min_comment_group_size` respondents of its
own in the window. Hotspots count the items attached to a unit itself, not its subtree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session

from service.batches.models import Item, ItemPerson
from service.errors import UpstanderError
from service.labels import THEMES
from service.trends.aggregate import RESPONDENT_STATUSES
from service.trends.detector import benjamini_hochberg, candidates, decide, pooled_icc
from service.trends.periods import is_valid, month_of_week
from service.trends.release import Release
from service.trends.service import own_counts, select_nodes
from service.trends.stats import wilson
from service.trends.tree import ROOT
from service.units import normalise

METHOD = (
    "one-sided beta-binomial predictive test of the count over the last 1, 3 or 6 periods against the "
    "unit's own earlier periods (pooled rate; period-to-period variation from the unit's history, at least "
    "the organisation's), Benjamini-Hochberg across the units and themes asked for"
)


def _window_filter(granularity: str, keys: Sequence[str]):
    explicit_wave = or_(Item.month.is_(None), Item.period != Item.month)
    if granularity == "wave":
        return [Item.period.in_(list(keys)), explicit_wave]
    calendar = [Item.week.is_not(None), Item.period == Item.month]
    if granularity == "week":
        return [Item.week.in_(list(keys)), *calendar]
    months = set(keys)
    # A month holds the ISO weeks whose Thursday falls in it; the item's calendar month is then this
    # month or a neighbour, which narrows the scan before the exact week test below.
    near = sorted({f"{y:04d}-{m:02d}" for key in months for y, m in _neighbours(key)})
    weeks = sorted({w for w in _weeks_near(months) if month_of_week(w) in months})
    return [Item.month.in_(near), Item.week.in_(weeks), *calendar]


def _neighbours(month: str) -> list[tuple[int, int]]:
    y, m = int(month[:4]), int(month[5:7])
    return [(y - 1, 12) if m == 1 else (y, m - 1), (y, m), (y + 1, 1) if m == 12 else (y, m + 1)]


def _weeks_near(months: set[str]) -> list[str]:
    out = []
    for key in months:
        first = date(int(key[:4]), int(key[5:7]), 1)
        for offset in range(-7, 40):
            y, w, _ = (first + timedelta(days=offset)).isocalendar()
            out.append(f"{y}-W{w:02d}")
    return out


def hotspot_counts(
    session: Session, *, granularity: str, keys: Sequence[str], min_items: int
) -> list[tuple[str | None, int]]:
    """(unit, items naming one person) for every person named in >= min_items items of a unit."""
    if not keys:
        return []
    items = func.count(distinct(Item.id))
    query = (
        select(Item.unit, items)
        .join(ItemPerson, ItemPerson.item_id == Item.id)
        .where(Item.status.in_(RESPONDENT_STATUSES), *_window_filter(granularity, keys))
        .group_by(Item.unit, ItemPerson.pseudonym)
        .having(items >= min_items)
    )
    return [(row[0], int(row[1])) for row in session.execute(query)]


def _eval_index(release: Release, period: str | None) -> int | None:
    if period is None:
        return len(release.periods) - 1 if release.periods else None
    if not is_valid(release.granularity, period):
        raise UpstanderError(
            f"period {period!r} is not a {release.granularity}", code="invalid_period", http_status=422
        )
    return release.period_index(period)


def alerts(
    release: Release,
    *,
    session: Session | None,
    scopes: Iterable[str] = (),
    unit: str | None = None,
    period: str | None = None,
    alpha: float = 0.05,
    history: int = 8,
    min_history: int = 3,
) -> dict:
    """Units whose theme rate rose beyond their own history at `period` (default: the latest), and hotspots."""
    scopes = list(scopes)
    at = _eval_index(release, period)
    answer: dict = {
        "granularity": release.granularity,
        "period": None if at is None else release.periods[at],
        "method": METHOD,
        "alpha": alpha,
        "false_alarm_rate": f"Benjamini-Hochberg at {alpha:g}: at most {alpha:.0%} of raised alerts are "
        f"expected false; with no real change, P(any alert in a run) <= {alpha:g}",
        "history": history,
        "min_history": min_history,
        "tests": 0,
        "alerts": [],
        "hotspots": {"window": [], "min_items": release.min_group_size, "units": []},
    }
    if at is None:
        return answer
    nodes = select_nodes(release, scopes=scopes, unit=unit, depth=None)
    counts = release.counts[: at + 1, :, : 1 + len(THEMES)].tolist()
    hidden = release.hidden_text[: at + 1].tolist()
    series_of: dict[tuple[int, int], list] = {}
    for node in range(len(release.tree)):  # every node: the organisation-wide variation is scope-independent
        visible = [None if hidden[p][node] else counts[p][node] for p in range(at + 1)]
        for t in range(len(THEMES)):
            series_of[node, t] = [None if c is None else (c[1 + t], c[0]) for c in visible]
    floor = pooled_icc([series[:at] for series in series_of.values()])
    keys = [(node, t) for node in nodes for t in range(len(THEMES))]
    groups = [candidates(series_of[key], at, history=history, min_history=min_history, icc_floor=floor) for key in keys]
    tested = decide(groups)
    keys = [key for key, group in zip(keys, groups, strict=True) if group]
    rejected, q_values = benjamini_hochberg([p for p, _ in tested], alpha)
    answer["tests"] = len(tested)
    for (node, t), (p_value, chosen), hit, q in zip(keys, tested, rejected, q_values, strict=True):
        window, count, n, _, _, baseline, used = chosen
        if hit and count / n > baseline:
            low, high = wilson(count, n)
            answer["alerts"].append(
                {
                    "unit": release.tree.names[node],
                    "theme": THEMES[t],
                    "period": release.periods[at],
                    "count": count,
                    "respondents": n,
                    "rate": round(count / n, 6),
                    "ci_low": round(low, 6),
                    "ci_high": round(high, 6),
                    "baseline_rate": round(baseline, 6),
                    "history_periods": used,
                    "window_periods": window,
                    "p_value": p_value,
                    "q_value": round(q, 8),
                }
            )
    answer["alerts"].sort(key=lambda a: (a["q_value"], a["unit"], a["theme"]))
    if session is not None:
        answer["hotspots"] = hotspots(session, release=release, at=at, window=history + 1, nodes=nodes)
    return answer


def hotspots(session: Session, *, release: Release, at: int, window: int, nodes: list[int]) -> dict:
    """Hotspot counts over the evaluated period and the ones before it (no pseudonym ever leaves SQL)."""
    first = max(0, at - window + 1)
    keys = release.periods[first : at + 1]
    own = own_counts(release)[first : at + 1].sum(axis=0)
    allowed = set(nodes)
    units: list[dict] = []
    for unit, items in hotspot_counts(
        session, granularity=release.granularity, keys=keys, min_items=release.min_group_size
    ):
        node = release.tree.index.get(normalise(unit or "") or ROOT)
        if node is None or node not in allowed:  # outside the caller's scope or the requested subtree
            continue
        if own[node] >= release.min_comment_group_size:
            units.append({"unit": release.tree.names[node], "items": items})
    units.sort(key=lambda h: (-h["items"], h["unit"]))
    return {"window": [keys[0], keys[-1]], "min_items": release.min_group_size, "units": units}
