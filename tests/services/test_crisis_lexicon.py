"""The crisis detector's lexicon files: the shipped ones load, and a broken one says what is wrong and where."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

from bot.services.crisis_lexicon import (
    CUE_CATEGORIES,
    CUES_FILE,
    FILE_NAMES,
    FRAGMENTS_FILE,
    KINDS,
    PATTERNS_FILE,
    RISK_FAMILIES,
    RISK_FILE,
    WORDS_FILE,
    load_lexicon,
    load_lexicon_from,
    parse_lexicon,
)

SHIPPED = files("bot.data.safety")


def _shipped_texts() -> dict[str, str]:
    return {name: (SHIPPED / name).read_text(encoding="utf-8") for name in FILE_NAMES}


def _copy_with(tmp_path: Path, additions: dict[str, str]) -> Path:
    """The shipped files in tmp_path, with TOML appended to some of them."""
    for name, text in _shipped_texts().items():
        (tmp_path / name).write_text(text + additions.get(name, ""), encoding="utf-8")
    return tmp_path


def _line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if line.strip() == needle)


def _problems(error: pytest.ExceptionInfo[ValueError]) -> list[str]:
    return [line.strip() for line in str(error.value).splitlines()[1:]]


# --- the shipped files -----------------------------------------------------------------------------


def test_shipped_files_load_with_every_kind_category_and_family() -> None:
    lexicon = load_lexicon()
    assert set(lexicon.patterns) == set(KINDS)
    assert all(lexicon.patterns[kind] for kind in KINDS)
    assert {category for category, _ in lexicon.cues} >= set(CUE_CATEGORIES)
    assert {sign.family for sign in lexicon.risk_signs} == set(RISK_FAMILIES)
    assert lexicon.dampers
    assert lexicon.pairs
    assert lexicon.word_fixes["kms"] == "kill myself"


def test_fragments_are_filled_in_everywhere() -> None:
    lexicon = load_lexicon()
    regexes = [
        *(regex for patterns in lexicon.patterns.values() for regex in patterns),
        *(regex for _, regex in lexicon.cues),
        *(sign.regex for sign in lexicon.risk_signs),
        *(damper.regex for damper in lexicon.dampers),
        *(pair.unless for pair in lexicon.pairs if pair.unless is not None),
        lexicon.person,
    ]
    leftovers = [regex.pattern for regex in regexes if re.search(r"(?<!\\)\{[a-z_]+\}", regex.pattern)]
    assert leftovers == []
    # A fragment that uses another has it filled in too.
    assert "oxycodone" in lexicon.fragments["substance"]


def test_shipped_files_are_package_data_and_open_with_a_comment_for_reviewers() -> None:
    for name in FILE_NAMES:
        text = (SHIPPED / name).read_text(encoding="utf-8")
        assert text.startswith("# "), name
        tomllib.loads(text)


def test_the_lexicon_is_read_once() -> None:
    assert load_lexicon() is load_lexicon()


def test_importing_the_detector_is_quick() -> None:
    """Reading, checking and compiling the lexicon happens at import: it must not slow the bot's start."""
    script = "import time; start = time.perf_counter(); import bot.services.crisis; print(time.perf_counter() - start)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert float(result.stdout) < 3.0


# --- broken files ----------------------------------------------------------------------------------

BROKEN_PATTERNS = """
[[suicde]]
id = "kind-with-a-typo"
regex = '\\bgoodbye\\b'

[[suicide]]
id = "fragment-with-a-typo"
regex = '\\btook all my {medicne}\\b'

[[suicide]]
id = "does-not-compile"
regex = ['\\b(?:want|need) to ', '(die\\b']

[[suicide]]
id = "key-with-a-typo"
regx = '\\bgoodbye\\b'

[[overdose]]
id = "twice"
regex = '\\bone\\b'

[[danger]]
id = "twice"
regex = '\\btwo\\b'
"""

BROKEN_RISK = """
[[signs.meanz]]
id = "family-with-a-typo"
kind = "suicide"
weight = 2
regex = '\\brope\\b'

[[signs.means]]
id = "kind-and-weight-wrong"
kind = "suicidal"
weight = "2"
regex = '\\brope\\b'
"""

BROKEN_CUES = """
[[cues.despare]]
id = "category-with-a-typo"
regex = '\\bno hope$'

[[pairs]]
kind = "suicide"
sign = "errand"
partners = ["calmm"]
"""

BROKEN_FRAGMENTS = """
loop_one = '(?:a|{loop_two})'
loop_two = '(?:b|{loop_one})'
unclosed = '(?:a|b'
"""

BROKEN_WORDS = """
spelling = ["colour"]
"""


