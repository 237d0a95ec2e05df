"""clarifications: 已撤回 — who withdrew an issued 澄清函, when and why (its 不实 ground was corrected away)

Revision ID: i29_clarification_withdrawn
Revises: i28_report_partly
Create Date: 2026-12-06 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i29_clarification_withdrawn"
down_revision = "i28_report_partly"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every letter issued before stands: none was withdrawn.
    with op.batch_alter_table("clarifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_by", sa.String(length=100), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("withdrawn_reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("clarifications", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_reason")
        batch_op.drop_column("withdrawn_by")
        batch_op.drop_column("withdrawn_at")
