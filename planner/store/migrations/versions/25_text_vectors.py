"""text vectors: each letter text's meaning vector, encoded once (planner.analysis.semantic)

Revision ID: i18_text_vectors
Revises: 0002_followup
Create Date: 2026-12-03 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i18_text_vectors"
down_revision = "0002_followup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "text_vectors",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("text_vectors")
