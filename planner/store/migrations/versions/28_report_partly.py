"""visit_outcomes: 反映问题 部分属实 (a finding between 属实 and 不实), kept beside report_true (True for it)

Revision ID: i28_report_partly
Revises: i27_put_off_to
Create Date: 2026-12-05 10:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i28_report_partly"
down_revision = "i27_put_off_to"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Earlier records found a report true or untrue as a whole: none of them is 部分属实.
    with op.batch_alter_table("visit_outcomes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report_partly", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("visit_outcomes", schema=None) as batch_op:
        batch_op.drop_column("report_partly")
