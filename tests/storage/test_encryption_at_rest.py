"""Nothing a member writes reaches the database file (or its WAL) in plain text; keys rotate."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.storage import CheckinContent, Database
from bot.storage.models import Goal

NOW = datetime(2024, 5, 1, 20, 0, tzinfo=UTC)
CANARIES = [f"canary-note-7f3a-{i}" for i in range(5)]


def _raw(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


async def test_notes_never_reach_the_file_or_wal(db_url: str, db_path: Path, key_a: str) -> None:
    wal = db_path.with_name(db_path.name + "-wal")
    db = await Database.open(db_url, [key_a])
    for i, canary in enumerate(CANARIES):
        note = f"{canary} ünïcødé-canary-7f3a"
        checkin = CheckinContent(
            mood=2, cravings=3, halt=frozenset({"lonely"}), note=note, answers={"q": f"answer-7f3a-{i}"}
        )
        await db.checkins.save_for_day(1, 100 + i, date(2024, 5, 1), checkin, NOW)
        await db.checkins.save_for_day(1, 100 + i, date(2024, 5, 1), checkin, NOW + timedelta(minutes=1))

    # Read while the bot is still running: the fresh writes sit in the WAL, not yet checkpointed.
    wal_bytes = _raw(wal)
    # Fernet tokens start with version byte 0x80, base64 "gAAAAA": proof the rows are in the WAL.
    assert b"gAAAAA" in wal_bytes, "expected uncheckpointed check-ins in the WAL"
    for blob in (_raw(db_path), wal_bytes):
        assert b"7f3a" not in blob
        assert "ünïcødé".encode() not in blob
        assert b'"mood"' not in blob
        assert b'"note"' not in blob

    await db.close()
    for blob in (_raw(db_path), _raw(wal)):
        assert b"7f3a" not in blob

    # The rows are really there, readable with the key.
    async with await Database.open(db_url, [key_a]) as db:
        stored = await db.checkins.recent(1, 100)
        assert stored[0].content.note.startswith(CANARIES[0])


async def test_key_rotation(db_url: str, db_path: Path, key_a: str, key_b: str) -> None:
    async with await Database.open(db_url, [key_a]) as db:
        for user in range(7):
            note = f"old-key note {user}"
            checkin = CheckinContent(mood=3, cravings=0, halt=frozenset(), note=note)
            await db.checkins.save_for_day(1, user, date(2024, 5, 1), checkin, NOW)

    async with await Database.open(db_url, f"{key_b},{key_a}") as db:
        # Old rows read fine under the new key list, and new saves use the new key.
        assert (await db.checkins.recent(1, 3))[0].content.note == "old-key note 3"
        fresh = CheckinContent(mood=5, cravings=0, halt=frozenset(), note="new-key note")
        await db.checkins.save_for_day(1, 0, date(2024, 5, 2), fresh, NOW)

        assert await db.checkins.rotate_all(batch_size=3) == 7
        assert await db.checkins.rotate_all(batch_size=3) == 0

    with closing(sqlite3.connect(db_path)) as conn:
        tokens = [row[0] for row in conn.execute("SELECT content FROM checkins")]
    assert len(tokens) == 8

    async with await Database.open(db_url, [key_b]) as db:
        for user in range(7):
            [*_, oldest] = await db.checkins.recent(1, user)
            assert oldest.content.note == f"old-key note {user}"
        assert (await db.checkins.recent(1, 0))[0].content.note == "new-key note"


async def test_counter_names_and_date_labels_rotate_and_stay_out_of_the_file(
    db_url: str, db_path: Path, key_a: str, key_b: str
) -> None:
    async with await Database.open(db_url, [key_a]) as db:
        await db.days.add(1, 7, "counter-7f3a", date(2024, 1, 1), next_note_at=None, next_milestone=None, now=NOW)
        await db.dates.add(1, 7, "date-7f3a", "payday", 5, 1, None, next_note_at=None, now=NOW)
        await db.dates.add(1, None, "community-7f3a", "holiday", 12, 25, None, next_note_at=None, now=NOW)
    assert b"7f3a" not in _raw(db_path)
    async with await Database.open(db_url, f"{key_b},{key_a}") as db:
        assert await db.days.rotate_all() == 1
        assert await db.dates.rotate_all() == 2
        assert await db.days.rotate_all() == 0
        assert await db.dates.rotate_all() == 0
    async with await Database.open(db_url, [key_b]) as db:
        assert [c.name for c in await db.days.counters(1, 7)] == ["counter-7f3a"]
        assert [d.label for d in await db.dates.of_member(1, 7)] == ["date-7f3a"]
        assert [d.label for d in await db.dates.of_member(1, None)] == ["community-7f3a"]


async def test_goals_never_reach_the_file(db_url: str, db_path: Path, key_a: str) -> None:
    async with await Database.open(db_url, [key_a]) as db:
        for user in range(3):
            await db.goals.set(1, user, Goal(f"goal-canary-9c2e-{user}", "days", 2), NOW)
        for blob in (_raw(db_path), _raw(db_path.with_name(db_path.name + "-wal"))):
            assert b"9c2e" not in blob and b'"measure"' not in blob and b'"days"' not in blob


async def test_goals_rotate_with_the_keys(db_url: str, key_a: str, key_b: str) -> None:
    async with await Database.open(db_url, [key_a]) as db:
        for user in range(3):
            await db.goals.set(1, user, Goal(f"goal {user}", "days", 2), NOW)
    async with await Database.open(db_url, f"{key_b},{key_a}") as db:
        assert (await db.goals.get(1, 1)) is not None
        assert await db.goals.rotate_all() == 3
        assert await db.goals.rotate_all() == 0
    async with await Database.open(db_url, [key_b]) as db:
        stored = await db.goals.get(1, 2)
        assert stored is not None and stored.goal.words == "goal 2"
