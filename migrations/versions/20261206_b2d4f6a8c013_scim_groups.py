"""scim groups: the groups the directory's provisioning service pushes, and their members, from which
roles follow

Revision ID: b2d4f6a8c013
Revises: 9d3f1b7c5e20
Create Date: 2026-12-06 02:00:00
"""

from alembic import op
import sqlalchemy as sa

from tracker.models.types import UTCDateTime


revision = "b2d4f6a8c013"
down_revision = "9d3f1b7c5e20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scim_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_group")),
        sa.UniqueConstraint("external_id", name=op.f("uq_scim_group_external_id")),
    )
    op.create_table(
        "scim_group_member",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["scim_group.id"],
            name=op.f("fk_scim_group_member_group_id_scim_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_scim_group_member_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_scim_group_member")),
    )
    op.create_index(op.f("ix_scim_group_member_user_id"), "scim_group_member", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_scim_group_member_user_id"), table_name="scim_group_member")
    op.drop_table("scim_group_member")
    op.drop_table("scim_group")
