"""`python -m bench.safety`: crisis detection per part, tier, kind and language, and its latency."""

from __future__ import annotations

import argparse
import random
import statistics
import time

from bot.services.crisis_detector import CALM, Assessment, CrisisDetector
from bot.services.crisis_model import load_shipped_model
from training.crisis.corpus import Example, load_part
from training.crisis.metrics import assess_each, breakdown, kind_accuracy, table_lines

LATENCY_LIMIT_MS = 10.0  # p99 for a 2,000-character note, the limit
NOTE_LENGTH = 2000


class ModelAlone(CrisisDetector):
    """The model without the rules, to show what each reader adds."""

    def rules(self, text: str) -> Assessment:
        return CALM


def long_notes(examples: list[Example], count: int, seed: int = 7, length: int = NOTE_LENGTH) -> list[str]:
    """Notes of `length` characters stitched from the training part's calm texts (never the sealed part's)."""
    calm = [e.text for e in examples if not e.crisis]
    chooser = random.Random(seed)
    notes = []
    for _ in range(count):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < length:
            parts.append(chooser.choice(calm))
        notes.append(" ".join(parts)[:length])
    return notes


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latency(detector: CrisisDetector, notes: list[str]) -> tuple[float, float]:
    for note in notes[:5]:
        detector.assess(note)  # warm-up
    times = []
    for note in notes:
        started = time.perf_counter()
        detector.assess(note)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 0.99)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.safety", description=__doc__)
    parser.add_argument("--parts", default="validation,sealed", help="comma-separated parts to score")
    parser.add_argument("--runs", type=int, default=300, help="2,000-character notes timed")
    parser.add_argument(
        "--show-misses", action="store_true", help="list the validation part's misses and false alarms (never sealed)"
    )
    args = parser.parse_args(argv)
    model = load_shipped_model()
    readers = {"rules": CrisisDetector(None)}
    if model is None:
        print("The model could not be loaded: rules only.")
    else:
        readers["model"] = ModelAlone(model)
        readers["combined"] = CrisisDetector(model)
        print(f"thresholds: {model.config}")
    for part in args.parts.split(","):
        examples = load_part(part)
        print(f"\n== {part}: {len(examples)} texts ==")
        for name, detector in readers.items():
            assessments = assess_each(detector, examples)
            print(f"\n-- {name} (kind right in {kind_accuracy(examples, assessments):.3f} of caught crises)")
            print("\n".join(table_lines(breakdown(examples, assessments))))
            if args.show_misses and part == "validation" and name == "combined":
                print("\nmissed (validation):")
                for e, a in zip(examples, assessments, strict=True):
                    if e.crisis and a.tier is None:
                        print(f"  [{e.kind}/{e.lang}] {e.text[:300]!r}")
                print("\nfalse alarms (validation):")
                for e, a in zip(examples, assessments, strict=True):
                    if not e.crisis and a.tier is not None:
                        print(f"  [{a.tier}/{a.kind}] {e.text[:300]!r}")
    notes = long_notes(load_part("train"), args.runs)
    print(f"\n== latency: {args.runs} notes of {NOTE_LENGTH} characters, one at a time ==")
    for name, detector in readers.items():
        p50, p99 = latency(detector, notes)
        verdict = "PASS" if p99 <= LATENCY_LIMIT_MS else "FAIL"
        print(f"{name:<9} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  (limit p99 {LATENCY_LIMIT_MS:.0f} ms: {verdict})")
    short = [e.text for e in load_part("train") if len(e.text) < 200][: args.runs]
    for name, detector in readers.items():
        p50, p99 = latency(detector, short)
        print(f"{name:<9} short notes (< 200 characters): p50 {p50:.2f} ms  p99 {p99:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
