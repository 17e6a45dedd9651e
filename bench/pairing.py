"""Pairing benchmark: Lantern's grouping against networkx's optimal matching, run as python -m bench.pairing."""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.queues import Queue

from bot.services.pairing import Candidate, Grouping, make_groups, pair_score

# Rough share of members per UTC offset (minutes) in an English-speaking recovery community:
# mostly the Americas and Europe, with a long tail across Asia and Oceania.
OFFSET_WEIGHTS = {
    -600: 0.5, -540: 0.5, -480: 8, -420: 5, -360: 10, -300: 14, -240: 3, -210: 0.5, -180: 4,
    0: 10, 60: 14, 120: 5, 180: 3, 210: 0.5, 240: 1, 270: 0.5, 300: 1, 330: 4, 345: 0.5,
    420: 2, 480: 4, 540: 2, 570: 0.5, 600: 3, 780: 1,
}  # fmt: skip
WEEKLY_SHARE = 0.7
HISTORY_ROUNDS = 10
# "2% avoid entries": 2% of the members each put one other member on their avoid list, picked from
# their own UTC offset when possible, as those are the partners they would otherwise get.
AVOID_SHARE = 0.02
RECENT_ROUNDS = 3
REPEATS = 3

OPTIMAL_TIME_LIMIT = 60.0
# networkx keeps a few hundred bytes per edge: past this the full graph does not fit in memory,
# and the blossom algorithm would take hours on it anyway.
OPTIMAL_EDGE_LIMIT = 2_000_000
TIME_TARGET = 1.0
SCORE_TARGET = 0.99


@dataclass(frozen=True)
class Community:
    """Synthetic members with ten rounds of history and a few avoid entries."""

    candidates: list[Candidate]
    history: dict[frozenset[int], int]
    avoid: set[frozenset[int]]

    def rounds_since(self, a: int, b: int) -> int | None:
        return self.history.get(frozenset((a, b)))

    def allowed(self, a: int, b: int, allow_recent: bool = False) -> bool:
        pair = frozenset((a, b))
        if pair in self.avoid:
            return False
        rounds = self.history.get(pair)
        return allow_recent or rounds is None or rounds > RECENT_ROUNDS


@dataclass(frozen=True)
class Row:
    """One community size's figures."""

    size: int
    our_seconds: float
    our_score: float
    optimal_seconds: float | None
    optimal_score: float | None
    upper_bound: float

    @property
    def score_ratio(self) -> float:
        return self.our_score / (self.optimal_score if self.optimal_score is not None else self.upper_bound)

    @property
    def passed(self) -> bool:
        return self.our_seconds <= TIME_TARGET and self.score_ratio >= SCORE_TARGET


def synthetic_community(size: int, seed: int) -> Community:
    rng = random.Random(seed)
    offsets = rng.choices(list(OFFSET_WEIGHTS), weights=list(OFFSET_WEIGHTS.values()), k=size)
    candidates = [
        Candidate(user_id, offset, "weekly" if rng.random() < WEEKLY_SHARE else "biweekly")
        for user_id, offset in enumerate(offsets, start=1000)
    ]
    return Community(candidates, past_rounds(candidates, rng), avoid_entries(candidates, rng))


def past_rounds(candidates: Sequence[Candidate], rng: random.Random) -> dict[frozenset[int], int]:
    """Ten earlier rounds that, like real ones, mostly paired members of the same offset."""
    history: dict[frozenset[int], int] = {}
    for rounds_since in range(HISTORY_ROUNDS, 0, -1):
        ordered = sorted(candidates, key=lambda c: (c.utc_offset_minutes, rng.random()))
        groups = [ordered[i : i + 2] for i in range(0, len(ordered) - 1, 2)]
        if len(ordered) % 2:
            groups[-1].append(ordered[-1])
        for group in groups:
            for a in group:
                for b in group:
                    if a.user_id < b.user_id:
                        history[frozenset((a.user_id, b.user_id))] = rounds_since
    return history


def avoid_entries(candidates: Sequence[Candidate], rng: random.Random) -> set[frozenset[int]]:
    by_offset: dict[int, list[int]] = {}
    for c in candidates:
        by_offset.setdefault(c.utc_offset_minutes, []).append(c.user_id)
    avoid: set[frozenset[int]] = set()
    for member in rng.sample(list(candidates), round(AVOID_SHARE * len(candidates))):
        near = [u for u in by_offset[member.utc_offset_minutes] if u != member.user_id]
        pool = near or [c.user_id for c in candidates if c.user_id != member.user_id]
        if pool:
            avoid.add(frozenset((member.user_id, rng.choice(pool))))
    return avoid


def time_ours(community: Community, seed: int) -> tuple[float, Grouping]:
    timings = []
    grouping = None
    for _ in range(REPEATS):
        start = time.perf_counter()
        grouping = make_groups(
            community.candidates, community.history, community.avoid, seed=seed, recent_rounds=RECENT_ROUNDS
        )
        timings.append(time.perf_counter() - start)
    assert grouping is not None
    return statistics.median(timings), grouping


def allowed_edges(community: Community) -> Iterator[tuple[int, int, float]]:
    """Every pair our pairing may form without repeating a recent one, with its score."""
    members = community.candidates
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            if community.allowed(a.user_id, b.user_id):
                yield a.user_id, b.user_id, pair_score(a, b, community.rounds_since(a.user_id, b.user_id))


