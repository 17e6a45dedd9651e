"""Revision 0004: accountability partners: settings, members, confidential avoid lists, rounds and groups."""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "partner_settings",
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("cadence", sa.String(length=10), server_default=sa.text("'weekly'"), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("next_round_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_partner_settings_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", name=op.f("pk_partner_settings")),
    )
    op.create_table(
        "partner_members",
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        sa.Column("cadence", sa.String(length=10), nullable=False),
        sa.Column("paused_from_pairing", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("missed_followups", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("rematch", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("joined_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("community_id", "user_id", name=op.f("pk_partner_members")),
    )
    op.create_table(
        "partner_avoid",
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("avoided_user_id", sa.BigInteger(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("community_id", "user_id", "avoided_user_id", name=op.f("pk_partner_avoid")),
    )
    op.create_table(
        "partner_rounds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", UTC_TIME, nullable=False),
        sa.Column("followup_at", UTC_TIME, nullable=False),
        sa.Column("followup_sent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_partner_rounds_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_rounds")),
        sa.UniqueConstraint("community_id", "number", name=op.f("uq_partner_rounds_community_id_number")),
    )
    op.create_table(
        "partner_groups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("manual", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["partner_rounds.id"],
            name=op.f("fk_partner_groups_round_id_partner_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_groups")),
    )
    op.create_table(
        "partner_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["partner_groups.id"],
            name=op.f("fk_partner_group_members_group_id_partner_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_partner_group_members")),
    )


def downgrade() -> None:
    for table in ("partner_group_members", "partner_groups", "partner_rounds", "partner_avoid", "partner_members"):
        op.drop_table(table)
    op.drop_table("partner_settings")
