"""canonical units and token expiry

Unit paths are compared byte for byte now (service/units.py): existing rows are folded to the
canonical lower case once, so a scope written `acme/sales` matches rows stored as `ACME/Sales`.
Tokens gain an optional expiry.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 19:00:00
"""

import sqlalchemy as sa
from alembic import op

from service.storage.db import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UNIT_TABLES = ("items", "flags", "item_persons")


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", UTCDateTime(timezone=True), nullable=True))
    for table in UNIT_TABLES:
        op.execute(f"UPDATE {table} SET unit = lower(unit) WHERE unit IS NOT NULL AND unit <> lower(unit)")


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
