"""Partner pairing: groups, avoid lists, repeats, determinism, and scores against brute force."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.pairing import (
    BEST_SCORE,
    Candidate,
    Grouping,
    make_groups,
    pair_score,
    waking_overlap,
)

OFFSETS = [-480, -300, -240, 0, 60, 330, 600, 780]
CADENCES = ["weekly", "biweekly"]

History = dict[frozenset[int], int]
Avoid = set[frozenset[int]]


@st.composite
def members(draw: st.DrawFn, min_size: int = 0, max_size: int = 12) -> list[Candidate]:
    size = draw(st.integers(min_size, max_size))
    return [
        Candidate(user_id, draw(st.sampled_from(OFFSETS)), draw(st.sampled_from(CADENCES)))
        for user_id in range(1, size + 1)
    ]


@st.composite
def rounds(draw: st.DrawFn, people: Sequence[Candidate], oldest: int = 10) -> History:
    pairs = all_pairs(people)
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    return {pair: draw(st.integers(1, oldest)) for pair in chosen}


@st.composite
def avoid_lists(draw: st.DrawFn, people: Sequence[Candidate]) -> Avoid:
    pairs = all_pairs(people)
    return set(draw(st.lists(st.sampled_from(pairs), unique=True))) if pairs else set()


def all_pairs(people: Sequence[Candidate]) -> list[frozenset[int]]:
    return [frozenset((a.user_id, b.user_id)) for a, b in combinations(people, 2)]


def pairs_in(group: Sequence[int]) -> Iterator[frozenset[int]]:
    return (frozenset(pair) for pair in combinations(group, 2))


def grouped_members(grouping: Grouping) -> list[int]:
    return [member for group in grouping.groups for member in group]


def repeats(grouping: Grouping, history: History, within: int) -> int:
    return sum(1 for group in grouping.groups for pair in pairs_in(group) if history.get(pair, within + 1) <= within)


def recomputed_total(grouping: Grouping, people: Sequence[Candidate], history: History) -> float:
    by_id = {c.user_id: c for c in people}
    return sum(
        pair_score(by_id[a], by_id[b], history.get(frozenset((a, b))))
        for group in grouping.groups
        for a, b in combinations(group, 2)
    )


def best_grouping(
    people: Sequence[Candidate], history: History, avoid: Avoid, recent_rounds: int
) -> tuple[int, int, float]:
    """Brute force over every grouping: (most members grouped, fewest recent repeats, best score)."""
    by_id = {c.user_id: c for c in people}

    def pair_value(a: int, b: int) -> tuple[int, int, float] | None:
        pair = frozenset((a, b))
        if pair in avoid:
            return None
        rounds_since = history.get(pair)
        repeat = int(rounds_since is not None and rounds_since <= recent_rounds)
        return 2, -repeat, pair_score(by_id[a], by_id[b], rounds_since)

    def search(rest: tuple[int, ...], trio_used: bool) -> tuple[int, int, float]:
        if not rest:
            return 0, 0, 0.0
        first, others = rest[0], rest[1:]
        best = search(others, trio_used)
        for i, b in enumerate(others):
            first_b = pair_value(first, b)
            if first_b is None:
                continue
            remaining = others[:i] + others[i + 1 :]
            best = max(best, _add(first_b, search(remaining, trio_used)))
            if trio_used:
                continue
            for j, c in enumerate(remaining):
                first_c, b_c = pair_value(first, c), pair_value(b, c)
                if first_c is None or b_c is None:
                    continue
                trio = (3, first_b[1] + first_c[1] + b_c[1], first_b[2] + first_c[2] + b_c[2])
                best = max(best, _add(trio, search(remaining[:j] + remaining[j + 1 :], True)))
        return best

    grouped, negative_repeats, score = search(tuple(c.user_id for c in people), False)
    return grouped, -negative_repeats, score


def _add(a: tuple[int, int, float], b: tuple[int, int, float]) -> tuple[int, int, float]:
    return a[0] + b[0], a[1] + b[1], a[2] + b[2]


@given(st.data())
@settings(max_examples=200, deadline=None)
def test_groups_cover_everyone_once_and_respect_avoid_lists(data: st.DataObject) -> None:
    people = data.draw(members(max_size=40))
    history = data.draw(rounds(people))
    avoid = data.draw(avoid_lists(people))
    seed = data.draw(st.integers(0, 2**32))

    grouping = make_groups(people, history, avoid, seed=seed)

    grouped = grouped_members(grouping)
    assert sorted(grouped + grouping.unpaired) == [c.user_id for c in people]
    sizes = sorted(len(group) for group in grouping.groups)
    assert set(sizes) <= {2, 3}
    assert sizes.count(3) == len(grouped) % 2
    assert not any(pair in avoid for group in grouping.groups for pair in pairs_in(group))
    assert grouping.total_score == pytest.approx(recomputed_total(grouping, people, history))
    assert make_groups(people, history, avoid, seed=seed) == grouping


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_only_avoid_lists_leave_members_out_and_repeats_only_when_forced(data: st.DataObject) -> None:
    people = data.draw(members(max_size=8))
    history = data.draw(rounds(people, oldest=5))
    avoid = data.draw(avoid_lists(people))

    grouping = make_groups(people, history, avoid, seed=data.draw(st.integers(0, 1000)), recent_rounds=3)

    most_grouped, fewest_repeats, _ = best_grouping(people, history, avoid, recent_rounds=3)
    assert len(grouped_members(grouping)) == most_grouped
    assert repeats(grouping, history, within=3) == fewest_repeats


@given(st.data())
@settings(max_examples=200, deadline=None)
def test_no_pair_from_last_round_repeats_when_others_exist(data: st.DataObject) -> None:
    # With four members or more, last round's pairs leave plenty of others; an odd round needs
    # seven, as five members after a pair and a trio leave no new trio to form.
    size = data.draw(st.integers(4, 40).filter(lambda n: n % 2 == 0 or n >= 7))
    people = data.draw(members(min_size=size, max_size=size))
    order = data.draw(st.permutations([c.user_id for c in people]))
    last_round = [order[i : i + 2] for i in range(0, size - 1, 2)]
    if size % 2:
        last_round[-1].append(order[-1])
    history: History = {pair: 1 for group in last_round for pair in pairs_in(group)}

    grouping = make_groups(people, history, set(), seed=data.draw(st.integers(0, 1000)))

    assert grouping.unpaired == []
    assert repeats(grouping, history, within=1) == 0


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_total_score_matches_brute_force_optimum(data: st.DataObject) -> None:
    people = data.draw(members(min_size=2, max_size=8))
    # Only rounds older than recent_rounds, so that every grouping is allowed and score alone decides.
    history = {pair: rounds_since + 3 for pair, rounds_since in data.draw(rounds(people, oldest=6)).items()}

    grouping = make_groups(people, history, set(), seed=data.draw(st.integers(0, 1000)))

    _, _, optimum = best_grouping(people, history, set(), recent_rounds=3)
    assert grouping.total_score >= 0.99 * optimum


def test_same_seed_same_grouping_whatever_the_input_order() -> None:
    rng = random.Random(4)
    people = [Candidate(i, rng.choice(OFFSETS), rng.choice(CADENCES)) for i in range(60)]
    shuffled = rng.sample(people, len(people))
    assert make_groups(people, {}, set(), seed=9) == make_groups(shuffled, {}, set(), seed=9)


def test_large_community_is_grouped_near_the_best_possible_score() -> None:
    rng = random.Random(11)
    people = [Candidate(i, rng.choice(OFFSETS[:5]), rng.choice(CADENCES)) for i in range(3001)]
    ids = [c.user_id for c in people]
    history: History = {}
    for rounds_since in (3, 2, 1):
        rng.shuffle(ids)
        history.update({frozenset(ids[i : i + 2]): rounds_since for i in range(0, len(ids) - 1, 2)})
    avoid = {frozenset(rng.sample(ids, 2)) for _ in range(60)}

    grouping = make_groups(people, history, avoid, seed=1)

    assert grouping.unpaired == []
    assert [len(group) for group in grouping.groups].count(3) == 1
    assert repeats(grouping, history, within=3) == 0
    assert not any(pair in avoid for group in grouping.groups for pair in pairs_in(group))
    # Each member can at best score BEST_SCORE with everyone it is in a group with.
    assert grouping.total_score >= 0.99 * (len(people) + 3) / 2 * BEST_SCORE


def test_overlapping_waking_hours_score_higher() -> None:
    london = Candidate(1, 0, "weekly")
    paris = Candidate(2, 60, "weekly")
    new_york = Candidate(3, -300, "weekly")
    sydney = Candidate(4, 600, "weekly")
    assert pair_score(london, paris) > pair_score(london, new_york) > pair_score(london, sydney)


def test_waking_overlap_in_hours() -> None:
    assert waking_overlap(0, 0) == 1
    assert waking_overlap(0, -300) == pytest.approx(9 / 14)
    assert waking_overlap(0, 720) == pytest.approx(4 / 14)
    assert waking_overlap(-600, 780) == waking_overlap(0, 1440 - 1380)


def test_long_ago_beats_recent_and_never_beats_both() -> None:
    a, b = Candidate(1, 0, "weekly"), Candidate(2, 0, "weekly")
    scores = [pair_score(a, b, rounds_since) for rounds_since in (1, 2, 3, 6)]
    assert scores == sorted(scores)
    assert len(set(scores)) == len(scores)
    assert pair_score(a, b, None) > scores[-1]
    assert pair_score(a, b, None) == BEST_SCORE


def test_same_cadence_scores_higher() -> None:
    weekly = Candidate(1, 0, "weekly")
    assert pair_score(weekly, Candidate(2, 0, "weekly")) > pair_score(weekly, Candidate(3, 0, "biweekly"))


def test_odd_round_gets_one_trio() -> None:
    people = [Candidate(i, 0, "weekly") for i in range(1, 4)]
    assert make_groups(people, {}, set(), seed=0).groups == [(1, 2, 3)]


def test_member_who_avoids_everyone_is_left_out_alone() -> None:
    people = [Candidate(i, 0, "weekly") for i in range(1, 7)]
    avoid = {frozenset((1, other)) for other in range(2, 7)}
    grouping = make_groups(people, {}, avoid, seed=0)
    assert grouping.unpaired == [1]
    assert sorted(len(group) for group in grouping.groups) == [2, 3]


def test_nobody_to_pair() -> None:
    assert make_groups([], {}, set(), seed=0) == Grouping([], 0.0, [])
    assert make_groups([Candidate(5, 0, "weekly")], {}, set(), seed=0).unpaired == [5]


def test_members_outside_the_round_are_ignored_in_history_and_avoid() -> None:
    people = [Candidate(1, 0, "weekly"), Candidate(2, 0, "weekly")]
    grouping = make_groups(people, {frozenset((1, 99)): 1}, {frozenset((2, 98))}, seed=0)
    assert grouping.groups == [(1, 2)]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="cadence"):
        Candidate(1, 0, "daily")
    twice = [Candidate(1, 0, "weekly"), Candidate(1, 60, "weekly")]
    with pytest.raises(ValueError, match="once"):
        make_groups(twice, {}, set(), seed=0)
    people = [Candidate(1, 0, "weekly"), Candidate(2, 0, "weekly")]
    with pytest.raises(ValueError, match="two different members"):
        make_groups(people, {}, {frozenset({1})}, seed=0)
    with pytest.raises(ValueError, match="start at 1"):
        make_groups(people, {frozenset((1, 2)): 0}, set(), seed=0)
