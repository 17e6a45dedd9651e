"""Revision 0012: the language of a member's Discord, last seen, so DMs and prompts can speak it."""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_member_language"
down_revision: str | None = "0008_leases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("language")
