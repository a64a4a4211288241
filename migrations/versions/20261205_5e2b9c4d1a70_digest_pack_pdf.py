"""digest pack pdf: a CIO may have the board pack attached to their weekly digest

Revision ID: 5e2b9c4d1a70
Revises: 3c8d1f5a7b20
Create Date: 2026-12-05 02:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = "5e2b9c4d1a70"
down_revision = "3c8d1f5a7b20"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: no table rebuild, so SQLite's cascades never fire.
    op.add_column("user", sa.Column("digest_pack_pdf", sa.Boolean(), server_default="0", nullable=False))


def downgrade():
    op.drop_column("user", "digest_pack_pdf")
