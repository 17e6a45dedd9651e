"""Revision 0009: private day counters and their milestones, and hard dates (a member's and a community's)."""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_days_and_dates"
down_revision: str | None = "0011_goals_and_visibility"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "day_counters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.LargeBinary(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_note_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_milestone", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id", "user_id"],
            ["members.community_id", "members.user_id"],
            name=op.f("fk_day_counters_community_id_user_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_day_counters")),
    )
    op.create_index("ix_day_counters_member", "day_counters", ["community_id", "user_id"])
    op.create_index("ix_day_counters_next_note_at", "day_counters", ["next_note_at"])
    op.create_table(
        "day_milestones",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("milestone", sa.String(length=8), nullable=False),
        sa.Column("noted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["counter_id"],
            ["day_counters.id"],
            name=op.f("fk_day_milestones_counter_id_day_counters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_day_milestones")),
        sa.UniqueConstraint("counter_id", "milestone", name=op.f("uq_day_milestones_counter_id_milestone")),
    )
    op.create_table(
        "hard_dates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("label", sa.LargeBinary(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_note_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_hard_dates_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hard_dates")),
    )
    op.create_index("ix_hard_dates_member", "hard_dates", ["community_id", "user_id"])
    op.create_index("ix_hard_dates_next_note_at", "hard_dates", ["next_note_at"])


def downgrade() -> None:
    op.drop_index("ix_hard_dates_next_note_at", table_name="hard_dates")
    op.drop_index("ix_hard_dates_member", table_name="hard_dates")
    op.drop_table("hard_dates")
    op.drop_table("day_milestones")
    op.drop_index("ix_day_counters_next_note_at", table_name="day_counters")
    op.drop_index("ix_day_counters_member", table_name="day_counters")
    op.drop_table("day_counters")
