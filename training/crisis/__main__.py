"""`python -m training.crisis check|train|export`: the corpus check, seeded fine-tuning, and the shipped model."""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from training.crisis.corpus import PARTS, corpus_hash, load_part, near_duplicates


def check(_: argparse.Namespace) -> int:
    parts = {part: load_part(part) for part in PARTS}
    for part, examples in parts.items():
        by = Counter((e.lang, "crisis" if e.crisis else "none") for e in examples)
        sources = Counter(e.source for e in examples)
        print(f"{part}: {len(examples)} texts; " + ", ".join(f"{k[0]} {k[1]} {v}" for k, v in sorted(by.items())))
        print("   sources: " + ", ".join(f"{name} {count}" for name, count in sorted(sources.items())))
    problems = 0
    for first, second in (("train", "validation"), ("train", "sealed"), ("validation", "sealed")):
        pairs = near_duplicates(parts[first], parts[second])
        problems += len(pairs)
        print(f"near-duplicates {first} x {second}: {len(pairs)}")
    return 1 if problems else 0


def train_command(args: argparse.Namespace) -> int:
    import torch

    from training.crisis.train import TrainSettings, base_model_dir, load_tokenizer, predict, train

    settings = TrainSettings(
        seed=args.seed,
        layers=args.layers,
        epochs=args.epochs,
        learning_rate=args.learning_rate,
        freeze_encoder=args.freeze,
        buried=args.buried,
    )
    started = time.monotonic()
    model = train(load_part("train"), settings)
    print(f"trained in {time.monotonic() - started:.0f} s")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out / "weights.pt")
    (out / "settings.json").write_text(json.dumps(dataclasses.asdict(settings), indent=2))
    validation = load_part("validation")
    scores = predict(model, load_tokenizer(base_model_dir()), [e.text for e in validation], settings)
    np.save(out / "validation_scores.npy", scores)
    crisis = np.array([e.crisis for e in validation])
    for budget in (0.01, 0.02, 0.03):
        calm = np.sort(scores[~crisis, 0])[::-1]
        threshold = calm[int(budget * len(calm))]
        recall = float((scores[crisis, 0] > threshold).mean())
        print(
            f"validation, model alone: recall {recall:.3f} at false positives {budget:.2f} (threshold {threshold:.3f})"
        )
    return 0


def export_command(args: argparse.Namespace) -> int:
    import torch

    from bot.services.crisis_detector import CrisisDetector
    from bot.services.crisis_model import CONFIG_FILE, MODEL_FILE, TOKENIZER_FILE, CrisisModel
    from training.crisis.card import write_card
    from training.crisis.metrics import choose_thresholds
    from training.crisis.train import Classifier, TrainSettings, base_model_dir, build_model, export_onnx

    run = Path(args.run)
    settings = TrainSettings(**json.loads((run / "settings.json").read_text()))
    model: Classifier = build_model(dataclasses.replace(settings, freeze_encoder=False))
    model.load_state_dict(torch.load(run / "weights.pt"))
    model.eval()
    target = Path(args.to)
    target.mkdir(parents=True, exist_ok=True)
    export_onnx(model, target / MODEL_FILE)
    shutil.copy(base_model_dir() / TOKENIZER_FILE, target / TOKENIZER_FILE)
    digest = hashlib.sha256((target / MODEL_FILE).read_bytes()).hexdigest()
    config = {
        "labels": ["none", "suicide", "self_harm", "overdose", "danger"],
        "window": settings.window,
        "stride": settings.stride,
        "thresholds": {"now": 1.0, "worried": 1.0, "rules_confirm": 1.0, "rules_confirm_now": 1.0, "dark": 1.0},
        "sha256": digest,
    }
    (target / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")
    # Thresholds are read off the shipped int8 model's own scores on the validation part, never the sealed one.
    runtime = CrisisModel(target)
    rules_only = CrisisDetector(None)
    validation = load_part("validation")
    probability = np.array([runtime.score(e.text).probability for e in validation])
    rules = [rules_only.assess(e.text) for e in validation]
    chosen = choose_thresholds(
        probability,
        np.array([r.tier == "now" for r in rules]),
        np.array([r.tier is not None for r in rules]),
        np.array([e.crisis for e in validation]),
    )
    config["thresholds"] = chosen.as_dict()
    (target / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")
    print(f"thresholds chosen on validation: {config['thresholds']}")
    if args.skip_card:
        print("no model card written (--skip-card): the sealed part was not scored")
        return 0
    write_card(target, settings=dataclasses.asdict(settings), data_hash=corpus_hash())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.crisis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="corpus sizes and the near-duplicate check between parts")
    train_parser = commands.add_parser("train", help="fine-tune on the training part (needs the train extra)")
    train_parser.add_argument("--seed", type=int, default=13)
    train_parser.add_argument("--layers", type=int, default=6)
    train_parser.add_argument("--epochs", type=int, default=4)
    train_parser.add_argument("--learning-rate", type=float, default=1e-4)
    train_parser.add_argument(
        "--buried", type=int, default=0, help="pairs of long notes made by burying a crisis text among calm ones"
    )
    train_parser.add_argument("--freeze", action="store_true", help="train the head only, on frozen sentence vectors")
    train_parser.add_argument("--out", required=True, help="folder for the weights and validation scores")
    export_parser = commands.add_parser("export", help="int8 ONNX, thresholds from validation, model card")
    export_parser.add_argument("--run", required=True, help="a folder written by train")
    export_parser.add_argument(
        "--skip-card", action="store_true", help="a trial export: thresholds only, the sealed part left unscored"
    )
    export_parser.add_argument("--to", default=str(Path(__file__).resolve().parents[2] / "bot/data/safety/model"))
    args = parser.parse_args(argv)
    handler = {"check": check, "train": train_command, "export": export_command}[args.command]
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
