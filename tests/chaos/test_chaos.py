"""A short chaos run: faults, gateway trouble and SIGKILLs of the real bot process lose and double nothing."""

from __future__ import annotations

from pathlib import Path

from bench.chaos import run_chaos


async def test_a_short_chaos_run_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    tally = await run_chaos(1.5, members=10, seed=5, kill_every=8.0, workdir=tmp_path)
    print("\n" + tally.table())
    # The run did what it says: faults of several kinds, kills, prompts due, check-ins thanked, /forget done.
    assert len(tally.faults) >= 4 and tally.kills >= 5
    assert tally.prompts_expected >= 8 * 1 and tally.checkins_acknowledged >= 3
    assert tally.forgets_acknowledged >= 1
    log = (tmp_path / "bot.log").read_text(errors="replace")[-4000:]
    assert tally.prompts_lost == 0, log
    assert tally.prompts_doubled == 0, log
    assert tally.checkins_lost == 0, log
    assert tally.half_done_deletions == 0, log
    assert tally.partner_welcomes_doubled == 0 and tally.partner_welcomes_missing == 0, log
