"""returns whole-life cost five-point confidence unknown money categories

Revision ID: 41ff01943b1a
Revises: 36ae117a58eb
Create Date: 2026-12-03 13:22:31.325290
"""

from alembic import op
import sqlalchemy as sa
import tracker.models.types


revision = "41ff01943b1a"
down_revision = "36ae117a58eb"
branch_labels = None
depends_on = None


OLD_CONFIDENCE = ("green", "amber", "red")
NEW_CONFIDENCE = ("green", "amber_green", "amber", "amber_red", "red")


def _confidence(values):
    return sa.Enum(*values, name="confidence", native_enum=False, create_constraint=True, length=32)


def _set_confidence_values(old, new):
    """The programme's confidence moves between the three-colour and the IPA's five-point scale."""
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.alter_column(
            "confidence", existing_type=_confidence(old), type_=_confidence(new), existing_nullable=True
        )


def upgrade():
    _set_confidence_values(OLD_CONFIDENCE, NEW_CONFIDENCE)
    op.create_table(
        "programme_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("as_at", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=20), server_default="form", nullable=False),
        sa.Column("note", sa.String(length=200), server_default="", nullable=False),
        sa.Column(
            "confidence",
            sa.Enum(
                "green",
                "amber_green",
                "amber",
                "amber_red",
                "red",
                name="return_confidence",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "confidence_source",
            sa.Enum(
                "self_assessment",
                "assurance_review",
                "gateway_review",
                name="return_confidence_source",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("whole_life_baseline", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("whole_life_forecast", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("financial_year", sa.Integer(), nullable=True),
        sa.Column("year_budget", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("year_forecast", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("recorded_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_return_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user.id"],
            name=op.f("fk_programme_return_recorded_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_return")),
        sa.UniqueConstraint("programme_id", "as_at", name=op.f("uq_programme_return_programme_id_as_at")),
    )
    with op.batch_alter_table("programme_return", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_return_programme_id"), ["programme_id"], unique=False)

    with op.batch_alter_table("investment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "category",
                sa.Enum(
                    "technology",
                    "business_change",
                    "other",
                    name="category",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="technology",
                nullable=False,
            )
        )
        batch_op.alter_column(
            "requested",
            existing_type=sa.NUMERIC(precision=14, scale=2),
            nullable=True,
            server_default=None,
            existing_server_default=sa.text("'0'"),
        )
        batch_op.alter_column(
            "approved",
            existing_type=sa.NUMERIC(precision=14, scale=2),
            nullable=True,
            server_default=None,
            existing_server_default=sa.text("'0'"),
        )
        batch_op.alter_column(
            "forecast",
            existing_type=sa.NUMERIC(precision=14, scale=2),
            nullable=True,
            server_default=None,
            existing_server_default=sa.text("'0'"),
        )
        batch_op.alter_column(
            "actual",
            existing_type=sa.NUMERIC(precision=14, scale=2),
            nullable=True,
            server_default=None,
            existing_server_default=sa.text("'0'"),
        )

    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "confidence_source",
                sa.Enum(
                    "self_assessment",
                    "assurance_review",
                    "gateway_review",
                    name="confidence_source",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("confidence_assessed_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("whole_life_baseline", sa.Numeric(precision=14, scale=2), nullable=True)
        )
        batch_op.add_column(
            sa.Column("whole_life_forecast", sa.Numeric(precision=14, scale=2), nullable=True)
        )
        batch_op.add_column(sa.Column("external_reference", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_programme_external_reference"), ["external_reference"], unique=False
        )

    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_external_reference"))
        batch_op.drop_column("external_reference")
        batch_op.drop_column("whole_life_forecast")
        batch_op.drop_column("whole_life_baseline")
        batch_op.drop_column("confidence_assessed_on")
        batch_op.drop_constraint(op.f("ck_programme_confidence_source"), type_="check")
        batch_op.drop_column("confidence_source")

    op.execute(
        "UPDATE investment SET requested = COALESCE(requested, 0), approved = COALESCE(approved, 0), "
        "forecast = COALESCE(forecast, 0), actual = COALESCE(actual, 0)"
    )
    with op.batch_alter_table("investment", schema=None) as batch_op:
        batch_op.alter_column(
            "actual", existing_type=sa.NUMERIC(precision=14, scale=2), nullable=False, server_default="0"
        )
        batch_op.alter_column(
            "forecast", existing_type=sa.NUMERIC(precision=14, scale=2), nullable=False, server_default="0"
        )
        batch_op.alter_column(
            "approved", existing_type=sa.NUMERIC(precision=14, scale=2), nullable=False, server_default="0"
        )
        batch_op.alter_column(
            "requested", existing_type=sa.NUMERIC(precision=14, scale=2), nullable=False, server_default="0"
        )
        batch_op.drop_constraint(op.f("ck_investment_category"), type_="check")
        batch_op.drop_column("category")

    with op.batch_alter_table("programme_return", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_return_programme_id"))

    op.drop_table("programme_return")
    # Unknown amounts become zero again and the five-point ratings their worse colour.
    op.execute("UPDATE programme SET confidence = 'amber' WHERE confidence = 'amber_green'")
    op.execute("UPDATE programme SET confidence = 'red' WHERE confidence = 'amber_red'")
    _set_confidence_values(NEW_CONFIDENCE, OLD_CONFIDENCE)
