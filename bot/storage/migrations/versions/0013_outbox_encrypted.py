"""Revision 0013: every outbox text is encrypted (older plain ones are still read), and rows name their member."""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_outbox_encrypted"
down_revision: str | None = "0012_member_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Migrations run without the keys, so texts waiting from before stay as they were: the outbox reads plain
    # ones as they are, and `rotate-key` encrypts any still there. They are gone within a day either way.
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("member_id", sa.BigInteger(), nullable=True))
    op.create_index("ix_outbox_member", "outbox", ["community_id", "member_id"])


def downgrade() -> None:
    # The older code reads only notes as encrypted: it would post any other waiting token as it is. Those
    # are given up instead (they cannot be decrypted here, without the keys).
    op.execute(
        "UPDATE outbox SET state = 'failed', text = '', retry_at = NULL, problem = 'downgraded' "
        "WHERE state IN ('pending', 'retrying') AND kind NOT IN ('milestone', 'hardday')"
    )
    op.drop_index("ix_outbox_member", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("member_id")
