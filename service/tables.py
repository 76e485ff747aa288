"""Every table, imported in one place for Alembic and for `create_all` in tests."""

from service.audit.models import AuditEvent
from service.batches.models import Batch, Chunk, Item, ItemPerson
from service.evaluations.models import EvaluationJob
from service.flags.models import Flag, FlagLabel, FlagNote, WebhookDelivery
from service.storage.db import Base
from service.tokens.models import ApiToken
from service.trends.models import TREND_COVER  # noqa: F401  (covering index on items, migration 0003)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "Batch",
    "Chunk",
    "EvaluationJob",
    "Flag",
    "FlagLabel",
    "FlagNote",
    "Item",
    "ItemPerson",
    "WebhookDelivery",
]
