"""milestones across the portfolio: open milestones by baseline date

Revision ID: 9e4b7a2c6d13
Revises: 7c3d5e9a1b20
Create Date: 2026-12-04 17:40:00.000000
"""

from alembic import op


revision = "9e4b7a2c6d13"
down_revision = "7c3d5e9a1b20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(
            "ix_milestone_open_by_baseline",
            ["baseline_date", "actual_date", "status", "programme_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index("ix_milestone_open_by_baseline")