def test_a_broken_lexicon_reports_every_problem_with_its_file_and_place(tmp_path: Path) -> None:
    directory = _copy_with(
        tmp_path,
        {
            PATTERNS_FILE: BROKEN_PATTERNS,
            RISK_FILE: BROKEN_RISK,
            CUES_FILE: BROKEN_CUES,
            FRAGMENTS_FILE: BROKEN_FRAGMENTS,
            WORDS_FILE: BROKEN_WORDS,
        },
    )
    with pytest.raises(ValueError) as error:
        load_lexicon_from(directory)
    problems = _problems(error)
    patterns = directory / PATTERNS_FILE
    risk = directory / RISK_FILE
    cues = directory / CUES_FILE
    fragments = directory / FRAGMENTS_FILE
    words = directory / WORDS_FILE

    def reported(file: Path, needle: str, *parts: str) -> None:
        line = _line_of(file, needle)
        matching = [problem for problem in problems if problem.startswith(f"{file.name} line {line}:")]
        assert any(all(part in problem for part in parts) for problem in matching), (needle, parts, problems)

    # Unknown kinds, fragments and keys, a regex that does not compile, an id used twice.
    reported(patterns, "[[suicde]]", "suicde", "unknown kind 'suicde'")
    reported(patterns, 'id = "fragment-with-a-typo"', "regex", "unknown fragment {medicne}")
    reported(patterns, 'id = "does-not-compile"', "regex", "does not compile", "missing )")
    reported(patterns, 'id = "key-with-a-typo"', "regx: unknown key")
    reported(patterns, 'id = "key-with-a-typo"', "regex: missing key")
    assert sum("id 'twice' is used more than once" in problem for problem in problems) == 2
    # The same for the risk signs and the cues.
    reported(risk, "[[signs.meanz]]", "unknown risk family 'meanz'")
    reported(risk, 'id = "kind-and-weight-wrong"', "kind", "unknown kind 'suicidal'")
    reported(risk, 'id = "kind-and-weight-wrong"', "weight", "integer")
    reported(cues, "[[cues.despare]]", "unknown cue category 'despare'")
    assert any(f"{cues.name} line " in problem and "unknown sign 'calmm'" in problem for problem in problems)
    # Fragments that use each other in a loop, or that do not compile.
    assert any(problem.startswith(f"{fragments.name} line ") and "uses itself" in problem for problem in problems)
    reported(fragments, "unclosed = '(?:a|b'", "fragment 'unclosed'", "does not compile")
    reported(words, 'spelling = ["colour"]', "typos.spelling: unknown key")
    # All of them at once, in one message.
    assert len(problems) >= 15
    assert str(error.value).startswith(f"the crisis lexicon has {len(problems)} problems:")


def test_text_that_is_not_toml_is_reported_with_its_line() -> None:
    texts = _shipped_texts()
    texts[CUES_FILE] += "\n[[cues.despair]\n"
    with pytest.raises(ValueError, match=r"cues_en\.toml: not valid TOML: .*line \d+"):
        parse_lexicon(texts)


def test_a_missing_file_is_reported() -> None:
    texts = _shipped_texts()
    del texts[RISK_FILE]
    with pytest.raises(ValueError, match=r"risk_en\.toml: file is missing"):
        parse_lexicon(texts)


def test_a_fix_may_only_name_groups_its_regex_has() -> None:
    texts = _shipped_texts()
    texts[WORDS_FILE] = texts[WORDS_FILE].replace(
        "phrase_fixes = [\n", "phrase_fixes = [\n    { find = '\\bi am\\b', replace = 'im \\1' },\n", 1
    )
    with pytest.raises(ValueError, match=r"line \d+: phrase_fixes entry 1: replace refers to group 1, but find has 0"):
        parse_lexicon(texts)


def test_an_empty_regex_is_refused() -> None:
    """An empty regex matches every text: it would put the crisis card under every message."""
    texts = _shipped_texts()
    texts[PATTERNS_FILE] += "\n[[suicide]]\nid = \"empty\"\nregex = ''\n"
    with pytest.raises(ValueError, match=r"\(id 'empty'\), regex: regex is empty"):
        parse_lexicon(texts)


def test_a_fragment_the_detector_needs_cannot_be_removed() -> None:
    texts = _shipped_texts()
    texts[FRAGMENTS_FILE] = re.sub(r"(?m)^laughed = .*$", "", texts[FRAGMENTS_FILE])
    with pytest.raises(ValueError, match=r"fragment 'laughed' is missing"):
        parse_lexicon(texts)


def test_the_shipped_text_parses_to_the_same_lexicon() -> None:
    parsed = parse_lexicon(_shipped_texts())
    shipped = load_lexicon()
    assert parsed.fragments == shipped.fragments
    assert [regex.pattern for _, regex in parsed.cues] == [regex.pattern for _, regex in shipped.cues]
