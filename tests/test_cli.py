"""The command line: every subcommand's help, keygen, migrate, backup, and clean configuration errors."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from discord_standin.spec import SPEC_PATH_VARIABLE, default_spec_path

ROOT = Path(__file__).resolve().parent.parent


def environment(env: dict[str, str] | None) -> dict[str, str]:
    unset = ("DISCORD_TOKEN", "LANTERN_SECRET_KEY", "DATABASE_URL", SPEC_PATH_VARIABLE)
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean["PYTHONPATH"] = str(ROOT)
    clean.update(env or {})
    return clean


def lantern(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    clean = environment(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("command", ["run", "sandbox", "migrate", "keygen", "rotate-key", "sync-commands", "backup"])
def test_every_subcommand_has_help(tmp_path: Path, command: str) -> None:
    result = lantern(command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "usage:" in result.stdout


def test_keygen_prints_a_working_key(tmp_path: Path) -> None:
    result = lantern("keygen", cwd=tmp_path)
    assert result.returncode == 0
    Fernet(result.stdout.strip().encode())


def test_a_bad_setting_exits_2_with_one_line(tmp_path: Path) -> None:
    result = lantern("migrate", cwd=tmp_path, env={"LOG_LEVEL": "LOUD"})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "LOG_LEVEL" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_setting_in_dotenv_is_reported(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DATABASE_URL=mysql://nope\n")
    result = lantern("migrate", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "lantern: DATABASE_URL must start with sqlite:/// or postgresql://"


def test_run_without_a_token_says_what_to_do(tmp_path: Path) -> None:
    result = lantern("run", cwd=tmp_path, env={"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert result.returncode == 2
    assert "DISCORD_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_key_is_not_echoed(tmp_path: Path) -> None:
    result = lantern("run", cwd=tmp_path, env={"LANTERN_SECRET_KEY": "hunter2-secret-value"})
    assert result.returncode == 2
    assert "hunter2-secret-value" not in result.stderr + result.stdout
    assert "LANTERN_SECRET_KEY" in result.stderr


def test_migrate_then_backup_holds_the_same_rows(tmp_path: Path) -> None:
    database = tmp_path / "lantern.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}"}
    migrated = lantern("migrate", cwd=tmp_path, env=env)
    assert migrated.returncode == 0, migrated.stderr
    assert "revision" in migrated.stdout
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO communities (id, timezone, created_at) VALUES (1, 'UTC', '2026-01-01 00:00:00')"
        )
    copy = tmp_path / "copy.sqlite3"
    backed_up = lantern("backup", str(copy), cwd=tmp_path, env=env)
    assert backed_up.returncode == 0, backed_up.stderr
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT id, timezone FROM communities").fetchall() == [(1, "UTC")]
    again = lantern("backup", str(copy), cwd=tmp_path, env=env)
    assert again.returncode == 2
    assert "exists" in again.stderr


def test_the_sandbox_demo_runs_a_checkin_from_a_script(tmp_path: Path) -> None:
    script = tmp_path / "demo.txt"
    script.write_text("as alice: /checkin\n4\n0\ntired\nsandbox-demo-note\nas alice: /history\nquit\n")
    result = lantern(
        "sandbox",
        "--script",
        str(script),
        cwd=tmp_path,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"},
    )
    assert result.returncode == 0, result.stderr
    assert "Lantern is running against the sandbox" in result.stdout
    assert "Thanks for checking in." in result.stdout
    assert "sandbox-demo-note" in result.stdout  # alice's own history shows her note to her
    assert "sandbox-demo-note" not in result.stderr  # and nothing she wrote is logged
    assert (tmp_path / "data" / "sandbox.key").is_file()  # under ./data where it was run, made on demand


VALIDATION_OFF = "Note: request validation is off."


def _sandbox_session(tmp_path: Path, *spec: str, env: dict[str, str] | None = None) -> str:
    script = tmp_path / "tip.txt"
    script.write_text("as alice: /tip\nquit\n")
    result = lantern("sandbox", "--script", str(script), *spec, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def test_the_sandbox_says_once_that_validation_is_off_without_the_spec(tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "openapi.json"
    for output in (
        _sandbox_session(tmp_path, "--spec", str(missing)),
        _sandbox_session(tmp_path, env={SPEC_PATH_VARIABLE: str(missing)}),
    ):
        assert output.count(VALIDATION_OFF) == 1, output
        assert f"Discord's OpenAPI description was not found at {missing}" in output
        assert "pass --spec PATH" in output and SPEC_PATH_VARIABLE in output
        assert "Lantern is running against the sandbox" in output  # and it went on all the same


def test_the_sandbox_checks_requests_against_the_spec_it_is_given(tmp_path: Path) -> None:
    spec = default_spec_path()
    if not spec.is_file():
        pytest.skip(f"Discord's OpenAPI description was not found at {spec}")
    output = _sandbox_session(tmp_path, "--spec", str(spec), env={SPEC_PATH_VARIABLE: str(tmp_path / "nope.json")})
    assert VALIDATION_OFF not in output


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT])
def test_the_sandbox_serves_without_the_terminal_until_stopped(tmp_path: Path, stop_with: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "sandbox", "--port", "0", "--no-terminal"],
        cwd=tmp_path,
        env=environment({"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        # Whatever is typed is not read: "quit" would end a terminal demo at once.
        process.stdin.write("quit\n")
        process.stdin.flush()
        lines = [process.stdout.readline() for _ in range(3)]
        page = re.search(r"Open (http://127\.0\.0\.1:(\d+)/) in your browser", lines[1])
        assert page is not None, lines
        assert lines[2].startswith("Serving until you press Ctrl-C")
        time.sleep(1)
        assert process.poll() is None
        with pytest.raises(urllib.error.HTTPError) as refused:  # the stand-in's API, asking for its token
            urllib.request.urlopen(f"{page.group(1)}api/v10/users/@me", timeout=5)
        assert refused.value.code == 401
        process.send_signal(stop_with)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out.strip().endswith("Bye for now.")
    assert "Traceback" not in err


def test_rotate_key_rewrites_old_rows_and_old_keys_can_go(tmp_path: Path) -> None:
    import asyncio
    from datetime import UTC, date, datetime

    from bot.storage.database import Database
    from bot.storage.models import CheckinContent

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    url = f"sqlite:///{tmp_path / 'rotate.sqlite3'}"

    async def save_and_read(keys: list[str], save: bool) -> list[str]:
        db = await Database.open(url, keys)
        try:
            if save:
                for day in range(1, 4):
                    content = CheckinContent(mood=3, cravings=1, halt=frozenset(), note=f"rotation note {day}")
                    await db.checkins.save_for_day(1, 2, date(2026, 3, day), content, datetime.now(UTC))
                now = datetime.now(UTC)
                await db.outbox.add(1, "alert", 3, "<@2> asked for support", now=now, give_up_at=now)
            return sorted(c.content.note for c in await db.checkins.recent(1, 2))
        finally:
            await db.close()

    asyncio.run(save_and_read([old], save=True))
    env = {"DATABASE_URL": url, "LANTERN_SECRET_KEY": f"{new},{old}"}
    first = lantern("rotate-key", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "Re-encrypted 3 check-ins" in first.stdout and "dates and 1 waiting messages" in first.stdout
    again = lantern("rotate-key", cwd=tmp_path, env=env)
    assert "Re-encrypted 0 check-ins" in again.stdout and "dates and 0 waiting messages" in again.stdout
    assert asyncio.run(save_and_read([new], save=False)) == ["rotation note 1", "rotation note 2", "rotation note 3"]
    assert old not in first.stdout + first.stderr and new not in first.stdout + first.stderr


def test_rotate_key_runs_once_across_processes_and_says_so_when_another_is_running(tmp_path: Path) -> None:
    import asyncio
    from datetime import UTC, datetime

    from bot.cli import ROTATE_LEASE, ROTATE_LEASE_TIME
    from bot.storage.database import Database

    key = Fernet.generate_key().decode()
    url = f"sqlite:///{tmp_path / 'rotate.sqlite3'}"

    async def lease(take: bool) -> None:
        db = await Database.open(url, [key])
        try:
            if take:
                assert await db.leases.acquire(
                    ROTATE_LEASE, "rotate-key:elsewhere:1", datetime.now(UTC), ROTATE_LEASE_TIME
                )
            else:
                await db.leases.release(ROTATE_LEASE, "rotate-key:elsewhere:1")
        finally:
            await db.close()

    env = {"DATABASE_URL": url, "LANTERN_SECRET_KEY": key}
    asyncio.run(lease(take=True))
    refused = lantern("rotate-key", cwd=tmp_path, env=env)
    assert refused.returncode == 2
    assert "another rotate-key is running (rotate-key:elsewhere:1)" in refused.stderr
    assert "Re-encrypted" not in refused.stdout
    asyncio.run(lease(take=False))
    done = lantern("rotate-key", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "Re-encrypted 0 check-ins" in done.stdout
    # Its own lease was given back: a second run goes ahead too.
    assert lantern("rotate-key", cwd=tmp_path, env=env).returncode == 0
