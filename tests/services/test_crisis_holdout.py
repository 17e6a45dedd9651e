"""Held-out crisis-language set, written independently of the detector and never used to tune it.

`crisis_holdout.toml` was written from a plain definition of crisis (suicidal thoughts or intent now, self-harm now or
imminent, an overdose happening or planned now, immediate danger right now) before the detector or its tuning set was
read. The thresholds are looser than the main set's because this set measures generalisation; the printed recall,
false-positive rate and misclassified texts are the point.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from bot.services.crisis import detect_crisis

HOLDOUT_PATH = Path(__file__).with_name("crisis_holdout.toml")
MIN_RECALL = 0.85
MAX_FALSE_POSITIVE_RATE = 0.10


def _load_cases() -> list[dict[str, object]]:
    with HOLDOUT_PATH.open("rb") as handle:
        cases = tomllib.load(handle)["case"]
    for case in cases:
        assert isinstance(case["text"], str)
        assert isinstance(case["crisis"], bool)
        assert isinstance(case["note"], str)
    return cases


def test_holdout_set_is_well_formed() -> None:
    cases = _load_cases()
    texts = [case["text"] for case in cases]
    assert len(texts) == len(set(texts)), "duplicate texts in the holdout set"
    assert sum(case["crisis"] for case in cases) >= 50
    assert sum(not case["crisis"] for case in cases) >= 80


def test_detector_on_holdout_set() -> None:
    cases = _load_cases()
    crisis_cases = [case for case in cases if case["crisis"]]
    safe_cases = [case for case in cases if not case["crisis"]]
    missed = [case for case in crisis_cases if detect_crisis(case["text"]) is None]
    flagged = [(case, signal) for case in safe_cases if (signal := detect_crisis(case["text"])) is not None]

    recall = 1 - len(missed) / len(crisis_cases)
    false_positive_rate = len(flagged) / len(safe_cases)

    print()
    print(f"holdout: {len(crisis_cases)} crisis, {len(safe_cases)} not crisis")
    print(f"recall: {recall:.3f} ({len(crisis_cases) - len(missed)}/{len(crisis_cases)})")
    print(f"false-positive rate: {false_positive_rate:.3f} ({len(flagged)}/{len(safe_cases)})")
    print(f"missed crisis texts ({len(missed)}):")
    for case in missed:
        print(f"  [crisis=true] {case['text']!r}  ({case['note']})")
    print(f"false alarms ({len(flagged)}):")
    for case, signal in flagged:
        print(f"  [crisis=false] {case['text']!r} -> {signal}  ({case['note']})")

    assert recall >= MIN_RECALL, f"recall {recall:.3f} below {MIN_RECALL}"
    assert false_positive_rate <= MAX_FALSE_POSITIVE_RATE, (
        f"false-positive rate {false_positive_rate:.3f} above {MAX_FALSE_POSITIVE_RATE}"
    )
