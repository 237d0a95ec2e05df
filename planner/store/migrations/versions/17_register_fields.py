"""register fields: every register column kept on its case (extra fields), and how its category was set

Revision ID: i17_register_fields
Revises: 0002_followup
Create Date: 2026-12-02 06:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i17_register_fields"
down_revision = "0002_followup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        # Columns of the office's register that no field takes (备注, 承办人 ...): header -> text, in column order.
        batch_op.add_column(sa.Column("extra_fields", sa.JSON(), nullable=True))
        # "" from the register's own column, "inferred" from the text, "corrected" by a person.
        batch_op.add_column(sa.Column("category_source", sa.String(20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("category_reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("category_confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("category_confidence")
        batch_op.drop_column("category_reason")
        batch_op.drop_column("category_source")
        batch_op.drop_column("extra_fields")
