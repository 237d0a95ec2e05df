"""places: the office gazetteer (imported, corrected, calibrated places); where each case's point comes from

Revision ID: i15_places
Revises: 0002_followup
Create Date: 2026-12-02 06:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i15_places"
down_revision = "0002_followup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(12), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("county_code", sa.String(6), nullable=False, server_default=""),
        sa.Column("town_code", sa.String(9), nullable=False, server_default=""),
        sa.Column("village_code", sa.String(12), nullable=False, server_default=""),
        sa.Column("county", sa.String(50), nullable=False, server_default=""),
        sa.Column("town", sa.String(50), nullable=False, server_default=""),
        sa.Column("village", sa.String(80), nullable=False, server_default=""),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("precision_km", sa.Float(), nullable=False, server_default="1"),
        sa.Column("boundary_wkt", sa.Text(), nullable=False, server_default=""),
        sa.Column("origin", sa.String(300), nullable=False, server_default=""),
        sa.Column("created_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
    )
    op.create_index(op.f("ix_places_level"), "places", ["level"])
    op.create_index(op.f("ix_places_source"), "places", ["source"])
    op.create_index(op.f("ix_places_county_code"), "places", ["county_code"])
    op.create_index(op.f("ix_places_village_code"), "places", ["village_code"])
    with op.batch_alter_table("cases", schema=None) as batch_op:
        # Where the case's point comes from (town_seat, register, corrected, imported, ...) and how far off it may be.
        batch_op.add_column(sa.Column("point_source", sa.String(20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("precision_km", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("precision_km")
        batch_op.drop_column("point_source")
    op.drop_index(op.f("ix_places_village_code"), table_name="places")
    op.drop_index(op.f("ix_places_county_code"), table_name="places")
    op.drop_index(op.f("ix_places_source"), table_name="places")
    op.drop_index(op.f("ix_places_level"), table_name="places")
    op.drop_table("places")
