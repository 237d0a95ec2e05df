"""follow-up: version columns for optimistic locking of edited follow-up records

Revision ID: 0002_followup
Revises: 0001
Create Date: 2026-11-26 04:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_followup"
down_revision = "0001"
branch_labels = None
depends_on = None

# Feedback is acknowledged later, rectifications and follow-ups are ticked off, outcomes are corrected:
# two officers editing the same record must not silently overwrite each other.
_TABLES = ("visit_outcomes", "feedback", "rectifications", "followups")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
