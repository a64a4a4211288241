"""prioritised pipeline: scores of ideas and business cases on the council's criteria, and saved scenarios

Revision ID: 8c2e4a6b0d53
Revises: 6a0c4e8f2b31
Create Date: 2026-12-05 21:45:00
"""

from alembic import op
import sqlalchemy as sa

from tracker.models.types import UTCDateTime


revision = "8c2e4a6b0d53"
down_revision = "6a0c4e8f2b31"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pipeline_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("score BETWEEN 0 AND 5", name=op.f("ck_pipeline_score_score_range")),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_pipeline_score_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
            name=op.f("fk_pipeline_score_updated_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipeline_score")),
        sa.UniqueConstraint("programme_id", "criterion", name="uq_pipeline_score_programme_criterion"),
    )
    op.create_table(
        "pipeline_scenario",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("financial_year", sa.Integer(), nullable=False),
        sa.Column("envelope", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.Column("saved_at", UTCDateTime(), nullable=False),
        sa.Column("chosen", sa.Boolean(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "financial_year BETWEEN 1990 AND 2100", name=op.f("ck_pipeline_scenario_financial_year_range")
        ),
        sa.ForeignKeyConstraint(
            ["saved_by_id"],
            ["user.id"],
            name=op.f("fk_pipeline_scenario_saved_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipeline_scenario")),
    )
    op.create_table(
        "pipeline_scenario_programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_pipeline_scenario_programme_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["pipeline_scenario.id"],
            name=op.f("fk_pipeline_scenario_programme_scenario_id_pipeline_scenario"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipeline_scenario_programme")),
        sa.UniqueConstraint("scenario_id", "programme_id", name="uq_pipeline_scenario_programme"),
    )


def downgrade():
    op.drop_table("pipeline_scenario_programme")
    op.drop_table("pipeline_scenario")
    op.drop_table("pipeline_score")
