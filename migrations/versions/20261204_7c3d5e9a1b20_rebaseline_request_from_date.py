"""re-baseline requests keep the baseline they move from

Revision ID: 7c3d5e9a1b20
Revises: 5b2e8c1d9f40
Create Date: 2026-12-04 17:00:00.000000
"""

from datetime import date

from alembic import op
import sqlalchemy as sa


revision = "7c3d5e9a1b20"
down_revision = "5b2e8c1d9f40"
branch_labels = None
depends_on = None

requests = sa.table(
    "rebaseline_request",
    sa.column("id", sa.Integer),
    sa.column("milestone_id", sa.Integer),
    sa.column("from_date", sa.Date),
    sa.column("proposed_date", sa.Date),
)
changes = sa.table(
    "milestone_change",
    sa.column("id", sa.Integer),
    sa.column("milestone_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("from_value", sa.String),
    sa.column("to_value", sa.String),
)
milestones = sa.table("milestone", sa.column("id", sa.Integer), sa.column("baseline_date", sa.Date))


def upgrade():
    with op.batch_alter_table("rebaseline_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("from_date", sa.Date(), nullable=True))
    # Each request logged its "from" in the milestone's history when it was made: pair the requests
    # with those entries in order, per milestone and proposed date. Any left over (none expected)
    # take the milestone's baseline now.
    connection = op.get_bind()
    logged: dict[tuple[int, str], list[str]] = {}
    for milestone_id, from_value, to_value in connection.execute(
        sa.select(changes.c.milestone_id, changes.c.from_value, changes.c.to_value)
        .where(changes.c.kind == "rebaseline_requested")
        .order_by(changes.c.id)
    ):
        logged.setdefault((milestone_id, to_value or ""), []).append(from_value or "")
    baselines = dict(connection.execute(sa.select(milestones.c.id, milestones.c.baseline_date)).all())
    rows = connection.execute(
        sa.select(requests.c.id, requests.c.milestone_id, requests.c.proposed_date).order_by(requests.c.id)
    ).all()
    for request_id, milestone_id, proposed in rows:
        found = logged.get((milestone_id, proposed.isoformat()), [])
        try:
            from_date = date.fromisoformat(found.pop(0)) if found else None
        except ValueError:
            from_date = None
        connection.execute(
            requests.update()
            .where(requests.c.id == request_id)
            .values(from_date=from_date or baselines.get(milestone_id))
        )


def downgrade():
    with op.batch_alter_table("rebaseline_request", schema=None) as batch_op:
        batch_op.drop_column("from_date")
