"""milestone dependencies: a milestone that waits for a milestone of another programme, and the date it
is needed by

Revision ID: 7b1d3f5a9c42
Revises: 8c2e4a6b0d53
Create Date: 2026-12-05 22:00:00
"""

from alembic import op
import sqlalchemy as sa

from tracker.models.types import UTCDateTime


revision = "7b1d3f5a9c42"
down_revision = "8c2e4a6b0d53"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "milestone_dependency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("depends_on_id", sa.Integer(), nullable=False),
        sa.Column("needed_by", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("milestone_id <> depends_on_id", name=op.f("ck_milestone_dependency_not_itself")),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestone.id"],
            name=op.f("fk_milestone_dependency_milestone_id_milestone"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["depends_on_id"],
            ["milestone.id"],
            name=op.f("fk_milestone_dependency_depends_on_id_milestone"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
            name=op.f("fk_milestone_dependency_updated_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_dependency")),
        sa.UniqueConstraint("milestone_id", "depends_on_id", name="uq_milestone_dependency"),
    )
    op.create_index("ix_milestone_dependency_depends_on", "milestone_dependency", ["depends_on_id"])


def downgrade():
    op.drop_index("ix_milestone_dependency_depends_on", table_name="milestone_dependency")
    op.drop_table("milestone_dependency")
