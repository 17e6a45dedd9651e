"""The learned crisis-language model: an int8 ONNX sentence model read in overlapping windows, offline."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import json
import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

# numpy is imported where the model is used: where onnxruntime is missing the bot reads with the rules alone,
# and numpy would only cost it memory (10 MB).

log = logging.getLogger(__name__)

LABELS = ("none", "suicide", "self_harm", "overdose", "danger")
MODEL_FILE = "crisis.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "config.json"


@dataclass(frozen=True)
class ModelConfig:
    """How the shipped model reads text, and the thresholds chosen on the validation part."""

    window: int  # tokens per window, [CLS] and [SEP] included
    stride: int  # content tokens between the starts of two windows
    now_threshold: float  # at or above: "crisis now"
    worried_threshold: float  # at or above (and below now): "worried"
    dark_threshold: float  # at or above: a dark note, which with mood 1 and overwhelming cravings is "worried"
    rules_confirm: float  # a rule's hit counts (as "worried") when the model gives the text at least this
    rules_confirm_now: float  # a rule's crisis-now hit counts as "now" when the model gives at least this
    sha256: str  # of the model file, checked at load

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelConfig:
        return cls(
            window=int(data["window"]),
            stride=int(data["stride"]),
            now_threshold=float(data["thresholds"]["now"]),
            worried_threshold=float(data["thresholds"]["worried"]),
            dark_threshold=float(data["thresholds"]["dark"]),
            rules_confirm=float(data["thresholds"]["rules_confirm"]),
            rules_confirm_now=float(data["thresholds"]["rules_confirm_now"]),
            sha256=str(data["sha256"]),
        )


@dataclass(frozen=True)
class ModelScore:
    """The model's reading of a whole text: how likely a crisis is (its likeliest window) and of which kind."""

    probability: float
    kind: str


def windows(ids: list[int], *, window: int, stride: int, cls_id: int, sep_id: int) -> list[list[int]]:
    """Overlapping windows over a text's content tokens, each framed by [CLS] ... [SEP].

    Every stretch of `window - 2 - stride` tokens or fewer lies whole inside one window, so a line of that
    length buried anywhere in a long note is read with its own context.
    """
    content = window - 2
    if len(ids) <= content:
        return [[cls_id, *ids, sep_id]]
    spans = []
    start = 0
    while True:
        spans.append([cls_id, *ids[start : start + content], sep_id])
        if start + content >= len(ids):
            return spans
        start += stride


def softmax(logits: np.ndarray) -> np.ndarray:
    import numpy as np

    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return np.asarray(exp / exp.sum(axis=-1, keepdims=True))


def pad(batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    length = max(len(ids) for ids in batch)
    input_ids = np.zeros((len(batch), length), dtype=np.int64)
    mask = np.zeros_like(input_ids)
    for row, ids in enumerate(batch):
        input_ids[row, : len(ids)] = ids
        mask[row, : len(ids)] = 1
    return input_ids, mask


def read_windows(probabilities: np.ndarray) -> ModelScore:
    """The text's score from its windows' class probabilities: the window likeliest to be a crisis speaks."""
    import numpy as np

    crisis = 1.0 - probabilities[:, 0]
    best = int(np.argmax(crisis))
    kind = LABELS[1 + int(np.argmax(probabilities[best, 1:]))]
    return ModelScore(probability=float(crisis[best]), kind=kind)


class CrisisModel:
    """The shipped model, loaded once; `score` is thread-safe and meant to run off the event loop."""

    def __init__(self, directory: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.config = ModelConfig.from_json(json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8")))
        model_path = directory / MODEL_FILE
        if _sha256_of(model_path) != self.config.sha256:
            raise ValueError(f"{MODEL_FILE} does not match the sha256 in {CONFIG_FILE}")
        self.tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        cls_id, sep_id = self.tokenizer.token_to_id("[CLS]"), self.tokenizer.token_to_id("[SEP]")
        if cls_id is None or sep_id is None:
            raise ValueError(f"{TOKENIZER_FILE} has no [CLS] or [SEP] token")
        self.cls_id, self.sep_id = cls_id, sep_id
        options = onnxruntime.SessionOptions()
        # One thread per run, and no spinning between runs: the model is called from several worker threads
        # at once in a burst of check-ins, and onnxruntime's spin-waiting threads would burn the cores the
        # event loop and the database writer need (seen in a profile of bench.burst).
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        options.log_severity_level = 3
        # Prepacked weights (a second, reordered copy of weight matrices) are kept: without them the bot held
        # some 7 MB less but a short note took about a third longer to read (measured), and every check-in
        # is read.
        # Loaded from its path, not from bytes read here: onnxruntime parsed a copy of the bytes while this
        # process still held them, 25 MB more at the peak of loading (measured). The hash above is of the same
        # file, inside the installed package.
        # The arena grows by what a run asks for and gives it back after each run: a long note's windows take
        # some 35 MB while read, and an arena that only grew kept that much per concurrent reader for good
        # (24 long notes at once, six read at a time, left the bot 243 MB larger; bench.model_memory).
        cpu = ("CPUExecutionProvider", {"arena_extend_strategy": "kSameAsRequested"})
        self.session = onnxruntime.InferenceSession(str(model_path), options, providers=[cpu])
        self.run_options = onnxruntime.RunOptions()
        self.run_options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def token_windows(self, text: str) -> list[list[int]]:
        ids = self.tokenizer.encode(text, add_special_tokens=False).ids
        return windows(
            ids, window=self.config.window, stride=self.config.stride, cls_id=self.cls_id, sep_id=self.sep_id
        )

    def probabilities(self, batch: list[list[int]]) -> np.ndarray:
        import numpy as np

        input_ids, mask = pad(batch)
        (logits,) = self.session.run(None, {"input_ids": input_ids, "attention_mask": mask}, self.run_options)
        return softmax(np.asarray(logits))

    def score(self, text: str) -> ModelScore:
        if not text.strip():
            return ModelScore(probability=0.0, kind=LABELS[1])
        return read_windows(self.probabilities(self.token_windows(text)))


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def shipped_model_dir() -> Path:
    return Path(str(resources.files("bot.data.safety") / "model"))


# glibc's mallopt parameter for the size from which a block gets its own mapping (freed straight back).
_M_MMAP_THRESHOLD = -3
_OWN_MAPPING_FROM = 256 * 1024


def _give_large_blocks_back() -> None:
    """Blocks of 256 KB and more get their own mapping, returned to the system when freed.

    The model's runs are the bot's only large, short-lived allocations (a long note's windows take tens of
    MB). glibc raises its threshold for such mappings after the first is freed, and from then on keeps
    freed run buffers in its heaps: a burst of long notes left the bot some 90 MB larger for good
    (bench.model_memory; +3 MB with the threshold fixed). Elsewhere than glibc this does nothing.
    """
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, _OWN_MAPPING_FROM)


@functools.cache
def load_shipped_model() -> CrisisModel | None:
    """The model inside the package, or None (the rules carry on alone) when it cannot be loaded here."""
    try:
        model = CrisisModel(shipped_model_dir())
        _give_large_blocks_back()
        return model
    except ImportError:
        log.warning("onnxruntime or tokenizers is not installed: spotting crisis language with the rules alone")
    except Exception as error:  # a broken or missing file must not stop the bot; the rules still work
        log.warning("The crisis model could not be loaded (%s): using the rules alone", type(error).__name__)
    return None
