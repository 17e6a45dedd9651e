"""The labelled crisis-language corpus: its three parts, its sources, and the near-duplicate check between them."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CORPUS_DIR = Path(__file__).with_name("data")
LEGACY_DIR = Path(__file__).resolve().parents[2] / "tests" / "services"
KINDS = ("suicide", "self_harm", "overdose", "danger")
LABELS = ("none", *KINDS)
# A crisis text from the older hand-written sets, whose kind was never recorded.
UNKNOWN_KIND = "crisis"
PARTS = ("train", "validation", "sealed")

# The older sets from the rule-based detector's work. All of them shaped rules except crisis_final, which
# nothing was tuned on: it joins the validation part, the others the training part.
LEGACY_SOURCES = {
    "train": ("crisis_cases.toml", "crisis_holdout.toml", "crisis_fresh.toml", "crisis_unseen.toml"),
    "validation": ("crisis_final.toml",),
    "sealed": (),
}

# Older texts left out of the corpus because they nearly repeat a text of another part.
LEGACY_EXCLUDED = frozenset({"im done. i dont want to be alive anymore"})  # ~ crisis_final.toml

# Two texts in different parts are near-duplicates when the cosine similarity of their character-trigram
# counts (after normalising case, accents, punctuation and spaces) is at least this.
NEAR_DUPLICATE_SIMILARITY = 0.9


@dataclass(frozen=True)
class Example:
    """One labelled text: `kind` is "none", one of KINDS, or UNKNOWN_KIND for an older set's crisis."""

    text: str
    kind: str
    lang: str
    source: str

    @property
    def crisis(self) -> bool:
        return self.kind != "none"


def _read_jsonl(path: Path) -> list[Example]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        row = json.loads(line)
        if set(row) != {"text", "kind", "lang"} or row["kind"] not in LABELS or row["lang"] not in ("en", "es"):
            raise ValueError(f"{path.name}:{number}: expected text, kind (one of {LABELS}) and lang (en or es)")
        if not isinstance(row["text"], str) or not 0 < len(row["text"]) <= 2000:
            raise ValueError(f"{path.name}:{number}: text must be 1 to 2000 characters")
        examples.append(Example(row["text"], row["kind"], row["lang"], path.name))
    return examples


def _read_legacy(path: Path) -> list[Example]:
    cases = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
    return [
        Example(case["text"], case.get("kind", UNKNOWN_KIND) if case["crisis"] else "none", "en", path.name)
        for case in cases
        if case["text"].strip() and case["text"] not in LEGACY_EXCLUDED
    ]


def load_part(part: str, *, corpus_dir: Path = CORPUS_DIR, legacy_dir: Path = LEGACY_DIR) -> list[Example]:
    """Every example of one part, in a stable order (files by name, lines in order)."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}")
    examples: list[Example] = []
    for path in sorted((corpus_dir / part).glob("*.jsonl")):
        examples.extend(_read_jsonl(path))
    for name in LEGACY_SOURCES[part]:
        if (legacy_dir / name).exists():
            examples.extend(_read_legacy(legacy_dir / name))
    # Sets written apart sometimes hold the same short text ("ok", "i wanna die"): it counts once.
    seen: set[str] = set()
    unique = []
    for example in examples:
        key = same_text_key(example.text)
        if key not in seen:
            seen.add(key)
            unique.append(example)
    return unique


def same_text_key(text: str) -> str:
    """Two texts are the same text when they differ only in case and spacing."""
    return " ".join(text.lower().split())


def corpus_hash(corpus_dir: Path = CORPUS_DIR, legacy_dir: Path = LEGACY_DIR) -> str:
    """SHA-256 over every source file of every part, so a model card names the exact data it came from."""
    digest = hashlib.sha256()
    for part in PARTS:
        paths = sorted((corpus_dir / part).glob("*.jsonl")) + [legacy_dir / n for n in LEGACY_SOURCES[part]]
        for path in paths:
            digest.update(f"{part}/{path.name}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def normalise_for_comparison(text: str) -> str:
    """Lowercase, without accents, punctuation or repeated spaces: what two copies of a text share."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


_TRIGRAM_DIMENSIONS = 1 << 14


def _trigram_vectors(texts: Iterable[str]) -> np.ndarray:
    rows = []
    for text in texts:
        padded = f"  {normalise_for_comparison(text)} "
        vector = np.zeros(_TRIGRAM_DIMENSIONS, dtype=np.float32)
        for i in range(len(padded) - 2):
            key = hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest()
            vector[int.from_bytes(key, "little") % _TRIGRAM_DIMENSIONS] += 1.0
        norm = float(np.linalg.norm(vector))
        rows.append(vector / norm if norm else vector)
    return np.stack(rows) if rows else np.zeros((0, _TRIGRAM_DIMENSIONS), dtype=np.float32)


def near_duplicates(
    left: list[Example], right: list[Example], threshold: float = NEAR_DUPLICATE_SIMILARITY
) -> list[tuple[int, int, float]]:
    """Pairs (index in left, index in right, similarity) at or above the threshold."""
    if not left or not right:
        return []
    right_vectors = _trigram_vectors(e.text for e in right)
    found: list[tuple[int, int, float]] = []
    for start in range(0, len(left), 512):
        block = _trigram_vectors(e.text for e in left[start : start + 512])
        similarity = block @ right_vectors.T
        for i, j in zip(*np.nonzero(similarity >= threshold), strict=True):
            found.append((start + int(i), int(j), float(similarity[i, j])))
    return found
