"""Trends fixtures: the API fixtures, and a factory that stores synthetic analysed items directly.

The items are made up for these tests (no corpus text): only labels, units and periods matter,
and `redacted_text` holds a canary string that must never appear in any trends answer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from service.batches.models import Batch, Item, ItemPerson
from service.labels import SEVERITY_RANK, theme_mask
from service.storage.db import session_scope
from tests.api.conftest import client, tokens  # noqa: F401

CANARY_TEXT = "canary-text-7f3a"
CANARY_PSEUDONYM = "canary-pseudonym-9c1d"


@dataclass
class Row:
    unit: str | None
    period: str | None = None
    submitted: date | None = None
    themes: list[str] = field(default_factory=list)
    severity: str | None = "none"
    status: str = "done"
    persons: list[str] = field(default_factory=list)


def calendar(when: date) -> tuple[str, str]:
    year, week, _ = when.isocalendar()
    return f"{year}-W{week:02d}", when.strftime("%Y-%m")


def store(url: str, rows: list[Row], batch_id: str | None = None) -> str:
    """Insert one batch of items as the worker would have stored them; returns the batch id."""
    batch_id = batch_id or str(uuid.uuid4())
    with session_scope(url) as session:
        session.add(Batch(id=batch_id, status="done", content_hash=uuid.uuid4().hex, format="jsonl", total=len(rows)))
        session.flush()
        for index, row in enumerate(rows):
            week = month = None
            if row.submitted is not None:
                week, month = calendar(row.submitted)
            period = row.period if row.period is not None else month
            classified = row.status == "done"
            item = Item(
                batch_id=batch_id,
                row_index=index,
                line=index + 2,
                external_id=f"r{index}",
                status=row.status,
                unit=row.unit,
                period=period,
                week=week,
                month=month,
                source="survey",
                redacted_text=None if row.status == "error" else f"{CANARY_TEXT} <PERSON_1>",
                themes=row.themes if classified else [],
                theme_mask=theme_mask(row.themes) if classified else 0,
                severity=row.severity if classified else None,
                severity_rank=SEVERITY_RANK.get(row.severity or "") if classified else None,
                person_pseudonyms=row.persons,
            )
            session.add(item)
            session.flush()
            for person in row.persons:
                session.add(
                    ItemPerson(item_id=item.id, batch_id=batch_id, unit=row.unit, period=period, pseudonym=person)
                )
    return batch_id
