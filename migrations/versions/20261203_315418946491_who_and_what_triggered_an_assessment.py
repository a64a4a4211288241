"""who and what triggered an assessment

Revision ID: 315418946491
Revises: 41ff01943b1a
Create Date: 2026-12-03 13:34:02.669234
"""

from alembic import op
import sqlalchemy as sa


revision = "315418946491"
down_revision = "41ff01943b1a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trigger", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("triggered_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_risk_assessment_triggered_by_id_user"),
            "user",
            ["triggered_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Until now only the scan wrote assessments.
    op.execute("UPDATE risk_assessment SET \"trigger\" = 'scan'")


def downgrade():
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_risk_assessment_triggered_by_id_user"), type_="foreignkey")
        batch_op.drop_column("triggered_by_id")
        batch_op.drop_column("trigger")
