"""Revision 0002: community setup, member settings, check-in schedules and the delivery ledger."""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("communities") as batch:
        batch.add_column(sa.Column("checkin_channel_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("alert_channel_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("leader_role_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("region", sa.String(length=8), server_default=sa.text("'US'"), nullable=False))
        batch.add_column(sa.Column("setup_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("dm_prompts", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("reminders", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("paused_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("dm_channel_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("unreachable_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("weekdays", sa.String(length=20), nullable=False),
        sa.Column("local_time", sa.String(length=5), nullable=False),
        sa.Column("destination", sa.String(length=8), nullable=False),
        sa.Column("reminder_minutes", sa.Integer(), nullable=True),
        sa.Column("daily_thread", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("question", sa.String(length=100), nullable=True),
        sa.Column("paused", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("pause_reason", sa.Text(), nullable=True),
        sa.Column("grace_minutes", sa.Integer(), server_default=sa.text("120"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_schedules_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
        sa.UniqueConstraint("community_id", "name", name=op.f("uq_schedules_community_id_name")),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("occurrence", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("nonce", sa.String(length=25), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedules.id"],
            name=op.f("fk_deliveries_schedule_id_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint(
            "schedule_id",
            "user_id",
            "occurrence",
            "kind",
            name=op.f("uq_deliveries_schedule_id_user_id_occurrence_kind"),
        ),
    )
    op.create_index("ix_deliveries_member", "deliveries", ["community_id", "user_id"])
    op.create_index("ix_deliveries_state", "deliveries", ["state", "scheduled_at"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_state", table_name="deliveries")
    op.drop_index("ix_deliveries_member", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_table("schedules")
    with op.batch_alter_table("members") as batch:
        for column in ("unreachable_at", "dm_channel_id", "paused_until", "reminders", "dm_prompts"):
            batch.drop_column(column)
    with op.batch_alter_table("communities") as batch:
        for column in ("setup_at", "region", "leader_role_id", "alert_channel_id", "checkin_channel_id"):
            batch.drop_column(column)
