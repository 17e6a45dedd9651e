"""Lantern reads its shipped data through importlib.resources and writes only under ./data, from any folder."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest

import bot
from bot.config import DEFAULT_DATABASE_URL
from bot.services.resources import load_resources
from bot.services.tip_library import load_library
from bot.storage.engine import sqlite_path

TIPS = """
[situations.craving]
name = "Craving"
description = "A pull toward using."

[[tip]]
id = "from-the-package"
title = "Read from the package"
body = "This tip was read through importlib.resources."
situations = ["craving"]
minutes = 2
source = "Test"
"""

RESOURCES = """
[regions.INTL]
name = "Read from the package"
emergency = "your local emergency number"

[[regions.INTL.lines]]
name = "Find A Helpline"
kind = "crisis"
url = "https://findahelpline.com"
source = "https://findahelpline.com"
checked = "2026-11-28"
"""


def test_the_data_package_is_the_one_imported_not_a_folder_beside_it() -> None:
    assert Path(str(files("bot.data"))) == Path(bot.__file__).parent / "data"
    for name in ("tips.toml", "resources.toml"):
        assert files("bot.data").joinpath(name).is_file(), name


def _package_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, name: str, text: str) -> list[str]:
    """Stand a folder holding `name` in for the installed bot.data; returns the anchors asked for."""
    package = tmp_path / "package"
    package.mkdir()
    (package / name).write_text(text, encoding="utf-8")
    asked: list[str] = []

    def fake_files(anchor: str) -> Path:
        asked.append(anchor)
        return package

    monkeypatch.setattr(f"{module}.files", fake_files)
    return asked


def test_the_tips_are_read_through_importlib_resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _package_with(tmp_path, monkeypatch, "bot.services.tip_library", "tips.toml", TIPS)
    assert [tip.id for tip in load_library().tips] == ["from-the-package"]
    assert asked == ["bot.data"]


def test_the_resources_are_read_through_importlib_resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _package_with(tmp_path, monkeypatch, "bot.services.resources", "resources.toml", RESOURCES)
    assert load_resources().regions == {"INTL": "Read from the package"}
    assert asked == ["bot.data"]


def test_the_shipped_files_load_from_any_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert len(load_library().tips) >= 60
    assert "INTL" in load_resources().regions
    assert list(tmp_path.iterdir()) == []  # reading writes nothing


def test_the_default_database_lives_under_data_in_the_working_folder() -> None:
    path = sqlite_path(DEFAULT_DATABASE_URL)
    assert path == Path("data") / "lantern.sqlite3"
    assert not path.is_absolute()


def test_nothing_in_lantern_reaches_for_the_source_tree() -> None:
    """Run-time code finds its files through the package, never through folders above it."""
    package = Path(bot.__file__).parent
    reaching_up = re.compile(r"PROJECT_ROOT|\.parents\[|\.parent\.parent|\"\.\./")
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if reaching_up.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
