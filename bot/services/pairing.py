"""Accountability-partner rounds: group members in pairs (and one trio) for the best total score."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, combinations, pairwise

CADENCES = frozenset({"weekly", "biweekly"})

MINUTES_PER_DAY = 24 * 60
# Everyone is taken to be awake 08:00-22:00 local time. Both members share the same local window, so
# only its length matters for how much of it two UTC offsets have in common.
WAKING_MINUTES = (22 - 8) * 60
REPEAT_DECAY = 0.5
SAME_CADENCE_BONUS = 0.25
BEST_SCORE = 1.0 + 1.0 + SAME_CADENCE_BONUS

# Up to this many members, every allowed pair is a candidate; above it, each member gets a few
# partners from its own kind and the nearest kinds, which is where the best pairs are anyway.
FULL_GRAPH_LIMIT = 400
SAME_KIND_NEIGHBOURS = 4
NEAR_KINDS = 3
# Bound the search for a trio when no leftover fits beside a pair, so that a member who avoids
# almost everyone cannot make a large round quadratic.
TRIO_EXCHANGE_TRIES = 64
TRIO_SEARCH_BUDGET = 100_000
TRIO_IMPROVEMENT_ROUNDS = 50
TRIO_PATH_DEPTH = 3
GAIN_EPSILON = 1e-9
# Improving cycles re-pair at most this many pairs, trying this many partners at each step.
CYCLE_DEPTH = 4
CYCLE_BREADTH = 8
# Larger than the score that re-pairing a whole cycle can gain, so avoiding a repeat always comes first.
REPEAT_COST = 100.0

NO_MATE = -1
IN_TRIO = -2


@dataclass(frozen=True)
class Candidate:
    """A member to pair this round: their UTC offset now (the caller resolves tz names) and cadence."""

    user_id: int
    utc_offset_minutes: int
    cadence: str

    def __post_init__(self) -> None:
        if self.cadence not in CADENCES:
            raise ValueError(f"cadence must be one of {sorted(CADENCES)}, not {self.cadence!r}")


@dataclass(frozen=True)
class Grouping:
    """A round: groups of user ids (pairs and at most one trio), their total score, who was left out."""

    groups: list[tuple[int, ...]]
    total_score: float
    unpaired: list[int]


def waking_overlap(offset_a: int, offset_b: int) -> float:
    """Share of the 14 waking hours two UTC offsets have in common: 1 for equal offsets, 4/14 at least."""
    shift = abs(offset_a - offset_b) % MINUTES_PER_DAY
    shift = min(shift, MINUTES_PER_DAY - shift)
    # More than ten hours apart, one member's evening also meets the other's morning across midnight.
    shared = max(0, WAKING_MINUTES - shift) + max(0, WAKING_MINUTES - (MINUTES_PER_DAY - shift))
    return shared / WAKING_MINUTES


def freshness(rounds_since: int | None) -> float:
    """1 for a pair never formed; 0 for last round's pair, 0.5 two rounds ago, 0.75 three, and so on."""
    if rounds_since is None:
        return 1.0
    return 1.0 - REPEAT_DECAY ** (rounds_since - 1)


def pair_score(a: Candidate, b: Candidate, rounds_since: int | None = None) -> float:
    """How good a pair a and b make, between 4/14 and 2.25; higher is better.

    score = waking_overlap + freshness + 0.25 when both chose the same cadence, where
    waking_overlap is the shared waking hours (08:00-22:00 local) / 14, and freshness is
    1 - 0.5 ** (rounds_since - 1), or 1 when they were never paired (rounds_since None).
    A trio scores the sum of its three pair scores.
    """
    return _combined_score(
        waking_overlap(a.utc_offset_minutes, b.utc_offset_minutes), rounds_since, a.cadence == b.cadence
    )


