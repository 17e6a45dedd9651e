"""Which Discord shards this process owns, which servers that makes its own, and its share of the rate budget."""

from __future__ import annotations

from dataclasses import dataclass

# Discord's rule: a server belongs to shard (server_id >> 22) % shard_count.
SHARD_SHIFT = 22


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> SHARD_SHIFT) % shard_count


def parse_shard_ids(text: str) -> frozenset[int]:
    """'0-3' or '0,2,5-7' as a set of shard ids; raise ValueError with a plain reason when malformed."""
    found: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        low, dash, high = part.partition("-")
        try:
            first = int(low)
            last = int(high) if dash else first
        except ValueError:
            raise ValueError(f"'{part}' is not a shard id or a range like 0-3") from None
        if first < 0 or last < first:
            raise ValueError(f"'{part}' is not a range of shard ids from low to high")
        found.update(range(first, last + 1))
    if not found:
        raise ValueError("names no shards; write them like 0-3 or 0,2")
    return frozenset(found)


@dataclass(frozen=True)
class ShardScope:
    """The shards this process runs: `ids` None means all of them (one process, or no sharding at all)."""

    ids: frozenset[int] | None = None
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("the shard count must be at least 1")
        if self.ids is not None and (not self.ids or max(self.ids) >= self.count):
            raise ValueError(f"shard ids must be between 0 and {self.count - 1} (the shard count less one)")

    @property
    def partial(self) -> bool:
        """Whether other processes run the rest of the shards (so work must be split)."""
        return self.ids is not None and len(self.ids) < self.count

    @property
    def owned(self) -> tuple[int, ...]:
        return tuple(sorted(self.ids)) if self.ids is not None else tuple(range(self.count))

    @property
    def share(self) -> float:
        """This process's share of the bot's global rate budget: its part of all shards. The processes
        together cover every shard once, so their shares add up to 1 (an even split by shard)."""
        return len(self.owned) / self.count

    def owns(self, guild_id: int) -> bool:
        return not self.partial or shard_of(guild_id, self.count) in self.owned

    def describe(self) -> str:
        if not self.partial:
            return f"all {self.count} shard{'s' if self.count != 1 else ''}"
        return f"shards {','.join(map(str, self.owned))} of {self.count}"


EVERYTHING = ShardScope()
