"""Revision 0008_leases: leases for work that runs once across processes, and re-planning asked of another process."""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_leases"
down_revision: str | None = "0009_days_and_dates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=128), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )
    op.create_table(
        "replan_requests",
        sa.Column("community_id", sa.BigInteger(), nullable=False),
        sa.Column("kinds", sa.String(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("community_id", name=op.f("pk_replan_requests")),
    )


def downgrade() -> None:
    op.drop_table("replan_requests")
    op.drop_table("leases")
