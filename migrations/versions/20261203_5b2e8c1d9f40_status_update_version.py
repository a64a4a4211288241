"""status update version, and who last changed it and when

Revision ID: 5b2e8c1d9f40
Revises: aaff0e76cc4d
Create Date: 2026-12-03 17:20:00.000000
"""

from alembic import op
import sqlalchemy as sa
import tracker.models.types


revision = "5b2e8c1d9f40"
down_revision = "aaff0e76cc4d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("status_update", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(
            sa.Column("updated_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("updated_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_status_update_updated_by_id_user"),
            "user",
            ["updated_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Existing updates were last changed when written, by whoever wrote them.
    op.execute("UPDATE status_update SET updated_at = COALESCE(submitted_at, created_at)")
    with op.batch_alter_table("status_update", schema=None) as batch_op:
        batch_op.alter_column(
            "updated_at", existing_type=tracker.models.types.UTCDateTime(timezone=True), nullable=False
        )


def downgrade():
    with op.batch_alter_table("status_update", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_status_update_updated_by_id_user"), type_="foreignkey")
        batch_op.drop_column("updated_by_id")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("version")
