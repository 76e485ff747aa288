"""The store stage: analysed items, their person index and the flags they open, in one transaction.

Items belong to the batches domain and flags to the flags domain; storing is the step that joins
them (architecture.md: store, then the flag queue), so it sits above both. The worker calls it
for each chunk, `POST /v1/analyze` for its one item.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from service.batches.models import Batch, Item, ItemPerson
from service.batches.service import item_from_outcome
from service.flags.models import Flag
from service.flags.service import open_flags
from service.keyed import row_ref
from service.settings import Settings


def store_items(session: Session, *, items: list[Item], settings: Settings) -> list[Flag]:
    """Store analysed items with their person index and flags, in the caller's transaction;
    returns the flags opened."""
    session.add_all(items)
    session.flush()
    session.add_all(
        ItemPerson(item_id=item.id, batch_id=item.batch_id, unit=item.unit, period=item.period, pseudonym=pseudonym)
        for item in items
        for pseudonym in sorted(set(item.person_pseudonyms or []))
    )
    return open_flags(session, items, webhook=bool(settings.webhook_url))


def store_single(session: Session, *, outcome, created_by: int | None, settings: Settings) -> tuple[str, int | None]:
    """Keep a synchronously analysed item as a finished batch of one, so it can be flagged;
    returns the batch id and the id of the flag it opened, if any."""
    batch = Batch(
        id=str(uuid.uuid4()),
        content_hash=f"single-{uuid.uuid4().hex}",
        format="api",
        status="done",
        total=1,
        processed=1,
        needs_review=int(outcome.status == "needs_review"),
        model_version=outcome.record.get("model_version"),
        created_by=created_by,
    )
    session.add(batch)
    session.flush()
    item = item_from_outcome(batch.id, 0, outcome)
    item.external_id = row_ref(settings, batch.id, outcome.row.id) if outcome.row.id else None
    flags = store_items(session, items=[item], settings=settings)
    return batch.id, (flags[0].id if flags else None)
