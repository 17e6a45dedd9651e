"""Revision 0011: members' personal goals (encrypted), and who sees the answers to a community's own question."""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_goals_and_visibility"
down_revision: str | None = "0010_oncall"
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
    # Questions asked before this stay as they were: words, seen by the member alone.
    with op.batch_alter_table("schedules") as batch:
        batch.add_column(
            sa.Column("answer_kind", sa.String(length=8), server_default=sa.text("'text'"), nullable=False)
        )
        batch.add_column(sa.Column("visibility", sa.String(length=8), server_default=sa.text("'me'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("schedules") as batch:
        batch.drop_column("visibility")
        batch.drop_column("answer_kind")
    op.drop_table("goals")