def optimal_total(community: Community, matching: set[tuple[int, int]]) -> float:
    """A matching's total, with a leftover member attached the way make_groups attaches it."""
    by_id = {c.user_id: c for c in community.candidates}

    def score(a: int, b: int) -> float:
        return pair_score(by_id[a], by_id[b], community.rounds_since(a, b))

    total = sum(score(a, b) for a, b in matching)
    matched = {m for pair in matching for m in pair}
    leftovers = [c.user_id for c in community.candidates if c.user_id not in matched]
    for allow_recent in (False, True):
        gains = [
            score(x, a) + score(x, b)
            for x in leftovers
            for a, b in matching
            if community.allowed(x, a, allow_recent) and community.allowed(x, b, allow_recent)
        ]
        if gains:
            return total + max(gains)
    return total


def _optimal_worker(community: Community, results: Queue[tuple[float, float]]) -> None:
    import networkx as nx

    graph = nx.Graph()
    graph.add_weighted_edges_from(allowed_edges(community))
    start = time.perf_counter()
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    seconds = time.perf_counter() - start
    results.put((seconds, optimal_total(community, matching)))


def time_optimal(community: Community, limit: float) -> tuple[float, float] | None:
    """networkx's optimal blossom matching on the full graph of allowed pairs; None past `limit` seconds."""
    size = len(community.candidates)
    if size * (size - 1) // 2 > OPTIMAL_EDGE_LIMIT:
        return None
    context = multiprocessing.get_context("fork")
    results: Queue[tuple[float, float]] = context.Queue()
    worker = context.Process(target=_optimal_worker, args=(community, results))
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        worker.terminate()
        worker.join()
        return None
    return results.get()


def upper_bound(community: Community) -> float:
    """No grouping scores more: each pair scores at most the mean of its members' best possible pairs.

    So the total is at most half the sum of every member's best allowed pair score, plus half the
    best three of them for the trio's members, who sit in two pairs each.
    """
    related: dict[int, set[int]] = {c.user_id: {c.user_id} for c in community.candidates}
    for pair in [*community.history, *community.avoid]:
        a, b = pair
        related[a].add(b)
        related[b].add(a)
    kinds: dict[tuple[int, str], list[Candidate]] = {}
    for c in community.candidates:
        kinds.setdefault((c.utc_offset_minutes, c.cadence), []).append(c)
    kind_of = {c.user_id: (c.utc_offset_minutes, c.cadence) for c in community.candidates}
    bests = [_best_pair_score(c, kinds, related[c.user_id], kind_of, community) for c in community.candidates]
    trio = sorted(bests)[-3:] if len(bests) % 2 else []
    return (sum(bests) + sum(trio)) / 2


def _best_pair_score(
    member: Candidate,
    kinds: dict[tuple[int, str], list[Candidate]],
    related: set[int],
    kind_of: dict[int, tuple[int, str]],
    community: Community,
) -> float:
    related_per_kind = Counter(kind_of[u] for u in related if u in kind_of)
    ranked = sorted(kinds.values(), key=lambda group: -pair_score(member, group[0]))
    best = 0.0
    for group in ranked:
        fresh = pair_score(member, group[0])
        if fresh <= best:
            break
        kind = (group[0].utc_offset_minutes, group[0].cadence)
        if len(group) > related_per_kind[kind]:
            return fresh
        for other in group:
            if other.user_id != member.user_id and community.allowed(member.user_id, other.user_id):
                rounds = community.rounds_since(member.user_id, other.user_id)
                best = max(best, pair_score(member, other, rounds))
    return best


def measure(size: int, seed: int, optimal_limit: float) -> Row:
    community = synthetic_community(size, seed)
    our_seconds, grouping = time_ours(community, seed)
    optimal = time_optimal(community, optimal_limit)
    return Row(
        size=size,
        our_seconds=our_seconds,
        our_score=grouping.total_score,
        optimal_seconds=None if optimal is None else optimal[0],
        optimal_score=None if optimal is None else optimal[1],
        upper_bound=upper_bound(community),
    )


def table(rows: Sequence[Row], optimal_limit: float) -> str:
    unavailable = f"n/a (exceeds {'a minute' if optimal_limit == 60 else f'{optimal_limit:g} s'})"
    lines = [
        "| n | ours (s) | our score | networkx (s) | networkx score | score ratio | time ratio (nx/ours) "
        "| ours / upper bound | result |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|:---|",
    ]
    for row in rows:
        if row.optimal_seconds is not None and row.optimal_score is not None:
            optimal = f"{row.optimal_seconds:.3f} | {row.optimal_score:.2f} | {row.score_ratio:.4f}"
            time_ratio = f"{row.optimal_seconds / row.our_seconds:.0f}x"
        else:
            optimal, time_ratio = f"{unavailable} | {unavailable} | n/a", "n/a"
        lines.append(
            f"| {row.size} | {row.our_seconds:.3f} | {row.our_score:.2f} | {optimal} | {time_ratio} "
            f"| {row.our_score / row.upper_bound:.4f} | {'PASS' if row.passed else 'FAIL'} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated community sizes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--optimal-seconds", type=float, default=OPTIMAL_TIME_LIMIT, help="time allowed to networkx per size"
    )
    args = parser.parse_args(argv)
    rows = [measure(int(size), args.seed, args.optimal_seconds) for size in args.sizes.split(",")]
    print(table(rows, args.optimal_seconds))
    print()
    print(
        f"Targets: at most {TIME_TARGET:.0f} s per grouping (median of {REPEATS}); a score at least "
        f"{SCORE_TARGET} of networkx's optimum, or of the upper bound where networkx is not available."
    )
    print(
        "networkx runs on the full graph of allowed pairs, and is not tried past "
        f"{OPTIMAL_EDGE_LIMIT:,} pairs (hours of work); the upper bound holds for every grouping."
    )
    passed = all(row.passed for row in rows)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
