"""`python -m bench.model_memory`: what the crisis model holds while a burst of long notes is read at once.

Each note is read as the bot reads it (`CrisisDetector.assess_off_loop`, all submitted together), and the
process's resident memory is sampled before, at its peak, and after the burst.

Run: python -m bench.model_memory [--notes 24] [--length 4000]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from bench.safety import long_notes
from bot.services.crisis_detector import READERS, CrisisDetector
from bot.services.crisis_model import load_shipped_model
from training.crisis.corpus import load_part

# A burst may leave the process this much larger once read (it used to keep some 90 MB for good).
KEPT_TARGET_MB = 20.0
# While reading, at most this much above READERS times what one reader needs (the same notes read one after
# another, measured in the same run): the readers are capped, whatever the burst.
SLACK_MB = 10.0


def resident_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_after_another(detector: CrisisDetector, notes: list[str]) -> None:
    for note in notes:
        await detector.assess_off_loop(note)


async def peak_while(detector: CrisisDetector, notes: list[str], *, at_once: bool) -> float:
    """Read the notes (all at once, or one after another); the highest resident memory sampled meanwhile."""
    peak = resident_mb()
    reads = (
        asyncio.gather(*(detector.assess_off_loop(note) for note in notes))
        if at_once
        else asyncio.ensure_future(one_after_another(detector, notes))
    )
    while not reads.done():
        peak = max(peak, resident_mb())
        await asyncio.sleep(0.005)
    await reads
    return max(peak, resident_mb())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.model_memory", description=__doc__)
    parser.add_argument("--notes", type=int, default=24, help="notes submitted at once")
    parser.add_argument("--length", type=int, default=4000, help="characters per note (a form's longest is 4,000)")
    args = parser.parse_args(argv)
    model = load_shipped_model()
    if model is None:
        print("the crisis model could not be loaded here (onnxruntime or tokenizers missing): nothing to measure")
        return 1
    detector = CrisisDetector(model)
    notes = long_notes(load_part("train"), args.notes, length=args.length)
    detector.assess(notes[0][:200])  # the session's first run sets up what every run needs
    before = resident_mb()
    one = asyncio.run(peak_while(detector, notes, at_once=False)) - before
    started = time.perf_counter()
    peak = asyncio.run(peak_while(detector, notes, at_once=True))
    seconds = time.perf_counter() - started
    after = resident_mb()
    grew, kept = peak - before, after - before
    bound = READERS * max(one, 0.0) + SLACK_MB
    windows = len(model.token_windows(notes[0]))
    print(f"{args.notes} notes of {args.length} characters ({windows} windows each) read at once, in {seconds:.2f} s")
    print(f"resident memory before   {before:.0f} MB (model loaded)")
    print(f"one reader, peak         +{one:.0f} MB (the same notes, one after another)")
    limit = f"{bound:.0f} MB: {READERS} readers at once, + {SLACK_MB:.0f}"
    print(f"the burst, peak          +{grew:.0f} MB   [target <= {limit}]")
    print(f"kept after the burst     +{kept:.0f} MB   [target <= {KEPT_TARGET_MB:.0f} MB]")
    passed = grew <= bound and kept <= KEPT_TARGET_MB
    passed = grew <= bound and kept <= KEPT_TARGET_MB
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
