"""The crisis corpus: its size, its three parts kept apart (no near-duplicates across them), its format."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from training.crisis.corpus import NEAR_DUPLICATE_SIMILARITY, PARTS, Example, load_part, near_duplicates

PARTS_LOADED = {part: load_part(part) for part in PARTS}


def test_the_corpus_is_big_enough_and_split_as_promised() -> None:
    sizes = {part: len(examples) for part, examples in PARTS_LOADED.items()}
    print(f"corpus sizes: {sizes}, total {sum(sizes.values())}")
    assert sum(sizes.values()) >= 3000
    assert sizes["sealed"] >= 800
    assert sum(not e.crisis for e in PARTS_LOADED["validation"]) >= 500
    for part, examples in PARTS_LOADED.items():
        languages = Counter(e.lang for e in examples)
        assert languages["es"] >= 100, (part, languages)
        kinds = Counter(e.kind for e in examples)
        assert all(kinds[kind] >= 15 for kind in ("suicide", "self_harm", "overdose", "danger")), (part, kinds)


def test_no_text_is_repeated_within_a_part() -> None:
    from training.crisis.corpus import same_text_key

    for part, examples in PARTS_LOADED.items():
        counts = Counter(same_text_key(e.text) for e in examples)
        repeated = [text for text, count in counts.items() if count > 1]
        assert not repeated, (part, repeated[:5])


@pytest.mark.parametrize(("first", "second"), [("train", "validation"), ("train", "sealed"), ("validation", "sealed")])
def test_parts_share_no_near_duplicates(first: str, second: str) -> None:
    pairs = near_duplicates(PARTS_LOADED[first], PARTS_LOADED[second])
    # Only counts and places are shown: the sealed part's texts are not for reading while tuning.
    assert not pairs, (
        f"{len(pairs)} pairs at cosine >= {NEAR_DUPLICATE_SIMILARITY}: {[(i, j) for i, j, _ in pairs][:10]}"
    )


def test_the_near_duplicate_check_finds_small_edits_and_spares_different_texts() -> None:
    def example(text: str) -> Example:
        return Example(text, "none", "en", "test")

    left = [example("I don't want to be alive anymore."), example("walked the dog, made soup, early night")]
    right = [example("i dont want to be alive anymore"), example("the new season drops friday and im hyped")]
    assert [(i, j) for i, j, _ in near_duplicates(left, right)] == [(0, 0)]


def test_a_malformed_line_is_reported_with_its_place(tmp_path: Path) -> None:
    (tmp_path / "train").mkdir()
    (tmp_path / "train" / "bad.jsonl").write_text('{"text": "fine", "kind": "none", "lang": "en"}\n{"text": "x"}\n')
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        load_part("train", corpus_dir=tmp_path, legacy_dir=tmp_path)
