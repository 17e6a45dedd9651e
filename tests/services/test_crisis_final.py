"""The crisis detector on `crisis_final.toml`: written by someone who never saw the detector or the other
sets, and never used to write or change a rule or a threshold: an honest measure of unseen text."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bot.services.crisis import detect_crisis

CASES = tomllib.loads((Path(__file__).parent / "crisis_final.toml").read_text())["case"]


def test_detector_on_text_it_was_not_written_for() -> None:
    crises = [c["text"] for c in CASES if c["crisis"]]
    calm = [c["text"] for c in CASES if not c["crisis"]]
    missed = [t for t in crises if detect_crisis(t) is None]
    false_alarms = [t for t in calm if detect_crisis(t) is not None]
    recall = 1 - len(missed) / len(crises)
    false_positive_rate = len(false_alarms) / len(calm)
    report = f"recall {recall:.3f} ({len(crises) - len(missed)}/{len(crises)}), false positive rate " + (
        f"{false_positive_rate:.3f} ({len(false_alarms)}/{len(calm)})"
    )
    print(f"crisis detector on {len(CASES)} texts it was not written for: {report}")
    # Floors that catch a regression; the figures themselves are the honest measure of the detector.
    assert recall >= 0.6, report + "\nmissed:\n" + "\n".join(missed)
    assert false_positive_rate <= 0.1, report + "\nfalse alarms:\n" + "\n".join(false_alarms)
