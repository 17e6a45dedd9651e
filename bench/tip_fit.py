"""Tip fit: how often the tip a member gets suits what they asked or checked in with; python -m bench.tip_fit."""

from __future__ import annotations

import argparse
import random
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.errors import UserFacingError
from bot.services.tip_library import TipLibrary, load_library, situations_for_checkin
from bot.services.tips import pick_first_tip, situation_for_text

DATA = Path(__file__).resolve().parent / "data"
SETS = {
    "sealed": DATA / "tip_fit_sealed.toml",
    "blind": DATA / "tip_fit_blind.toml",
    "dev": DATA / "tip_fit_dev.toml",
}
# A new member's first three tips for the same request: the first is not the only one they read.
TIPS_PER_MEMBER = 3
MEMBERS = 200


@dataclass(frozen=True)
class Case:
    fits: frozenset[str]
    text: str | None = None
    mood: int = 3
    cravings: int = 0
    halt: frozenset[str] = frozenset()

    def describe(self) -> str:
        if self.text is not None:
            return f"/tip {self.text!r}"
        return f"check-in mood {self.mood} cravings {self.cravings} halt {sorted(self.halt)}"


def load_cases(path: Path) -> list[Case]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
    return [
        Case(
            fits=frozenset(c["fits"]),
            text=c.get("text"),
            mood=c.get("mood", 3),
            cravings=c.get("cravings", 0),
            halt=frozenset(c.get("halt", [])),
        )
        for c in raw
    ]


@dataclass
class Outcome:
    fitting: int = 0
    shown: int = 0
    refused: int = 0
    slip_unasked: int = 0


def measure(library: TipLibrary, case: Case, members: int) -> Outcome:
    """Many new members with this request, each reading their first few tips."""
    outcome = Outcome()
    situations: list[str | None]
    if case.text is not None:
        try:
            situations = [situation_for_text(library, case.text)]
        except UserFacingError:
            # No tip at all: every tip the member would have read counts as not fitting.
            outcome.refused = members
            outcome.shown = members * TIPS_PER_MEMBER
            return outcome
    else:
        situations = [*situations_for_checkin(case.cravings, case.halt, case.mood)] or [None]
    for seed in range(members):
        rng = random.Random(seed)
        seen: list[str] = []
        for _ in range(TIPS_PER_MEMBER):
            tip = pick_first_tip(library, situations, seen, rng)
            if tip is None:
                break
            seen.append(tip.id)
            outcome.shown += 1
            if tip.situations[0] in case.fits:
                outcome.fitting += 1
            if tip.situations[0] == "after-a-slip" and "after-a-slip" not in case.fits:
                outcome.slip_unasked += 1
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", choices=sorted(SETS), default="sealed")
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--worst", type=int, default=10, help="list the cases that fit least")
    args = parser.parse_args()
    library = load_library()
    cases = load_cases(SETS[args.set])
    totals = Counter[str]()
    by_case = []
    for case in cases:
        outcome = measure(library, case, args.members)
        totals["fitting"] += outcome.fitting
        totals["shown"] += outcome.shown
        totals["refused"] += 1 if outcome.refused else 0
        totals["slip"] += outcome.slip_unasked
        by_case.append((outcome.fitting / max(1, outcome.shown), case, outcome))
    requests = sum(1 for c in cases if c.text is not None)
    checkins = len(cases) - requests
    print(f"tip fit on the {args.set} set: {len(cases)} cases ({requests} /tip requests, {checkins} check-ins)")
    print(f"  each case: {args.members} new members, their first {TIPS_PER_MEMBER} tips")
    print(f"  tips whose main situation fits:   {totals['fitting'] / max(1, totals['shown']):.3f}")
    print(f"  requests refused (no tip at all):  {totals['refused']} of {requests}")
    print(f"  after-a-slip tips nobody asked for: {totals['slip'] / max(1, totals['shown']):.3f}")
    print(f"  the {args.worst} cases that fit least:")
    for share, case, outcome in sorted(by_case, key=lambda item: item[0])[: args.worst]:
        refused = " (refused)" if outcome.refused else ""
        print(f"    {share:.2f}  {case.describe()}{refused}")


if __name__ == "__main__":
    main()
