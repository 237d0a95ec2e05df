"""records: history of corrections for every typed record, visit type and version on outcomes and clarifications,
plan statuses in the office's words

Revision ID: i14_records
Revises: 0002_followup
Create Date: 2026-12-02 06:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i14_records"
down_revision = "0002_followup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Who changed which field of which record, when (outcomes, feedback, clarifications, rectifications, plans).
    op.create_table(
        "record_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("who", sa.String(length=100), nullable=False, server_default=""),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_record_history_case_id_cases", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_record_history"),
    )
    op.create_index("ix_record_history_kind_record", "record_history", ["kind", "record_id"])
    op.create_index("ix_record_history_case_id", "record_history", ["case_id"])
    with op.batch_alter_table("visit_outcomes", schema=None) as batch_op:
        # 本次为回访 belongs to the record, so a form reloads it with the record instead of guessing.
        batch_op.add_column(sa.Column("visit_type", sa.String(length=20), nullable=False,
                                      server_default="investigation"))
        batch_op.create_index("ix_visit_outcomes_visit_key", ["case_id", "visit_date", "team_id"])
    with op.batch_alter_table("clarifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    # The plan statuses the office uses: 草稿 -> 已下发 -> 执行中 -> 已完成 ("approved" becomes "issued").
    op.execute("UPDATE plans SET status = 'issued' WHERE status = 'approved'")


def downgrade() -> None:
    op.execute("UPDATE plans SET status = 'approved' WHERE status = 'issued'")
    with op.batch_alter_table("clarifications", schema=None) as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("visit_outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_outcomes_visit_key")
        batch_op.drop_column("visit_type")
    op.drop_index("ix_record_history_case_id", table_name="record_history")
    op.drop_index("ix_record_history_kind_record", table_name="record_history")
    op.drop_table("record_history")
