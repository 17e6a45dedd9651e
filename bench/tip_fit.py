"""Tip fit: how often the tip a member gets suits what they asked or checked in with; python -m bench.tip_fit
(--language es: the Spanish sets, read with the Spanish library's words)."""

from __future__ import annotations

import argparse
import random
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.errors import UserFacingError
from bot.services.tip_library import TipLibrary, load_libraries, load_library, situations_for_checkin
from bot.services.tips import pick_first_tip, situation_for_text

DATA = Path(__file__).resolve().parent / "data"
SETS = {
    "sealed": DATA / "tip_fit_sealed.toml",
    "blind": DATA / "tip_fit_blind.toml",
    "dev": DATA / "tip_fit_dev.toml",
}
# The Spanish sets: /tip requests only (a check-in's situations do not depend on the member's language).
SETS_ES = {
    "sealed": DATA / "tip_fit_es_sealed.toml",
    "dev": DATA / "tip_fit_es_dev.toml",
}
# Below this share of fitting tips, or with any request refused or any after-a-slip tip unasked: FAIL.
FIT_LIMIT = 0.75
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


def measure(library: TipLibrary, case: Case, members: int, words: TipLibrary | None = None) -> Outcome:
    """Many new members with this request, each reading their first few tips.

    `words` is the library in the member's language, whose names and phrases read the request (as /tip
    does); tips are chosen from `library`, the English one, which has the same ids in every language.
    """
    outcome = Outcome()
    situations: list[str | None]
    if case.text is not None:
        try:
            situations = [situation_for_text(words or library, case.text, also=library)]
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
    parser.add_argument("--language", choices=["en", "es"], default="en", help="es: the Spanish sets")
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--worst", type=int, default=10, help="list the cases that fit least")
    args = parser.parse_args()
    library = load_library()
    sets = SETS if args.language == "en" else SETS_ES
    if args.set not in sets:
        parser.error(f"no {args.set} set in {args.language}; choose from {', '.join(sorted(sets))}")
    words = load_libraries(library)[args.language]
    cases = load_cases(sets[args.set])
    totals = Counter[str]()
    by_case = []
    for case in cases:
        outcome = measure(library, case, args.members, words)
        totals["fitting"] += outcome.fitting
        totals["shown"] += outcome.shown
        totals["refused"] += 1 if outcome.refused else 0
        totals["slip"] += outcome.slip_unasked
        by_case.append((outcome.fitting / max(1, outcome.shown), case, outcome))
    requests = sum(1 for c in cases if c.text is not None)
    checkins = len(cases) - requests
    name = args.set if args.language == "en" else f"{args.language} {args.set}"
    print(f"tip fit on the {name} set: {len(cases)} cases ({requests} /tip requests, {checkins} check-ins)")
    print(f"  each case: {args.members} new members, their first {TIPS_PER_MEMBER} tips")
    print(f"  tips whose main situation fits:   {totals['fitting'] / max(1, totals['shown']):.3f}")
    print(f"  requests refused (no tip at all):  {totals['refused']} of {requests}")
    print(f"  after-a-slip tips nobody asked for: {totals['slip'] / max(1, totals['shown']):.3f}")
    fit = totals["fitting"] / max(1, totals["shown"])
    passed = fit >= FIT_LIMIT and not totals["refused"] and not totals["slip"]
    verdict = "PASS" if passed else "FAIL"
    print(f"  limit: fit >= {FIT_LIMIT}, none refused, no after-a-slip tip unasked: {verdict}")
    print(f"  the {args.worst} cases that fit least:")
    for share, case, outcome in sorted(by_case, key=lambda item: item[0])[: args.worst]:
        refused = " (refused)" if outcome.refused else ""
        print(f"    {share:.2f}  {case.describe()}{refused}")


if __name__ == "__main__":
    main()
