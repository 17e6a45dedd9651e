"""The terminal demo driven line by line: names and local times, show, the clock, files saved, new posts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.devtools.demo import Demo
from bot.devtools.demo_clock import DemoClock, demo_time_for, offer_demo_actions
from bot.devtools.demo_seed import seed_demo
from bot.devtools.harness import Harness
from discord_standin.server import Sandbox
from tests.conftest import running
from tests.devtools.test_demo_clock import START

SETUP = "as lee: /setup checkin_channel:check-ins timezone:Europe/London prompt_time:9am alert_channel:leaders"


class Keyboard:
    """Lines as a person types them: the test decides when each arrives; None is Ctrl-D."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()

    def type(self, *lines: str) -> None:
        for line in lines:
            self.queue.put_nowait(line)

    def __aiter__(self) -> Keyboard:
        return self

    async def __anext__(self) -> str:
        line = await self.queue.get()
        if line is None:
            raise StopAsyncIteration
        return line


class Terminal:
    """A Demo on the harness, reading from a Keyboard and printing into a list."""

    def __init__(self, harness: Harness, clock: DemoClock, root: Path) -> None:
        self.keyboard = Keyboard()
        self.printed: list[str] = []
        demo_time = demo_time_for(harness, clock)
        offer_demo_actions(harness.sandbox, demo_time)
        self.demo = Demo(harness, self.keyboard, root=root, demo_time=demo_time, out=self.printed.append)

    @property
    def text(self) -> str:
        return "\n".join(self.printed)

    async def session(self, *lines: str) -> str:
        """Type the lines and quit; what the terminal printed after its help text."""
        self.keyboard.type(*lines, "quit")
        await self.demo.run()
        return self.text.split("What the bot posts is printed as it arrives.", 1)[1]

    async def until_printed(self, text: str, timeout: float = 5.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while text not in self.text:
            assert loop.time() < deadline, f"{text!r} never printed; got:\n{self.text}"
            await asyncio.sleep(0.02)


@pytest.fixture
def demo_clock() -> DemoClock:
    return DemoClock(lambda: START)


@pytest.fixture
async def lantern_demo(
    database_url: str, secret_key: str, demo_clock: DemoClock, spec_check: Callable[[Sandbox], None]
) -> AsyncIterator[Harness]:
    async for harness in running(Harness(database_url, [secret_key], clock=demo_clock, run_timers=False), spec_check):
        yield harness


@pytest.fixture
def terminal(lantern_demo: Harness, demo_clock: DemoClock, tmp_path: Path) -> Terminal:
    return Terminal(lantern_demo, demo_clock, tmp_path)


async def test_names_and_local_times_instead_of_codes(terminal: Terminal) -> None:
    out = await terminal.session(
        "as lee: /setup checkin_channel:check-ins timezone:Asia/Tokyo prompt_time:9am alert_channel:leaders "
        'leader_role:"Peer leader"',
        "as lee: /schedule add name:evening days:daily time:8pm",
        "as alice: /pause days:3",
    )
    assert "• Check-ins post in #check-ins" in out
    assert "• Leaders: @Peer leader" in out
    assert "• Alerts go to #leaders" in out
    # 07:00 UTC is 16:00 in Tokyo: the evening schedule's first prompt is at 20:00 there, today.
    assert "Next one: Tuesday 10 March 2026 20:00." in out
    assert "No prompts or reminders until 13 March 2026." in out
    assert "<#" not in out and "<@" not in out and "<t:" not in out


async def test_the_clock_commands(terminal: Terminal) -> None:
    out = await terminal.session(
        "clock", "clock next", SETUP, "clock next", "clock tomorrow", "clock partners", "clock", "clock sideways"
    )
    assert "Demo time: Tuesday 10 March, 07:00 (UTC), the same as real time." in out
    assert "No check-in prompt is planned yet: a peer leader sets one up with /setup or /schedule add." in out
    assert "It is now Tuesday 10 March, 09:00: the next check-in prompt went out." in out
    # Tomorrow's prompt, and the nightly retention sweep on the way.
    assert "It is now Wednesday 11 March, 09:00 (2 planned steps ran on the way)." in out
    assert "Partner rounds are off: a peer leader turns them on with /partners config." in out
    assert "Demo time: Wednesday 11 March, 09:00 (Europe/London), 1 day 2 hours ahead of real time." in out
    assert "! try clock, clock next, clock tomorrow or clock partners" in out
    # Each prompt is announced as it is posted, once, with its buttons.
    assert out.count("[#check-ins] Lantern: Morning, all. How are you arriving today?") == 2
    assert "  [📝 Check in] [Get a tip]" in out


async def test_show_channels_and_whose_private_replies_are_shown(terminal: Terminal) -> None:
    out = await terminal.session(
        SETUP,
        "clock next",
        "as alice: /resources",
        "show #check-ins",
        "as alice: show #check-ins",
        "as bob: show #check-ins",
        "show #leaders",
        "show #nowhere",
    )
    shown = out.split("lantern> ")
    onlooker, alice_view, bob_view = shown[4], shown[5], shown[6]
    assert "#check-ins:\nLantern: Morning, all. How are you arriving today?" in onlooker
    assert "Crisis" not in onlooker and "only Alice can see this" not in onlooker
    assert "(only Alice can see this)" in alice_view
    assert "only Alice" not in bob_view
    assert "#leaders: nothing here yet." in shown[7]
    assert "! no channel called #nowhere; there's #check-ins, #leaders" in shown[8]


async def test_show_dms_and_threads(terminal: Terminal) -> None:
    out = await terminal.session(
        "show thread",
        SETUP,
        "as lee: /partners config channel:check-ins cadence:weekly enabled:true",
        "as alice: /settings dm_prompts:true",
        *(f"as {name}: /partner join" for name in ("alice", "bob", "cara", "dan")),
        "clock partners",
        "show dms alice",
        "show dms nobody",
        "show thread",
        "show thread alice",
        "show thread 2",
        "as eve: show thread",
    )
    answers = out.split("lantern> ")[1:]  # answers[i] is what the i-th line typed printed
    assert answers[0].strip().startswith("No threads yet. Partner rounds make private ones")
    # The round came a week later: a DM prompt each morning on the way, and a welcome in each pair's thread.
    assert answers[8].count("[#check-ins › Partners · round 1] Lantern: Welcome, @") == 2
    assert answers[9].startswith("\nDMs between alice and Lantern:\nLantern: Morning. How are you arriving today?")
    assert answers[9].count("Morning. How are you arriving today?") == 7
    assert "! nobody called 'nobody' here" in answers[10]
    listing = answers[11].splitlines()[1:4]
    assert listing[0] == "Threads (show one with `show thread NUMBER` or `show thread NAME`):"
    for number, line in enumerate(listing[1:], start=1):
        assert line.startswith(f"  {number}. #check-ins › Partners · round 1 (private; ")
    assert all(line.endswith("; 1 message)") for line in listing[1:])
    alices = answers[12].splitlines()
    assert alices[1].startswith("#check-ins › Partners · round 1 (") and "alice" in alices[1]
    assert alices[2].startswith("Lantern: Welcome, @") and "@Alice" in alices[2]
    second_pair = listing[2].split("(private; ")[1].split(";")[0]
    assert answers[13].splitlines()[1] == f"#check-ins › Partners · round 1 ({second_pair}):"
    assert "No threads eve can see yet" in answers[14]
    assert "<@" not in out


async def test_a_chart_is_saved_and_its_path_printed(
    terminal: Terminal, lantern_demo: Harness, demo_clock: DemoClock, tmp_path: Path
) -> None:
    assert lantern_demo.services is not None and lantern_demo.community is not None
    await seed_demo(lantern_demo.services, lantern_demo.community, demo_clock(), zone="Europe/London")
    out = await terminal.session("as alice: /history days:30")
    assert "chart saved: data/sandbox-files/alice-history-2026-03-10.png" in out
    assert (tmp_path / "data" / "sandbox-files" / "alice-history-2026-03-10.png").read_bytes().startswith(b"\x89PNG")
    assert "(attachment:" not in out


async def test_new_posts_are_announced_while_waiting_and_replies_only_once(
    terminal: Terminal, lantern_demo: Harness
) -> None:
    terminal.keyboard.type(SETUP, "as alice: /settings dm_prompts:true", "as alice: dm hello there")
    running_demo = asyncio.create_task(terminal.demo.run())
    try:
        await terminal.until_printed("kept that privately as today's note")
        # Nobody types now; a post made meanwhile (here by the page's button) is printed as it arrives.
        said = await lantern_demo.sandbox.run_demo_action("next_prompt")
        assert said.endswith("the next check-in prompt went out.")
        await terminal.until_printed("[#check-ins] Lantern: Morning, all. How are you arriving today?")
        await terminal.until_printed("[DM to alice] Lantern: Morning. How are you arriving today?")
    finally:
        terminal.keyboard.type("quit")
        await asyncio.wait_for(running_demo, timeout=5)
    text = terminal.text
    # The answers to what was typed were printed as answers, and never announced again.
    assert text.count("kept that privately as today's note") == 1
    assert "] Lantern: Thanks, I've kept" not in text
    assert text.count("Daily prompt by DM: on") == 1
    assert text.count("Morning, all. How are you arriving today?") == 1
