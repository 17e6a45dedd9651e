"""Without Discord's OpenAPI description the spec checks say they were skipped; they never pass unchecked."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from discord_standin.server import Sandbox
from discord_standin.spec import SPEC_PATH_VARIABLE, SpecValidator, default_spec_path
from tests.conftest import SPEC_UNCHECKED

ROOT = Path(__file__).resolve().parents[2]


def test_a_missing_spec_file_turns_validation_off_and_says_why(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    sandbox = Sandbox(spec_path=missing)
    assert sandbox.validator is None
    assert sandbox.validation_off == f"Discord's OpenAPI description was not found at {missing}"
    assert Sandbox(validate_spec=False).validation_off == "request validation was turned off (validate_spec=False)"


def test_the_spec_path_can_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere" / "openapi.json"
    monkeypatch.setenv(SPEC_PATH_VARIABLE, str(elsewhere))
    assert default_spec_path() == elsewhere
    assert SpecValidator.load() is None
    assert str(elsewhere) in (Sandbox().validation_off or "")
    monkeypatch.setenv(SPEC_PATH_VARIABLE, "")
    assert default_spec_path() != elsewhere


def test_without_the_file_the_check_is_recorded_as_skipped_not_passed(
    tmp_path: Path, spec_check: Callable[[Sandbox], None], request: pytest.FixtureRequest
) -> None:
    sandbox = Sandbox(spec_path=tmp_path / "missing.json")
    spec_check(sandbox)
    # Recorded for the end-of-run summary; taken out again, as this test turned the file off on purpose.
    assert SPEC_UNCHECKED.pop(request.node.nodeid) == sandbox.validation_off


def test_with_the_file_a_violation_fails_the_check(spec_check: Callable[[Sandbox], None]) -> None:
    sandbox = Sandbox()
    if sandbox.validation_off is not None:
        pytest.skip(sandbox.validation_off)
    sandbox.spec_violations.append("content: 'x' * 2001 is longer than 2000")
    with pytest.raises(AssertionError):
        spec_check(sandbox)


def _pytest(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", SPEC_PATH_VARIABLE)}
    test = "tests/discord_standin/test_sandbox.py::test_ready_brings_the_community_and_its_channels"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_pytest_prints_the_skipped_check_and_ci_refuses_to_run_without_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    alone = _pytest({SPEC_PATH_VARIABLE: str(missing)})
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert "Discord spec check skipped" in alone.stdout
    reason = f"Discord's OpenAPI description was not found at {missing}"
    assert f"1 test ran without checking requests against Discord's spec: {reason}." in alone.stdout
    in_ci = _pytest({SPEC_PATH_VARIABLE: str(missing), "CI": "true"})
    assert in_ci.returncode != 0
    assert f"CI is set, but Discord's OpenAPI description is not at {missing}" in in_ci.stdout + in_ci.stderr
