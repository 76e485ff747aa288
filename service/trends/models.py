"""The index trends read through (migration 0003): one covering index over the items table.

`stored_atoms` groups by (unit, period, month, week) and reads status, theme_mask and
severity_rank; with all of them in one index both SQLite and PostgreSQL answer from the index
alone, in index order, without touching the wide item rows (redacted text, scores).
"""

from __future__ import annotations

from sqlalchemy import Index

from service.batches.models import Item

TREND_COVER = Index(
    "ix_items_trend_cover",
    Item.unit,
    Item.period,
    Item.month,
    Item.week,
    Item.status,
    Item.theme_mask,
    Item.severity_rank,
)
