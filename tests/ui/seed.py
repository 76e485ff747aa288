"""What the page tests see: flags (stored through the real storage path, labels set by hand), unit
trends with cells big enough to show and cells that must be suppressed, and one token per role.

The texts are made up for these tests; one carries markup to prove the page renders it inert.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from service.batches.models import Batch, Item
from service.flags.models import Flag
from service.settings import Settings
from service.storage.db import session_scope
from service.store import store_items
from service.tokens.service import create_token
from tests.flags.conftest import make_item
from tests.trends.conftest import CANARY_TEXT, Row, store

XSS = '<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2">'
FLAGS = {
    "triage": dict(severity="critical", themes=("physical_violence",), urgent=True, reasons=("violence",)),
    "race": dict(severity="critical", themes=("intimidation",), urgent=True, reasons=("violence",)),
    "xss": dict(severity="high", themes=("verbal_abuse",), text=f"<PERSON_1> wrote {XSS} and kept threatening me"),
    "filter": dict(severity="high", themes=("exclusion",), unit="acme/ops"),
    "keyboard": dict(severity="high", themes=("humiliation",), age_minutes=5),
}
PERIODS = ["2026-09", "2026-10", "2026-11"]


def trend_rows() -> list[Row]:
    """acme/sales and acme/ops big enough to show; acme/hr too small in every period (suppressed)."""
    rows = []
    for i, period in enumerate(PERIODS):
        for n in range(30):
            rows.append(
                Row(
                    "acme/sales",
                    period,
                    themes=["verbal_abuse"] if n < 4 + 4 * i else [],
                    severity="moderate" if n < 4 + 4 * i else "none",
                )
            )
        for n in range(20):
            rows.append(
                Row("acme/ops", period, themes=["exclusion"] if n < 5 else [], severity="low" if n < 5 else "none")
            )
        for _ in range(3):
            rows.append(Row("acme/hr", period, themes=["verbal_abuse"], severity="moderate"))
    return rows


def seed(settings: Settings) -> dict:
    """Store everything; returns tokens by name and flag ids by the keys of FLAGS."""
    url = settings.sqlalchemy_url
    store(url, trend_rows())
    batch_id = str(uuid.uuid4())
    with session_scope(url) as session:
        session.add(Batch(id=batch_id, content_hash=uuid.uuid4().hex, format="jsonl", status="done", total=len(FLAGS)))
        session.flush()
        items = []
        for index, (key, spec) in enumerate(FLAGS.items()):
            item = make_item(batch_id, index, **spec)
            item.external_id = key
            item.evidence = [XSS, "threatening me"] if key == "xss" else ["threatening me"]
            items.append(item)
        store_items(session, items=items, settings=settings)
    tokens = {}
    with session_scope(url) as session:
        for name, role in [
            ("reviewer-1", "reviewer"),
            ("reviewer-2", "reviewer"),
            ("analyst", "analyst"),
            ("researcher", "researcher"),
        ]:
            tokens[name] = create_token(session, name=name, role=role)[1]
        rows = session.execute(select(Flag.id, Item.external_id).join(Item, Item.id == Flag.item_id)).all()
    return {"tokens": tokens, "flags": {external: flag_id for flag_id, external in rows}, "canary": CANARY_TEXT}
