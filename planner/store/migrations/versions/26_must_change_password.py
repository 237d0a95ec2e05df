"""users: a password set by an administrator (a new account's 初始密码, a reset) must be changed at the next sign-in

Revision ID: i26_must_change_password
Revises: i14_user_version
Create Date: 2026-12-04 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i26_must_change_password"
down_revision = "i14_user_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing accounts keep their passwords as they are: only passwords set from now on are marked.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
