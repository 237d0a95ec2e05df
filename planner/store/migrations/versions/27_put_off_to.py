"""visit_outcomes: the day a 改期 (visit put off) was agreed for, when the officer has one (改到哪天)

Revision ID: i27_put_off_to
Revises: 0002_followup
Create Date: 2026-12-05 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i27_put_off_to"
down_revision = "0002_followup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Earlier 改期 records have none: the new day was written in the reason, if at all.
    with op.batch_alter_table("visit_outcomes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("put_off_to", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visit_outcomes", schema=None) as batch_op:
        batch_op.drop_column("put_off_to")
