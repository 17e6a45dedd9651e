"""The shipped crisis model: its file matches its card, its sealed-set figures hold, long notes are read whole."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services import crisis_model
from bot.services.crisis_detector import READERS, CrisisDetector, Tier
from bot.services.crisis_model import CONFIG_FILE, MODEL_FILE, load_shipped_model, shipped_model_dir, windows
from training.crisis.card import CARD_JSON, evaluate_part
from training.crisis.corpus import corpus_hash, load_part
from training.crisis.metrics import Rates, table_lines

MODEL = load_shipped_model()
CARD = json.loads((shipped_model_dir() / CARD_JSON).read_text())
# int8 kernels may round differently on another processor: a count may move by this many texts.
COUNT_TOLERANCE = 2


@given(
    length=st.integers(0, 2000),
    window=st.integers(8, 256),
    overlap=st.integers(1, 64),
    line_start=st.integers(0, 2000),
    line_length=st.integers(1, 64),
)
def test_every_short_line_lies_whole_inside_one_window(
    length: int, window: int, overlap: int, line_start: int, line_length: int
) -> None:
    content = window - 2
    stride = max(1, content - overlap)
    ids = list(range(10, 10 + length))
    spans = windows(ids, window=window, stride=stride, cls_id=1, sep_id=2)
    assert all(len(span) <= window and span[0] == 1 and span[-1] == 2 for span in spans)
    covered = {token for span in spans for token in span[1:-1]}
    assert covered == set(ids)
    line = ids[line_start : line_start + min(line_length, content - stride)]
    if line:
        assert any(set(line) <= set(span) for span in spans)


def test_the_model_loads_and_matches_its_card() -> None:
    assert MODEL is not None, "the shipped model must load where onnxruntime is installed"
    model_bytes = (shipped_model_dir() / MODEL_FILE).read_bytes()
    config = json.loads((shipped_model_dir() / CONFIG_FILE).read_text())
    assert hashlib.sha256(model_bytes).hexdigest() == config["sha256"] == CARD["sha256"]
    assert CARD["thresholds"] == config["thresholds"]
    assert CARD["size_bytes"] == len(model_bytes)
    assert CARD["data_sha256"] == corpus_hash(), "the corpus changed since the model was trained: retrain and export"


def test_a_model_file_that_does_not_match_its_hash_is_refused(tmp_path: Path) -> None:
    import shutil

    from bot.services.crisis_model import TOKENIZER_FILE, CrisisModel

    for name in (CONFIG_FILE, TOKENIZER_FILE, MODEL_FILE):
        shutil.copyfile(shipped_model_dir() / name, tmp_path / name)
    with (tmp_path / MODEL_FILE).open("r+b") as model:
        model.seek(1000)
        byte = model.read(1)
        model.seek(1000)
        model.write(bytes([byte[0] ^ 1]))  # one bit changed
    with pytest.raises(ValueError, match="does not match the sha256"):
        CrisisModel(tmp_path)


def _rates(counts: list[int]) -> Rates:
    return Rates(*counts)


def test_the_sealed_figures_hold_at_the_level_reported() -> None:
    assert MODEL is not None
    sealed = load_part("sealed")
    measured = evaluate_part(MODEL, sealed)
    reported = CARD["figures"]["sealed"]
    for reader in ("rules", "model", "combined"):
        print(f"\nsealed part, {reader}:")
        print(
            "\n".join(
                table_lines({g: {t: _rates(c) for t, c in r.items()} for g, r in measured[reader]["table"].items()})
            )
        )
    for reader in ("rules", "model", "combined"):
        for group, by_tier in reported[reader]["table"].items():
            for tier, counts in by_tier.items():
                now = measured[reader]["table"][group][tier]
                assert all(abs(a - b) <= COUNT_TOLERANCE for a, b in zip(now, counts, strict=True)), (
                    reader,
                    group,
                    tier,
                    now,
                    counts,
                )
    combined = _rates(measured["combined"]["table"]["all"]["either"])
    rules = _rates(measured["rules"]["table"]["all"]["either"])
    assert combined.recall > rules.recall


# An ordinary day, written for this test (the model has seen no word of it), about 1,300 characters.
DAY_BEFORE = (
    "Up at six with the baby again, so coffee first and then the school run in the rain. Work was fine, the new "
    "manager keeps moving meetings but I got the invoices done before lunch. Had soup at my desk and called my "
    "sponsor on the walk back, we talked about the step four stuff and the resentment list I keep putting off. "
    "Picked up groceries on the way home, forgot the bread as usual, and my partner made that lentil thing the "
    "kids like. "
)
DAY_AFTER = (
    " Anyway the rain stopped for a bit so I took the dog round the block and the neighbour waved. Going to watch "
    "something dumb and try to sleep early, meeting tomorrow at seven and I said I'd do the coffee. Grateful for "
    "a quiet day mostly, cravings were a 2 this afternoon but passed after I ate. Thanks for reading if anyone does."
)


def test_a_crisis_line_buried_in_a_long_note_is_found() -> None:
    assert MODEL is not None
    detector = CrisisDetector(MODEL)
    line = "I have the pills counted out and tonight I am taking all of them."
    assert len(MODEL.token_windows(DAY_BEFORE + line + DAY_AFTER)) > 1  # longer than one window
    assert detector.assess(DAY_BEFORE + DAY_AFTER).tier is None
    assert detector.assess(DAY_BEFORE + line + DAY_AFTER).tier is not None


def test_without_onnxruntime_the_rules_carry_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime now raises ImportError
    with caplog.at_level(logging.WARNING, logger=crisis_model.__name__):
        model = load_shipped_model.__wrapped__()
    assert model is None
    assert [r.getMessage() for r in caplog.records] == [
        "onnxruntime or tokenizers is not installed: spotting crisis language with the rules alone"
    ]
    assert CrisisDetector(model).assess("i want to kill myself tonight").tier == Tier.NOW


class CountingModel:
    """Stands in for the model: notes how many texts it is reading at the same moment."""

    def __init__(self, config: crisis_model.ModelConfig) -> None:
        self.config = config
        self.reading = 0
        self.most = 0
        self._lock = threading.Lock()

    def score(self, text: str) -> crisis_model.ModelScore:
        with self._lock:
            self.reading += 1
            self.most = max(self.most, self.reading)
        time.sleep(0.05)  # long enough for every submitted read to have been started if nothing held them
        with self._lock:
            self.reading -= 1
        return crisis_model.ModelScore(probability=0.0, kind="suicide")


async def test_a_burst_of_notes_is_read_by_a_few_readers_at_a_time() -> None:
    # Each reader of a long note holds tens of MB while it reads: a burst must not read them all at once.
    assert MODEL is not None
    model = CountingModel(MODEL.config)
    detector = CrisisDetector(model)  # type: ignore[arg-type]
    await asyncio.gather(*(detector.assess_off_loop(f"a long day, note {n}") for n in range(3 * READERS)))
    assert model.most == READERS
