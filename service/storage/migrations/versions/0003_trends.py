"""trends covering index

One covering index so that trend aggregation reads the index only (see service/trends/models.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 23:30:00
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = ["unit", "period", "month", "week", "status", "theme_mask", "severity_rank"]


def upgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.create_index("ix_items_trend_cover", COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index("ix_items_trend_cover")
