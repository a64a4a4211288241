"""change requests: a proposal to change a programme's scope, time, cost or benefits, with the baselines
it would move and what they were when asked, decided in the CIO's queue

Revision ID: d7f560f17c1e
Revises: 5ddbab4475d4
Create Date: 2026-12-04 21:57:33.504209
"""

from alembic import op
import sqlalchemy as sa
import tracker.models.types


revision = "d7f560f17c1e"
down_revision = "5ddbab4475d4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "change_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "scope",
                "time",
                "cost",
                "benefits",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("impact", sa.Text(), nullable=False),
        sa.Column("from_end_date", sa.Date(), nullable=True),
        sa.Column("proposed_end_date", sa.Date(), nullable=True),
        sa.Column("from_whole_life_baseline", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("proposed_whole_life_baseline", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("benefit_id", sa.Integer(), nullable=True),
        sa.Column("from_target_value", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("proposed_target_value", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("from_target_date", sa.Date(), nullable=True),
        sa.Column("proposed_target_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                "withdrawn",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "proposed_whole_life_baseline IS NULL OR proposed_whole_life_baseline >= 0",
            name=op.f("ck_change_request_cost_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["benefit_id"],
            ["benefit.id"],
            name=op.f("fk_change_request_benefit_id_benefit"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user.id"],
            name=op.f("fk_change_request_decided_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_change_request_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user.id"],
            name=op.f("fk_change_request_requested_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
            name=op.f("fk_change_request_updated_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_request")),
    )
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_request_benefit_id"), ["benefit_id"], unique=False)
        batch_op.create_index("ix_change_request_programme", ["programme_id", "status"], unique=False)
        batch_op.create_index("ix_change_request_status", ["status", "requested_at"], unique=False)


def downgrade():
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.drop_index("ix_change_request_status")
        batch_op.drop_index("ix_change_request_programme")
        batch_op.drop_index(batch_op.f("ix_change_request_benefit_id"))

    op.drop_table("change_request")
