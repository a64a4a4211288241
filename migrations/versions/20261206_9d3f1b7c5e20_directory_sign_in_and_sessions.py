"""directory sign-in and sessions: a person's directory identity and where their role came from, one row
per signed-in device, every sign-in attempt, and the provisioning service's bearer tokens

Revision ID: 9d3f1b7c5e20
Revises: 7b1d3f5a9c42
Create Date: 2026-12-06 01:00:00
"""

from alembic import op
import sqlalchemy as sa

from tracker.models.types import UTCDateTime


revision = "9d3f1b7c5e20"
down_revision = "7b1d3f5a9c42"
branch_labels = None
depends_on = None

METHODS = ("password", "oidc", "break_glass")
RESULTS = ("signed_in", "failed", "throttled", "refused")
ROLE_SOURCES = ("local", "directory", "default", "provisioning")


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("oidc_issuer", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("oidc_subject", sa.String(length=255), nullable=True))
        batch_op.add_column(
            sa.Column(
                "role_source", _enum(ROLE_SOURCES, "role_source"), server_default="local", nullable=False
            )
        )
        batch_op.add_column(sa.Column("scim_external_id", sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint("uq_user_oidc_identity", ["oidc_issuer", "oidc_subject"])
        batch_op.create_unique_constraint(op.f("uq_user_scim_external_id"), ["scim_external_id"])

    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("method", _enum(METHODS, "sign_in_method"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("address", sa.String(length=64), server_default="", nullable=False),
        sa.Column("user_agent", sa.String(length=300), server_default="", nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("ended_reason", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_user_session_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_user_session_secret_hash")),
    )
    op.create_index("ix_user_session_user_ended", "user_session", ["user_id", "ended_at"])

    op.create_table(
        "sign_in_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), server_default="", nullable=False),
        sa.Column("method", _enum(METHODS, "sign_in_method"), nullable=False),
        sa.Column("result", _enum(RESULTS, "sign_in_result"), nullable=False),
        sa.Column("reason", sa.String(length=300), server_default="", nullable=False),
        sa.Column("address", sa.String(length=64), server_default="", nullable=False),
        sa.Column("user_agent", sa.String(length=300), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_sign_in_event_user_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_event")),
    )
    op.create_index("ix_sign_in_event_at", "sign_in_event", ["at"])
    op.create_index(op.f("ix_sign_in_event_user_id"), "sign_in_event", ["user_id"])

    op.create_table(
        "scim_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_scim_token_created_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_scim_token_token_hash")),
    )


def downgrade():
    op.drop_table("scim_token")
    op.drop_index(op.f("ix_sign_in_event_user_id"), table_name="sign_in_event")
    op.drop_index("ix_sign_in_event_at", table_name="sign_in_event")
    op.drop_table("sign_in_event")
    op.drop_index("ix_user_session_user_ended", table_name="user_session")
    op.drop_table("user_session")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_user_scim_external_id"), type_="unique")
        batch_op.drop_constraint("uq_user_oidc_identity", type_="unique")
        batch_op.drop_constraint(op.f("ck_user_role_source"), type_="check")
        batch_op.drop_column("scim_external_id")
        batch_op.drop_column("role_source")
        batch_op.drop_column("oidc_subject")
        batch_op.drop_column("oidc_issuer")
