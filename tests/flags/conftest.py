"""Flag fixtures: items stored through the real storage path (`store_items`, which opens flags),
with labels set by hand. The classifier is not under test here, so it is not run."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from service.batches.models import Batch, Item
from service.labels import SEVERITY_RANK, theme_mask
from service.storage.db import session_scope, utcnow
from service.store import store_items
from service.tokens.service import create_token
from tests.api.conftest import client, tokens  # noqa: F401  (shared API fixtures)


def make_item(
    batch_id: str,
    index: int,
    *,
    severity: str = "high",
    themes=("intimidation",),
    urgent: bool = False,
    reasons=(),
    unit: str | None = "acme/sales",
    status: str = "done",
    text: str | None = None,
    age_minutes: float = 0,
    source: str = "survey",
) -> Item:
    themes = list(themes) if severity != "none" else []
    return Item(
        batch_id=batch_id,
        row_index=index,
        line=index + 2,
        external_id=f"r{index}",
        status=status,
        unit=unit,
        period="2026-11",
        source=source,
        redacted_text=text or f"<PERSON_1> kept threatening me in front of the team (row {index})",
        themes=themes,
        theme_mask=theme_mask(themes),
        scores={t: 0.9 for t in themes},
        severity=severity,
        severity_rank=SEVERITY_RANK[severity],
        urgent=urgent,
        urgent_reasons=list(reasons),
        evidence=["threatening me"],
        model_version="test-model",
        created_at=utcnow() - timedelta(minutes=age_minutes),
    )


@pytest.fixture
def store(settings):
    """store(specs) -> batch id: each spec is a dict of make_item keyword arguments."""

    def _store(specs: list[dict], settings_override=None) -> str:
        s = settings_override or settings
        batch_id = str(uuid.uuid4())
        with session_scope(s.sqlalchemy_url) as session:
            session.add(
                Batch(
                    id=batch_id,
                    content_hash=uuid.uuid4().hex,
                    format="jsonl",
                    status="done",
                    total=len(specs),
                    processed=len(specs),
                )
            )
            session.flush()
            items = [make_item(batch_id, i, **spec) for i, spec in enumerate(specs)]
            store_items(session, items=items, settings=s)
        return batch_id

    return _store


@pytest.fixture
def scoped_reviewers(settings) -> dict[str, tuple[int, str]]:
    """Reviewers limited to a unit subtree: name -> (token id, token)."""
    out = {}
    with session_scope(settings.sqlalchemy_url) as session:
        for name, units in (("sales", ["acme/sales"]), ("hr", ["acme/hr"]), ("sales2", ["acme/sales"])):
            row, token = create_token(session, name=f"reviewer-{name}", role="reviewer", units=units)
            out[name] = (row.id, token)
    return out
