"""Revision 0005: retention, "tell a leader if I go quiet", members who left, and the leaders' audit log."""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("communities") as batch:
        batch.add_column(sa.Column("retention_days", sa.Integer(), server_default=sa.text("365"), nullable=False))
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("quiet_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("left_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_community", "audit_log", ["community_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_community", table_name="audit_log")
    op.drop_table("audit_log")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("left_at")
        batch.drop_column("quiet_days")
    with op.batch_alter_table("communities") as batch:
        batch.drop_column("retention_days")
