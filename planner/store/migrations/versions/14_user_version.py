"""users: a version number, so that two administrators editing one account at once cannot overwrite each other

Revision ID: i14_user_version
Revises: i14_records
Create Date: 2026-12-02 07:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i14_user_version"
down_revision = "i14_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Bumped by a conditional UPDATE in update_user only (not an ORM version column): signing in, which counts
    # failed attempts on the same row, never makes an account edit fail.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("version")