def make_groups(
    candidates: Sequence[Candidate],
    history: Mapping[frozenset[int], int],
    avoid: Iterable[frozenset[int]],
    *,
    seed: int,
    recent_rounds: int = 3,
) -> Grouping:
    """Group everyone in pairs, plus one trio when the count is odd, for a high total pair score.

    `history` maps a pair to the rounds since it was last formed (1 = last round); `avoid` holds
    pairs that must never be grouped. Priorities, in order: group as many members as the avoid
    pairs allow (the others are reported in `unpaired`), repeat as few pairs from the last
    `recent_rounds` rounds as possible, then score highest. Up to FULL_GRAPH_LIMIT members every
    allowed pair is considered and the first priority is met exactly; larger rounds search near
    each member (see the module constants). The same inputs and seed give the same result.
    """
    if recent_rounds < 0:
        raise ValueError("recent_rounds cannot be negative")
    matcher = _Matcher(_Problem.build(candidates, history, avoid, seed, recent_rounds))
    matcher.match_greedily()
    matcher.augment(allow_recent=False)
    matcher.augment(allow_recent=True)
    matcher.improve_pairs()
    matcher.place_trio()
    matcher.improve_trio()
    matcher.improve_pairs()
    return matcher.grouping()


def _combined_score(overlap: float, rounds_since: int | None, same_cadence: bool) -> float:
    return overlap + freshness(rounds_since) + (SAME_CADENCE_BONUS if same_cadence else 0.0)


@dataclass
class _Problem:
    """Members by index, in a seeded shuffle so that ties between equal pairs fall by the seed.

    Members with the same offset and cadence are of one kind: apart from history they are
    interchangeable, so scores come from a small kind-by-kind table plus sparse history.
    """

    ids: list[int]
    kind_of: list[int]
    overlaps: list[list[float]]
    same_cadence: list[list[bool]]
    kind_scores: list[list[float]]
    history: list[dict[int, int]]
    avoided: list[set[int]]
    recent: list[set[int]]

    @classmethod
    def build(
        cls,
        candidates: Sequence[Candidate],
        history: Mapping[frozenset[int], int],
        avoid: Iterable[frozenset[int]],
        seed: int,
        recent_rounds: int,
    ) -> _Problem:
        members = sorted(candidates, key=lambda c: c.user_id)
        if any(a.user_id == b.user_id for a, b in pairwise(members)):
            raise ValueError("each member can be a candidate only once")
        random.Random(seed).shuffle(members)
        index = {c.user_id: i for i, c in enumerate(members)}
        kinds: dict[tuple[int, str], int] = {}
        kind_of = [kinds.setdefault((c.utc_offset_minutes, c.cadence), len(kinds)) for c in members]
        overlaps = [[waking_overlap(a[0], b[0]) for b in kinds] for a in kinds]
        same_cadence = [[a[1] == b[1] for b in kinds] for a in kinds]
        kind_scores = [
            [_combined_score(o, None, same) for o, same in zip(row, cadence_row, strict=True)]
            for row, cadence_row in zip(overlaps, same_cadence, strict=True)
        ]
        problem = cls(
            ids=[c.user_id for c in members],
            kind_of=kind_of,
            overlaps=overlaps,
            same_cadence=same_cadence,
            kind_scores=kind_scores,
            history=[{} for _ in members],
            avoided=[set() for _ in members],
            recent=[set() for _ in members],
        )
        problem._add_history(history, index, recent_rounds)
        problem._add_avoid(avoid, index)
        return problem

    def _add_history(self, history: Mapping[frozenset[int], int], index: Mapping[int, int], recent_rounds: int) -> None:
        for pair, rounds_since in history.items():
            if rounds_since < 1:
                raise ValueError("rounds since a pair was formed start at 1 (last round)")
            found = _pair_indices(pair, index)
            if found is None:
                continue
            i, j = found
            self.history[i][j] = self.history[j][i] = rounds_since
            if rounds_since <= recent_rounds:
                self.recent[i].add(j)
                self.recent[j].add(i)

    def _add_avoid(self, avoid: Iterable[frozenset[int]], index: Mapping[int, int]) -> None:
        for pair in avoid:
            found = _pair_indices(pair, index)
            if found is not None:
                i, j = found
                self.avoided[i].add(j)
                self.avoided[j].add(i)

    def score(self, i: int, j: int) -> float:
        rounds_since = self.history[i].get(j)
        ki, kj = self.kind_of[i], self.kind_of[j]
        if rounds_since is None:
            return self.kind_scores[ki][kj]
        return _combined_score(self.overlaps[ki][kj], rounds_since, self.same_cadence[ki][kj])

    def allowed(self, i: int, j: int, allow_recent: bool) -> bool:
        if i == j or j in self.avoided[i]:
            return False
        return allow_recent or j not in self.recent[i]

    def value(self, i: int, j: int) -> float:
        """A pair's worth to the local search: its score, less far more than any score for a repeat."""
        score = self.score(i, j)
        return score - REPEAT_COST if j in self.recent[i] else score

    def repeats(self, *pairs: tuple[int, int]) -> int:
        return sum(j in self.recent[i] for i, j in pairs)


