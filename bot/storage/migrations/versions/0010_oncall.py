"""Revision 0010_oncall: leaders on duty: settings, by-hand duty, the weekly rota, routed support requests."""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_oncall"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "oncall_settings",
        sa.Column("community_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("minutes", sa.Integer(), server_default=sa.text("15"), nullable=False),
        sa.PrimaryKeyConstraint("community_id", name=op.f("pk_oncall_settings")),
    )
    op.create_table(
        "oncall_duty",
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("on_duty", sa.Boolean(), nullable=False),
        sa.Column("until", UTC_TIME, nullable=True),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("community_id", "user_id", name=op.f("pk_oncall_duty")),
    )
    op.create_table(
        "oncall_rota",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("weekdays", sa.String(length=20), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oncall_rota")),
    )
    op.create_index("ix_oncall_rota_community", "oncall_rota", ["community_id"])
    op.create_table(
        "oncall_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("deadline_at", UTC_TIME, nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("taken_by", sa.BigInteger(), nullable=True),
        sa.Column("taken_at", UTC_TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oncall_requests")),
    )
    op.create_index("ix_oncall_requests_waiting", "oncall_requests", ["state", "deadline_at"])
    op.create_table(
        "oncall_pages",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("leader_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["oncall_requests.id"],
            name=op.f("fk_oncall_pages_request_id_oncall_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "leader_id", name=op.f("pk_oncall_pages")),
    )


def downgrade() -> None:
    op.drop_table("oncall_pages")
    op.drop_index("ix_oncall_requests_waiting", table_name="oncall_requests")
    op.drop_table("oncall_requests")
    op.drop_index("ix_oncall_rota_community", table_name="oncall_rota")
    op.drop_table("oncall_rota")
    op.drop_table("oncall_duty")
    op.drop_table("oncall_settings")
