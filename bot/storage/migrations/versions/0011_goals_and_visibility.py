"""Revision 0011: members' personal goals (encrypted), and who sees the answers to a community's own question."""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_goals_and_visibility"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "goals",
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id", "user_id"],
            ["members.community_id", "members.user_id"],
            name=op.f("fk_goals_community_id_user_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", "user_id", name=op.f("pk_goals")),
    )


def downgrade() -> None:
    op.drop_table("goals")
