"""service team capacity: service teams with their monthly change days, and the change days a milestone
lands on each

Revision ID: 6a0c4e8f2b31
Revises: 5e2b9c4d1a70
Create Date: 2026-12-05 21:30:00
"""

from alembic import op
import sqlalchemy as sa

from tracker.models.types import UTCDateTime


revision = "6a0c4e8f2b31"
down_revision = "5e2b9c4d1a70"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "service_team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("directorate", sa.String(length=120), nullable=False),
        sa.Column("monthly_capacity", sa.Numeric(precision=7, scale=1), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "monthly_capacity IS NULL OR monthly_capacity >= 0",
            name=op.f("ck_service_team_capacity_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
            name=op.f("fk_service_team_updated_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_team")),
        sa.UniqueConstraint("name", name="uq_service_team_name"),
    )
    op.create_table(
        "milestone_team_load",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("change_days", sa.Numeric(precision=7, scale=1), nullable=False),
        sa.CheckConstraint("change_days > 0", name=op.f("ck_milestone_team_load_change_days_positive")),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestone.id"],
            name=op.f("fk_milestone_team_load_milestone_id_milestone"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["service_team.id"],
            name=op.f("fk_milestone_team_load_team_id_service_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_team_load")),
        sa.UniqueConstraint("milestone_id", "team_id", name="uq_milestone_team_load"),
    )
    op.create_index("ix_milestone_team_load_team", "milestone_team_load", ["team_id", "milestone_id"])


def downgrade():
    op.drop_index("ix_milestone_team_load_team", table_name="milestone_team_load")
    op.drop_table("milestone_team_load")
    op.drop_table("service_team")
