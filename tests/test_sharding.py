"""Shard ranges and scopes: which servers a process owns, and its share of the rate budget."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings
from bot.sharding import ShardScope, parse_shard_ids, shard_of


def test_ranges_and_lists_of_shard_ids_are_read() -> None:
    assert parse_shard_ids("0-3") == {0, 1, 2, 3}
    assert parse_shard_ids("0,2, 5-6") == {0, 2, 5, 6}
    assert parse_shard_ids("4") == {4}


@pytest.mark.parametrize("text", ["", ",", "a", "3-1", "-1", "1-x", "0--2"])
def test_malformed_shard_ids_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ValueError, match=r"shard|range"):
        parse_shard_ids(text)


def test_a_server_belongs_to_the_shard_of_its_id_as_discord_computes_it() -> None:
    guild_id = 175928847299117063  # Discord's own example: created 2016-04-30, worker 1, process 0, #7
    assert shard_of(guild_id, 8) == (guild_id >> 22) % 8
    scope = ShardScope(frozenset({shard_of(guild_id, 8)}), 8)
    assert scope.owns(guild_id)
    assert not ShardScope(frozenset({(shard_of(guild_id, 8) + 1) % 8}), 8).owns(guild_id)


def test_shares_of_processes_covering_every_shard_add_up_to_one() -> None:
    first, second = ShardScope(frozenset(range(4)), 8), ShardScope(frozenset(range(4, 8)), 8)
    assert first.share + second.share == 1.0
    assert ShardScope(frozenset({0}), 3).share == pytest.approx(1 / 3)
    whole = ShardScope(None, 8)
    assert whole.share == 1.0 and not whole.partial and whole.owns(12345)
    assert not ShardScope(frozenset(range(8)), 8).partial


def test_shards_past_the_count_are_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 7"):
        ShardScope(frozenset({8}), 8)


def test_settings_give_the_scope_and_say_what_is_wrong_plainly() -> None:
    settings = load_settings(None, LANTERN_SHARDS="0-3", LANTERN_SHARD_COUNT="8")
    assert settings.shard_scope() == ShardScope(frozenset(range(4)), 8)
    assert load_settings(None).shard_scope() == ShardScope(None, 1)
    with pytest.raises(ConfigError, match="LANTERN_SHARDS needs LANTERN_SHARD_COUNT"):
        load_settings(None, LANTERN_SHARDS="0-3").shard_scope()
    with pytest.raises(ConfigError, match="LANTERN_SHARDS shard ids must be between 0 and 1"):
        load_settings(None, LANTERN_SHARDS="0-3", LANTERN_SHARD_COUNT="2").shard_scope()
    with pytest.raises(ConfigError, match=r"^LANTERN_SHARDS .*range"):
        load_settings(None, LANTERN_SHARDS="3-1", LANTERN_SHARD_COUNT="8")
    with pytest.raises(ConfigError, match=r"^LANTERN_SHARD_COUNT must be a whole number$"):
        load_settings(None, LANTERN_SHARD_COUNT="eight")
