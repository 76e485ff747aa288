"""Reviewers' label corrections, exported in the training corpus format (training/data/*.jsonl).

The text exported is the item's redacted text: the model trains on redacted text anyway, and raw
text was never stored. When a flag was labelled more than once, the latest correction wins.
The export reads item text, so it writes an audit event.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.audit.models import record
from service.batches.models import Item
from service.flags.models import FlagLabel


def export(session: Session, out: TextIO, *, since: datetime | None = None) -> int:
    latest = select(func.max(FlagLabel.id)).group_by(FlagLabel.item_id)
    query = (
        select(FlagLabel, Item)
        .join(Item, Item.id == FlagLabel.item_id)
        .where(FlagLabel.id.in_(latest))
        .order_by(FlagLabel.id)
    )
    if since is not None:
        query = query.where(FlagLabel.created_at >= since)
    count = 0
    for label, item in session.execute(query):
        if not item.redacted_text:
            continue  # an item that failed before redaction has no text to learn from
        row = {
            "id": f"feedback-{item.id}",
            "source": item.source or "survey",
            "text": item.redacted_text,
            "themes": label.themes,
            "severity": label.severity,
            "urgent_reasons": label.urgent_reasons,
        }
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    record(
        session,
        action="feedback.export",
        object_type="flag_labels",
        object_id="all",
        actor_role="cli",
        detail={"count": count, "since": since.isoformat() if since else None},
    )
    return count
