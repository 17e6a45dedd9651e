"""The systemd unit in deploy/ is one systemd accepts, pointed at the command an install provides."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parent.parent / "deploy" / "lantern.service"


def test_the_systemd_unit_verifies(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here, so the unit cannot be checked")
    lantern = Path(sys.executable).parent / "lantern"
    assert lantern.exists(), "the install provides a `lantern` command beside python"
    text = UNIT.read_text(encoding="utf-8")
    assert "ExecStart=/opt/lantern/bin/lantern run" in text
    # The same unit, with the command this test's install provides instead of /opt/lantern's.
    checked = tmp_path / "lantern.service"
    checked.write_text(text.replace("/opt/lantern/bin/lantern", str(lantern)), encoding="utf-8")
    result = subprocess.run([analyze, "verify", str(checked)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_the_systemd_template_for_several_processes_verifies(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here, so the unit cannot be checked")
    lantern = Path(sys.executable).parent / "lantern"
    text = (UNIT.parent / "lantern@.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/lantern/bin/lantern run --shards %i" in text
    template = tmp_path / "lantern@.service"
    template.write_text(text.replace("/opt/lantern/bin/lantern", str(lantern)), encoding="utf-8")
    # A template is verified through an instance of it: the instance name is the range of shards.
    instance = tmp_path / "lantern@0-3.service"
    instance.symlink_to(template)
    result = subprocess.run([analyze, "verify", str(instance)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
