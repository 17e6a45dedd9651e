"""The end of an end-to-end run: how many hostile inputs each command was fed (for the closing note)."""

from __future__ import annotations

import sys

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    module = sys.modules.get("tests.e2e.test_hostile_input")
    counts = getattr(module, "COUNTS", None)
    if not counts:
        return
    crisis = getattr(module, "READ_AS_CRISIS", {})
    width = max(len(command) for command in counts)
    terminalreporter.section("hostile inputs per command")
    terminalreporter.write_line(f"{'command':<{width}}  inputs  read as crisis language")
    for command in sorted(counts):
        terminalreporter.write_line(f"{command:<{width}}  {counts[command]:>6}  {crisis.get(command, 0):>6}")
    total, read = sum(counts.values()), sum(crisis.values())
    terminalreporter.write_line(f"{'total':<{width}}  {total:>6}  {read:>6}")
