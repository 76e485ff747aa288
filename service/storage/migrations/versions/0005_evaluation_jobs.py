"""evaluation jobs

Large researcher evaluations run as Celery jobs when a broker is set (service/evaluations/jobs.py):
their status and report live here, their labelled input only sealed and only until the job ends.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 01:00:00
"""

import sqlalchemy as sa
from alembic import op

from service.storage.db import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("group_cols", sa.JSON(), nullable=False),
        sa.Column("n_boot", sa.Integer(), nullable=False),
        sa.Column("sealed_input", sa.LargeBinary(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error_code", sa.String(length=40), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("lease_expires_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evaluation_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_jobs_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evaluation_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_jobs_status"))
    op.drop_table("evaluation_jobs")
