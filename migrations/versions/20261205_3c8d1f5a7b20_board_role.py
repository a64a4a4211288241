"""board role: a board member, to whom the CIO delegates decisions on requests and gates

Revision ID: 3c8d1f5a7b20
Revises: 6957bead2d45
Create Date: 2026-12-05 01:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "3c8d1f5a7b20"
down_revision = "6957bead2d45"
branch_labels = None
depends_on = None

OLD_ROLES = ("admin", "cio", "programme_manager", "viewer")
NEW_ROLES = ("admin", "cio", "board", "programme_manager", "viewer")


def _role(values):
    return sa.Enum(*values, name="role", native_enum=False, create_constraint=True, length=32)


def _set_roles(old, new):
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.alter_column("role", existing_type=_role(old), type_=_role(new), existing_nullable=False)


def upgrade():
    _set_roles(OLD_ROLES, NEW_ROLES)


def downgrade():
    # Board members become viewers again: they keep reading, and decide nothing.
    op.execute("UPDATE \"user\" SET role = 'viewer' WHERE role = 'board'")
    _set_roles(NEW_ROLES, OLD_ROLES)
