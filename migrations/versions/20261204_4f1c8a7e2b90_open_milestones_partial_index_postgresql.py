"""open milestones by baseline date, a partial index on PostgreSQL

Revision ID: 4f1c8a7e2b90
Revises: 9e4b7a2c6d13
Create Date: 2026-12-04 18:20:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = "4f1c8a7e2b90"
down_revision = "9e4b7a2c6d13"
branch_labels = None
depends_on = None

OPEN_CONDITION = "status NOT IN ('complete', 'cancelled') AND actual_date IS NULL"


def upgrade():
    # PostgreSQL only: SQLite cannot use it (its queries bind the statuses as parameters).
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_milestone_open_baseline_pg",
            "milestone",
            ["programme_id", "baseline_date"],
            postgresql_where=sa.text(OPEN_CONDITION),
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_milestone_open_baseline_pg", table_name="milestone")
