"""Revision 0007: deliveries remember their retries; an outbox for alerts and partner messages, retried too."""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch.add_column(sa.Column("reserved_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("give_up_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("problem", sa.String(length=20), nullable=True))
    op.create_index("ix_deliveries_retry", "deliveries", ["state", "retry_at"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("nonce", sa.String(length=25), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("give_up_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("problem", sa.String(length=20), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index("ix_outbox_retry", "outbox", ["state", "retry_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_retry", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_deliveries_retry", table_name="deliveries")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("problem")
        batch.drop_column("give_up_at")
        batch.drop_column("retry_at")
        batch.drop_column("reserved_at")
        batch.drop_column("attempts")