def _pair_indices(pair: frozenset[int], index: Mapping[int, int]) -> tuple[int, int] | None:
    if len(pair) != 2:
        raise ValueError(f"a pair holds two different members, not {sorted(pair)}")
    a, b = pair
    if a in index and b in index:
        return index[a], index[b]
    # Members who are not in this round (left, paused) may still be in the history or avoid lists.
    return None


@dataclass(frozen=True)
class _Move:
    """Pairs to form in place of the pairs they break; `dropped` is left without a partner."""

    pairs: list[tuple[int, int]]
    dropped: int | None = None

    def members(self) -> Iterator[int]:
        yield from (member for pair in self.pairs for member in pair)
        if self.dropped is not None:
            yield self.dropped


@dataclass(frozen=True)
class _TrioMove:
    """`leaving` = (member, the two it leaves as a pair); `pairs` are formed; `trio` is the new trio."""

    leaving: tuple[int, int, int]
    pairs: list[tuple[int, int]]
    trio: tuple[int, int, int]


class _Matcher:
    """The grouping being built: a matching (mate per member), then one trio for an odd leftover."""

    def __init__(self, problem: _Problem) -> None:
        self.problem = problem
        self.size = len(problem.ids)
        self.mate = [NO_MATE] * self.size
        self.adjacency: list[list[int]] = [[] for _ in range(self.size)]
        self.linked: set[int] = set()
        self.fully_linked: set[tuple[int, bool]] = set()
        self.trio: tuple[int, int, int] | None = None
        self.ranked: dict[int, list[tuple[float, int]]] = {}
        self.pair_value: list[float] = []

    def link(self, i: int, j: int) -> bool:
        """Make (i, j) a candidate pair for the later searches; False when it already was one."""
        key = i * self.size + j if i < j else j * self.size + i
        if key in self.linked:
            return False
        self.linked.add(key)
        self.ranked.pop(i, None)
        self.ranked.pop(j, None)
        self.adjacency[i].append(j)
        self.adjacency[j].append(i)
        return True

    def match_greedily(self) -> None:
        """Take candidate pairs best first; members left over get a fresh, denser round of candidates."""
        pending = list(range(self.size))
        while len(pending) >= 2:
            complete = len(pending) <= FULL_GRAPH_LIMIT
            pairs = combinations(pending, 2) if complete else self._nearby_pairs(pending)
            # A pair linked in an earlier round is skipped: one of its members was matched then.
            edges = [
                (-self.problem.score(i, j), i, j)
                for i, j in pairs
                if self.problem.allowed(i, j, allow_recent=False) and self.link(i, j)
            ]
            edges.sort()
            mate = self.mate
            for _, i, j in edges:
                if mate[i] == NO_MATE and mate[j] == NO_MATE:
                    mate[i], mate[j] = j, i
            left = [i for i in pending if mate[i] == NO_MATE]
            if complete or len(left) == len(pending):
                return
            pending = left

    def _nearby_pairs(self, members: list[int]) -> Iterator[tuple[int, int]]:
        buckets: dict[int, list[int]] = {}
        for i in members:
            buckets.setdefault(self.problem.kind_of[i], []).append(i)
        for kind, bucket in buckets.items():
            yield from _ring_pairs(bucket, SAME_KIND_NEIGHBOURS)
            row = self.problem.kind_scores[kind]
            nearest = sorted((k for k in buckets if k != kind), key=lambda k: -row[k])[:NEAR_KINDS]
            for other in nearest:
                partners = buckets[other]
                for position, i in enumerate(bucket):
                    yield i, partners[position % len(partners)]

    def augment(self, *, allow_recent: bool) -> None:
        """Grow the matching along augmenting paths until no more members can be paired."""
        unmatched = [i for i in range(self.size) if self.mate[i] == NO_MATE]
        if len(unmatched) < 2:
            return
        if allow_recent:
            self._link_recent()
        for root in unmatched:
            self._link_everyone(root, allow_recent)
        # A path joins two unmatched members, so those without any allowed partner cannot start one,
        # and searching the whole community from the others would be wasted.
        roots = [root for root in unmatched if self.adjacency[root]]
        if len(roots) < 2:
            return
        for root in roots:
            if self.mate[root] == NO_MATE:
                _AugmentingPathSearch(self.mate, self.adjacency, root).run()

    def _link_everyone(self, i: int, allow_recent: bool) -> None:
        # Only a few members are left unmatched by the greedy rounds, so giving each of them every
        # allowed partner keeps the search exhaustive where it matters at O(n) each.
        if (i, allow_recent) in self.fully_linked or self.size <= FULL_GRAPH_LIMIT:
            return
        self.fully_linked.add((i, allow_recent))
        for j in range(self.size):
            if self.problem.allowed(i, j, allow_recent):
                self.link(i, j)

    def improve_pairs(self) -> None:
        """Re-pair along alternating cycles and paths while that repeats less or scores more."""
        self.pair_value = [self.problem.value(i, m) if m >= 0 else 0.0 for i, m in enumerate(self.mate)]
        queue = deque(i for i in range(self.size) if self._improvable(i))
        queued = set(queue)
        while queue:
            start = queue.popleft()
            queued.discard(start)
            move = self._improving_move(start)
            if move is None:
                continue
            if move.dropped is not None:
                self.mate[move.dropped] = NO_MATE
                self.pair_value[move.dropped] = 0.0
            for i, j in move.pairs:
                self.mate[i], self.mate[j] = j, i
                self.pair_value[i] = self.pair_value[j] = self.problem.value(i, j)
            for member in move.members():
                if member not in queued and self._improvable(member):
                    queued.add(member)
                    queue.append(member)

    def _improvable(self, i: int) -> bool:
        mate = self.mate[i]
        return mate == NO_MATE or (mate >= 0 and self.pair_value[i] < BEST_SCORE)

    def _improving_move(self, start: int) -> _Move | None:
        mate = self.mate[start]
        if mate == NO_MATE:
            return self._search_move(start, start, 0.0, {start}, [])
        if mate == IN_TRIO:
            return None
        return self._search_move(start, mate, -self.pair_value[start], {start, mate}, [])

    def _search_move(
        self, start: int, free: int, gained: float, touched: set[int], added: list[tuple[int, int]]
    ) -> _Move | None:
        """Pairs that, replacing the ones they break, gain value; None when no short alternation does.

        `free` needs a partner; `gained` is the value of the pairs added so far minus that of the
        pairs broken. A paired `start` lost its partner first and closes the cycle; an unpaired
        `start` opens a path that leaves its far end unpaired instead. As in Lin-Kernighan, a cycle
        is only extended while the balance stays positive: every improving cycle has such a start.
        Paths have one start only, and few members are unpaired, so their search is not pruned.
        """
        problem, mate = self.problem, self.mate
        opens_path = mate[start] == NO_MATE
        tried = 0
        for partner_value, c in self._ranked_partners(free):
            head = gained + partner_value
            if tried == CYCLE_BREADTH or (head <= GAIN_EPSILON and not opens_path):
                break
            d = mate[c]
            if d < 0 or c in touched:
                continue
            tried += 1
            balance = head - self.pair_value[c]
            if opens_path and balance > GAIN_EPSILON:
                return _Move([*added, (free, c)], dropped=d)
            closing = not opens_path and problem.allowed(d, start, allow_recent=True)
            if closing and balance + problem.value(d, start) > GAIN_EPSILON:
                return _Move([*added, (free, c), (d, start)])
            if len(added) + 1 < CYCLE_DEPTH:
                found = self._search_move(start, d, balance, touched | {c, d}, [*added, (free, c)])
                if found:
                    return found
        return None

    def _ranked_partners(self, i: int) -> list[tuple[float, int]]:
        """Candidate partners of i with their values, best first."""
        ranked = self.ranked.get(i)
        if ranked is None:
            value = self.problem.value
            ranked = self.ranked[i] = sorted(((value(i, j), j) for j in self.adjacency[i]), reverse=True)
        return ranked

    def place_trio(self) -> None:
        """Attach one leftover to the pair where it adds the most; free another leftover if needed."""
        leftovers = [i for i in range(self.size) if self.mate[i] == NO_MATE]
        if not leftovers:
            return
        # The trio may have to repeat a pair; its later moves can then trade that for a lesser repeat.
        self._link_recent()
        pairs = [(a, b) for a, b in enumerate(self.mate) if a < b]
        for allow_recent in (False, True):
            attach = self._best_attachment(leftovers, pairs, allow_recent)
            if attach is not None:
                self._form_trio(*attach)
                return
        self._trio_by_rematching(leftovers)

    def _best_attachment(
        self, leftovers: Iterable[int], pairs: Sequence[tuple[int, int]], allow_recent: bool
    ) -> tuple[int, int, int] | None:
        problem = self.problem
        best: tuple[int, int, int] | None = None
        best_value = (0, 0.0)
        for x in leftovers:
            for a, b in pairs:
                if problem.allowed(x, a, allow_recent) and problem.allowed(x, b, allow_recent):
                    value = (-problem.repeats((x, a), (x, b)), problem.score(x, a) + problem.score(x, b))
                    if best is None or value > best_value:
                        best, best_value = (x, a, b), value
        return best

    def _trio_by_rematching(self, leftovers: list[int]) -> None:
        """No leftover fits beside a pair: try trios near the leftovers, re-pairing whoever they free.

        A trio works when everyone else but the unpaired still finds a partner, that is when the
        matching left after taking the trio out can grow back to one pair fewer than before.
        """
        for x in leftovers:
            self._link_everyone(x, allow_recent=True)
        pairs_needed = sum(1 for a, b in enumerate(self.mate) if a < b) - 1
        tried: set[frozenset[int]] = set()
        budget = TRIO_SEARCH_BUDGET
        allowed = self.problem.allowed
        for y in self._nearest_first(leftovers):
            for a in self.adjacency[y]:
                for b in chain(self.adjacency[y], self.adjacency[a]):
                    budget -= 1
                    if budget < 0 or len(tried) >= TRIO_EXCHANGE_TRIES:
                        return
                    trio = frozenset((y, a, b))
                    if len(trio) < 3 or trio in tried:
                        continue
                    if not (allowed(a, b, allow_recent=True) and allowed(y, b, allow_recent=True)):
                        continue
                    tried.add(trio)
                    if self._rematch_around(y, a, b, pairs_needed):
                        return

    def _rematch_around(self, x: int, a: int, b: int, pairs_needed: int) -> bool:
        saved = self.mate.copy()
        freed = [self.mate[m] for m in (x, a, b) if self.mate[m] >= 0 and self.mate[m] not in (x, a, b)]
        self._form_trio(x, a, b)
        for member in freed:
            self.mate[member] = NO_MATE
        for root in range(self.size):
            if self.mate[root] == NO_MATE and self.adjacency[root]:
                _AugmentingPathSearch(self.mate, self.adjacency, root).run()
        if sum(1 for i, j in enumerate(self.mate) if i < j) >= pairs_needed:
            return True
        self.mate[:] = saved
        self.trio = None
        return False

    def _nearest_first(self, sources: list[int]) -> Iterator[int]:
        seen = set(sources)
        queue = deque(sources)
        while queue:
            v = queue.popleft()
            yield v
            for w in self.adjacency[v]:
                if w not in seen:
                    seen.add(w)
                    queue.append(w)

    def _link_recent(self) -> None:
        for i, partners in enumerate(self.problem.recent):
            for j in partners:
                if i < j and j not in self.problem.avoided[i]:
                    self.link(i, j)

    def _form_trio(self, x: int, a: int, b: int) -> None:
        self.trio = (x, a, b)
        for member in self.trio:
            self.mate[member] = IN_TRIO

    def improve_trio(self) -> None:
        """Move the trio where it repeats less or scores more, along short alternating paths."""
        for _ in range(TRIO_IMPROVEMENT_ROUNDS):
            move = self._best_trio_move() if self.trio is not None else None
            if move is None:
                return
            leaving, stays_a, stays_b = move.leaving
            self.mate[stays_a], self.mate[stays_b] = stays_b, stays_a
            self.mate[leaving] = NO_MATE
            for i, j in move.pairs:
                self.mate[i], self.mate[j] = j, i
            self._form_trio(*move.trio)

    def _best_trio_move(self) -> _TrioMove | None:
        """One member leaves the trio and pairs along an open path; the path's far end joins a pair.

        Moving the leaver straight to another pair, or swapping it with a paired member, are the
        shortest such moves.
        """
        assert self.trio is not None
        value = self.problem.value
        best: _TrioMove | None = None
        best_gain = GAIN_EPSILON
        for position, x in enumerate(self.trio):
            p, q = (m for k, m in enumerate(self.trio) if k != position)
            leave = value(x, p) + value(x, q)
            for pairs, end, balance, touched in self._open_paths(x, {x, p, q}, [], 0.0):
                for c, d in self._pairs_to_join(end, touched, (p, q)):
                    gain = balance + value(end, c) + value(end, d) - leave
                    if gain > best_gain:
                        best, best_gain = _TrioMove((x, p, q), pairs, (end, c, d)), gain
        return best

    def _open_paths(
        self, free: int, touched: set[int], pairs: list[tuple[int, int]], balance: float
    ) -> Iterator[tuple[list[tuple[int, int]], int, float, set[int]]]:
        yield pairs, free, balance, touched
        if len(pairs) == TRIO_PATH_DEPTH:
            return
        tried = 0
        for partner_value, c in self._ranked_partners(free):
            d = self.mate[c]
            if d < 0 or c in touched:
                continue
            tried += 1
            if tried > CYCLE_BREADTH:
                return
            gained = partner_value - self.problem.value(c, d)
            yield from self._open_paths(d, touched | {c, d}, [*pairs, (free, c)], balance + gained)

    def _pairs_to_join(self, member: int, touched: set[int], stays: tuple[int, int]) -> Iterator[tuple[int, int]]:
        """Pairs near `member` that it may join as a trio: untouched ones, or the two the leaver left."""
        tried = 0
        for _, c in self._ranked_partners(member):
            if c in stays:
                d = stays[1] if c == stays[0] else stays[0]
            elif c in touched or self.mate[c] < 0:
                continue
            else:
                d = self.mate[c]
            if not self.problem.allowed(member, d, allow_recent=True):
                continue
            tried += 1
            if tried > CYCLE_BREADTH:
                return
            yield c, d

    def grouping(self) -> Grouping:
        ids, score = self.problem.ids, self.problem.score
        groups: list[tuple[int, ...]] = []
        total = 0.0
        for a, b in enumerate(self.mate):
            if a < b:
                groups.append(tuple(sorted((ids[a], ids[b]))))
                total += score(a, b)
        if self.trio is not None:
            x, a, b = self.trio
            groups.append(tuple(sorted((ids[x], ids[a], ids[b]))))
            total += score(x, a) + score(x, b) + score(a, b)
        unpaired = sorted(ids[i] for i, m in enumerate(self.mate) if m == NO_MATE)
        return Grouping(groups=sorted(groups), total_score=total, unpaired=unpaired)


