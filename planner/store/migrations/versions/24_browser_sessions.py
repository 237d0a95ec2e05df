"""browser sessions: a sign-in survives a page reload (only a hash of the cookie's token is stored)

Revision ID: i24_browser_sessions
Revises: 0002_followup
Create Date: 2026-12-03 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i24_browser_sessions"
down_revision = "0002_followup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "browser_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_browser_sessions_username", "browser_sessions", ["username"])


def downgrade() -> None:
    op.drop_index("ix_browser_sessions_username", table_name="browser_sessions")
    op.drop_table("browser_sessions")
