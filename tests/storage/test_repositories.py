"""Repositories: day-scoped check-ins, community scoping, concurrency, members and metadata."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import CheckinContent, Database, DecryptionError

NOW = datetime(2024, 5, 1, 20, 0, tzinfo=UTC)
DAY = date(2024, 5, 1)


def content(mood: int = 3, note: str = "", **kwargs: object) -> CheckinContent:
    return CheckinContent(mood=mood, cravings=1, halt=frozenset({"tired"}), note=note, **kwargs)  # type: ignore[arg-type]


async def test_save_creates_then_updates_the_same_day(db: Database) -> None:
    first = await db.checkins.save_for_day(1, 10, DAY, content(2, "morning"), NOW)
    assert first.created
    assert first.checkin.content.note == "morning"

    later = NOW + timedelta(hours=2)
    second = await db.checkins.save_for_day(1, 10, DAY, content(4, "evening"), later)
    assert not second.created
    assert second.checkin.id == first.checkin.id
    assert second.checkin.created_at == NOW
    assert second.checkin.updated_at == later

    assert await db.checkins.count(1, 10) == 1
    [stored] = await db.checkins.recent(1, 10)
    assert stored.content == content(4, "evening")
    assert stored.created_at == NOW
    assert stored.updated_at == later
    assert stored.created_at.tzinfo == UTC


async def test_second_save_at_the_same_instant_is_still_an_update(db: Database) -> None:
    assert (await db.checkins.save_for_day(1, 10, DAY, content(2), NOW)).created
    assert not (await db.checkins.save_for_day(1, 10, DAY, content(3), NOW)).created
    assert await db.checkins.count(1, 10) == 1


async def test_different_days_are_different_rows(db: Database) -> None:
    await db.checkins.save_for_day(1, 10, DAY, content(2), NOW)
    result = await db.checkins.save_for_day(1, 10, DAY + timedelta(days=1), content(3), NOW)
    assert result.created
    assert await db.checkins.count(1, 10) == 2
    assert await db.checkins.days(1, 10) == [DAY, DAY + timedelta(days=1)]


async def test_save_creates_the_member_and_community(db: Database) -> None:
    await db.checkins.save_for_day(7, 70, DAY, content(), NOW)
    member = await db.members.get(7, 70)
    assert member is not None
    assert member.created_at == NOW
    community = await db.communities.get(7)
    assert community is not None
    assert community.timezone == "UTC"


async def test_recent_is_newest_first_with_since_and_limit(db: Database) -> None:
    for offset in range(5):
        await db.checkins.save_for_day(1, 10, DAY + timedelta(days=offset), content(1 + offset), NOW)
    recent = await db.checkins.recent(1, 10)
    assert [c.local_date for c in recent] == [DAY + timedelta(days=o) for o in (4, 3, 2, 1, 0)]
    assert [c.content.mood for c in recent] == [5, 4, 3, 2, 1]

    since = await db.checkins.recent(1, 10, since=DAY + timedelta(days=3))
    assert [c.local_date for c in since] == [DAY + timedelta(days=4), DAY + timedelta(days=3)]
    limited = await db.checkins.recent(1, 10, limit=2)
    assert [c.local_date for c in limited] == [DAY + timedelta(days=4), DAY + timedelta(days=3)]
    assert await db.checkins.recent(1, 10, since=DAY + timedelta(days=10)) == []


async def test_get_for_day(db: Database) -> None:
    assert await db.checkins.get_for_day(1, 10, DAY) is None
    await db.checkins.save_for_day(1, 10, DAY, content(note="that day"), NOW)
    stored = await db.checkins.get_for_day(1, 10, DAY)
    assert stored is not None
    assert stored.content.note == "that day"
    assert await db.checkins.get_for_day(2, 10, DAY) is None


async def test_community_scoping(db: Database) -> None:
    # The same Discord user in two servers is two separate members with separate histories.
    await db.checkins.save_for_day(1, 10, DAY, content(1, "in community one"), NOW)
    await db.checkins.save_for_day(2, 10, DAY, content(5, "in community two"), NOW)
    await db.checkins.save_for_day(2, 10, DAY + timedelta(days=1), content(5, "again two"), NOW)

    one = await db.checkins.recent(1, 10)
    assert [c.content.note for c in one] == ["in community one"]
    assert {c.community_id for c in one} == {1}
    assert await db.checkins.count(1, 10) == 1
    assert await db.checkins.days(1, 10) == [DAY]
    assert await db.checkins.get_for_day(1, 10, DAY + timedelta(days=1)) is None

    two = await db.checkins.recent(2, 10)
    assert [c.content.note for c in two] == ["again two", "in community two"]
    assert await db.checkins.count(2, 10) == 2
    # Another member in the same community sees nothing of user 10's.
    assert await db.checkins.recent(1, 11) == []
    assert await db.checkins.count(1, 11) == 0


async def test_concurrent_saves_for_many_members_all_land(db: Database) -> None:
    results = await asyncio.gather(
        *(db.checkins.save_for_day(1, user, DAY, content(note=f"user {user}"), NOW) for user in range(20))
    )
    assert all(r.created for r in results)
    assert len({r.checkin.id for r in results}) == 20
    for user in range(20):
        [stored] = await db.checkins.recent(1, user)
        assert stored.content.note == f"user {user}"


async def test_concurrent_saves_for_one_member_and_day_make_one_row(db: Database) -> None:
    results = await asyncio.gather(
        *(db.checkins.save_for_day(1, 10, DAY, content(1 + i % 5, f"try {i}"), NOW) for i in range(10))
    )
    assert sum(r.created for r in results) == 1
    assert len({r.checkin.id for r in results}) == 1
    assert await db.checkins.count(1, 10) == 1


async def test_community_ensure_is_idempotent_and_race_safe(db: Database) -> None:
    results = await asyncio.gather(*(db.communities.ensure(5, timezone="Europe/Dublin") for _ in range(10)))
    assert {c.id for c in results} == {5}
    assert {c.created_at for c in results} == {results[0].created_at}
    again = await db.communities.ensure(5, timezone="America/Chicago")
    assert again.timezone == "Europe/Dublin"
    assert await db.communities.get(6) is None


async def test_community_set_timezone(db: Database) -> None:
    created = await db.communities.set_timezone(3, "Australia/Sydney")
    assert created.timezone == "Australia/Sydney"
    await db.communities.ensure(4)
    assert (await db.communities.set_timezone(4, "Pacific/Auckland")).timezone == "Pacific/Auckland"
    community = await db.communities.get(4)
    assert community is not None
    assert community.timezone == "Pacific/Auckland"


async def test_member_ensure_get_and_timezone(db: Database) -> None:
    member = await db.members.ensure(1, 10, now=NOW)
    assert member.timezone is None
    assert not member.privacy_notice_seen
    assert member.created_at == NOW
    assert await db.communities.get(1) is not None
    assert (await db.members.ensure(1, 10)).created_at == NOW

    assert (await db.members.set_timezone(1, 10, "Europe/London")).timezone == "Europe/London"
    fetched = await db.members.get(1, 10)
    assert fetched is not None
    assert fetched.timezone == "Europe/London"
    assert (await db.members.set_timezone(1, 10, None)).timezone is None
    assert await db.members.get(2, 10) is None


async def test_privacy_notice_is_marked_once(db: Database) -> None:
    results = await asyncio.gather(*(db.members.mark_privacy_notice_seen(1, 10, NOW) for _ in range(5)))
    assert sorted(results) == [False, False, False, False, True]
    member = await db.members.get(1, 10)
    assert member is not None
    assert member.privacy_notice_seen
    # Scoped: the same user elsewhere has not seen it yet.
    assert await db.members.mark_privacy_notice_seen(2, 10, NOW)


async def test_meta_get_and_set(db: Database) -> None:
    assert await db.meta.get("command_tree_hash") is None
    await db.meta.set("command_tree_hash", "abc")
    await db.meta.set("command_tree_hash", "def")
    assert await db.meta.get("command_tree_hash") == "def"


async def test_naive_now_is_refused(db: Database) -> None:
    with pytest.raises(Exception, match="timezone-aware"):
        await db.checkins.save_for_day(1, 10, DAY, content(), datetime(2024, 5, 1, 20, 0))
    assert await db.checkins.count(1, 10) == 0


async def test_wrong_key_gives_a_clear_error(db_url: str, key_a: str, key_b: str) -> None:
    async with await Database.open(db_url, [key_a]) as db:
        await db.checkins.save_for_day(1, 10, DAY, content(), NOW)
    async with await Database.open(db_url, [key_b]) as db:
        with pytest.raises(DecryptionError, match="could not be decrypted"):
            await db.checkins.recent(1, 10)
        # Dates and counts need no key: streaks keep working while an operator fixes the key.
        assert await db.checkins.days(1, 10) == [DAY]


async def test_open_rejects_a_bad_key_before_touching_the_file(db_url: str, db_path: Path) -> None:
    with pytest.raises(ValueError, match="not a valid key"):
        await Database.open(db_url, ["bad"])
    assert not await asyncio.to_thread(db_path.exists)