def _ring_pairs(bucket: list[int], neighbours: int) -> Iterator[tuple[int, int]]:
    if len(bucket) <= 2 * neighbours + 1:
        yield from combinations(bucket, 2)
        return
    for position, i in enumerate(bucket):
        for step in range(1, neighbours + 1):
            yield i, bucket[(position + step) % len(bucket)]


class _AugmentingPathSearch:
    """Edmonds' blossom search for a path that pairs one more member, from an unmatched root.

    Odd cycles are shrunk to their base, so the search finds such a path whenever the candidate
    pairs allow one: with every allowed pair as a candidate, the matching becomes maximum.
    """

    def __init__(self, mate: list[int], adjacency: list[list[int]], root: int) -> None:
        self.mate = mate
        self.adjacency = adjacency
        self.root = root
        self.parent: dict[int, int] = {}
        self.base: dict[int, int] = {}
        self.members: dict[int, list[int]] = {}
        self.outer: set[int] = {root}
        self.queue: deque[int] = deque([root])

    def run(self) -> bool:
        """Apply the first augmenting path found; False when there is none."""
        mate, parent = self.mate, self.parent
        while self.queue:
            v = self.queue.popleft()
            for w in self.adjacency[v]:
                if mate[w] == IN_TRIO or self._base(v) == self._base(w) or mate[v] == w:
                    continue
                if w == self.root or (mate[w] >= 0 and mate[w] in parent):
                    self._shrink_blossom(v, w)
                elif w not in parent:
                    parent[w] = v
                    if mate[w] == NO_MATE:
                        self._flip(w)
                        return True
                    self.outer.add(mate[w])
                    self.queue.append(mate[w])
        return False

    def _base(self, v: int) -> int:
        return self.base.get(v, v)

    def _shrink_blossom(self, v: int, w: int) -> None:
        blossom_base = self._common_base(v, w)
        inside: dict[int, None] = {}
        self._mark_path(v, blossom_base, w, inside)
        self._mark_path(w, blossom_base, v, inside)
        merged = self.members.setdefault(blossom_base, [blossom_base])
        # The base's own blossom is searched from already; only the bases shrunk into it move.
        for old_base in inside:
            if old_base == blossom_base:
                continue
            for u in self.members.pop(old_base, [old_base]):
                self.base[u] = blossom_base
                merged.append(u)
                if u not in self.outer:
                    self.outer.add(u)
                    self.queue.append(u)

    def _common_base(self, v: int, w: int) -> int:
        seen: set[int] = set()
        while True:
            v = self._base(v)
            seen.add(v)
            if self.mate[v] == NO_MATE:
                break
            v = self.parent[self.mate[v]]
        while True:
            w = self._base(w)
            if w in seen:
                return w
            w = self.parent[self.mate[w]]

    def _mark_path(self, v: int, blossom_base: int, child: int, inside: dict[int, None]) -> None:
        while self._base(v) != blossom_base:
            inside[self._base(v)] = None
            inside[self._base(self.mate[v])] = None
            self.parent[v] = child
            child = self.mate[v]
            v = self.parent[child]

    def _flip(self, end: int) -> None:
        v = end
        while v != NO_MATE:
            previous = self.parent[v]
            next_v = self.mate[previous]
            self.mate[v], self.mate[previous] = previous, v
            v = next_v
