"""The three time axes of trends, and why they never overlap.

An item's time is its survey wave when the export names one, else its submission date:

- `wave`: items whose stored `period` is an explicit wave (it differs from the month of
  `submitted_at`, or there is no date). Waves sort by label, so name them to sort (`2026-Q1`).
- `week`: dated items without an explicit wave, by ISO week of `submitted_at`.
- `month`: the same items as `week`, by the month that contains the **Thursday** of their ISO
  week (the ISO rule that assigns a week to a year, applied to months). Months are therefore
  made of whole weeks, so a month is exactly the sum of its weeks.

Two consequences matter for anonymity (see `anonymity.py`): the wave view and the calendar views
never share an item, so nothing can be learnt by subtracting one from the other; and weeks nest
in months, so a week that straddles two calendar months cannot be split by subtracting monthly
from weekly figures.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

GRANULARITIES = ("wave", "month", "week")
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _week_monday(week: str) -> date | None:
    m = WEEK_RE.match(week)
    if not m:
        return None
    try:
        return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        return None


def month_of_week(week: str) -> str | None:
    """`2026-W05` -> `2026-01`: the month holding the week's Thursday."""
    monday = _week_monday(week)
    return None if monday is None else (monday + timedelta(days=3)).strftime("%Y-%m")


def view_key(granularity: str, period: str | None, month: str | None, week: str | None) -> str | None:
    """The period an item counts in for a granularity, or None if it is not on that axis."""
    explicit_wave = period is not None and (month is None or period != month)
    if granularity == "wave":
        return period if explicit_wave else None
    if explicit_wave or week is None:
        return None
    return week if granularity == "week" else month_of_week(week)


def is_valid(granularity: str, key: str) -> bool:
    if granularity == "week":
        return _week_monday(key) is not None
    if granularity == "month":
        m = MONTH_RE.match(key)
        return m is not None and 1 <= int(m.group(2)) <= 12
    return 0 < len(key) <= 32


def previous(granularity: str, key: str, waves: list[str]) -> str | None:
    """The period just before `key`: the calendar predecessor, or the previous known wave."""
    if granularity == "week":
        monday = _week_monday(key)
        if monday is None:
            return None
        year, number, _ = (monday - timedelta(days=7)).isocalendar()
        return f"{year}-W{number:02d}"
    if granularity == "month":
        m = MONTH_RE.match(key)
        if not m:
            return None
        year, month = int(m.group(1)), int(m.group(2))
        return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    earlier = [w for w in waves if w < key]
    return earlier[-1] if earlier else None


def family(granularity: str, key: str) -> str:
    """Weeks are published in month families (see weeks.py); other periods stand alone."""
    return (month_of_week(key) or key) if granularity == "week" else key
