"""The stand-in's page in a real browser (Debian's Chromium through Playwright), with Lantern behind it."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.devtools.demo_clock import DemoClock, demo_time_for, offer_demo_actions
from bot.devtools.harness import Harness
from bot.storage.crypto import generate_key
from discord_standin.server import Sandbox

pytest.importorskip("playwright.async_api", reason="Playwright isn't installed: pip install -e '.[test]'")
from playwright.async_api import Browser, Page, async_playwright, expect

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A loaded two-core machine can take a while to draw; waiting longer costs nothing when it is quick.
expect.set_options(timeout=15_000)
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def find_chromium() -> str | None:
    candidate = os.environ.get("LANTERN_CHROMIUM") or shutil.which("chromium")
    return candidate if candidate and os.access(candidate, os.X_OK) else None


@dataclass
class Rig:
    """Lantern on a demo clock, a browser, and where the screenshots go."""

    harness: Harness
    browser: Browser
    shots: Path
    errors: list[str] = field(default_factory=list)

    async def open(self, person: str, viewport: dict[str, int] = DESKTOP, *, dark: bool = False) -> Page:
        page = await self.browser.new_page(
            viewport=viewport,  # type: ignore[arg-type]
            color_scheme="dark" if dark else "light",
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        await page.goto(f"{self.harness.sandbox.base_url}/?as={person}")
        await expect(page.locator("#channel-title")).to_contain_text("check-ins")
        return page

    async def shot(self, page: Page, name: str) -> None:
        # Animations finished, so a drawer is shown where it ends up rather than halfway.
        await page.screenshot(path=str(self.shots / f"{name}.png"), animations="disabled")


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where each step's screenshot goes: LANTERN_SCREENSHOTS if set, else beside the test's files."""
    folder = Path(os.environ.get("LANTERN_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
async def rig(tmp_path: Path, shots: Path, spec_check: Callable[[Sandbox], None]) -> AsyncIterator[Rig]:
    chromium = find_chromium()
    if chromium is None and os.environ.get("CI"):
        pytest.fail("CI runs the browser tests: install Debian's chromium (.ci/run does) or set LANTERN_CHROMIUM.")
    if chromium is None:
        pytest.skip("No Chromium here: `apt-get install chromium` (or set LANTERN_CHROMIUM) to run the page tests.")
    clock = DemoClock()
    harness = Harness(f"sqlite:///{tmp_path / 'lantern.sqlite3'}", [generate_key()], clock=clock, run_timers=False)
    demo_time = demo_time_for(harness, clock)
    offer_demo_actions(harness.sandbox, demo_time)
    await harness.start()
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            rig = Rig(harness, browser, shots)
            try:
                yield rig
            finally:
                await browser.close()
    finally:
        await harness.stop()
    assert rig.errors == [], rig.errors
    spec_check(harness.sandbox)


async def run_command(page: Page, text: str) -> None:
    """Type a whole command and press Send (the suggestions are tried step by step elsewhere)."""
    await page.locator("#composer-input").fill(text)
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.locator("#composer-input")).to_have_value("")


async def pick_suggestion(page: Page, title: str) -> None:
    """Move through the suggestions with the arrow keys until `title` is highlighted, then press Enter."""
    options = page.locator("#suggestions [role=option]")
    wanted = options.filter(has=page.locator(".suggestion-title", has_text=re.compile(f"^{re.escape(title)}$")))
    await expect(wanted).to_have_count(1)
    for _ in range(await options.count() + 1):
        if await wanted.get_attribute("aria-selected") == "true":
            await page.keyboard.press("Enter")
            return
        await page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not reach {title!r} with the arrow keys in {await options.all_inner_texts()}")


async def check_in_through_the_form(page: Page) -> None:
    await run_command(page, "/checkin")
    dialog = page.get_by_role("dialog", name="Daily check-in")
    await expect(dialog).to_be_visible()
    await dialog.get_by_label("4 · Doing okay").check()
    await dialog.get_by_label("None").check()
    await dialog.get_by_label("Tired").check()
    await dialog.get_by_label("A private note (optional)").fill("slept badly but here")


async def test_a_member_checks_in_and_only_she_sees_the_reply(rig: Rig) -> None:
    alice = await rig.open("alice")
    await rig.shot(alice, "01-alice-opens-check-ins")
    # The form opens from the message box; Escape closes it and gives the focus back.
    await run_command(alice, "/checkin")
    dialog = alice.get_by_role("dialog", name="Daily check-in")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_label("1 · Really struggling")).to_be_focused()
    await alice.keyboard.press("Escape")
    await expect(dialog).to_be_hidden()
    await expect(alice.locator("#composer-input")).to_be_focused()

    await check_in_through_the_form(alice)
    # Discord's own rule, checked before sending: a required radio group left empty.
    await dialog.get_by_label("None").evaluate("input => { input.checked = false; }")
    await dialog.get_by_role("button", name="Submit").click()
    await expect(dialog.get_by_text("Pick one.")).to_be_visible()
    await rig.shot(alice, "02-alice-form-needs-an-answer")
    await dialog.get_by_label("None").check()
    await dialog.get_by_role("button", name="Submit").click()
    await expect(dialog).to_be_hidden()
    reply = alice.locator(".message.only-you").filter(has_text="Thanks for checking in")
    await expect(reply).to_be_visible()
    await expect(reply).to_contain_text("Only you can see this")
    await rig.shot(alice, "03-alice-sees-her-reply")

    await alice.locator("#viewer-select").select_option(label="Bob")
    await expect(alice.locator("#notice")).to_contain_text("acting as Bob")
    await expect(alice.locator("#messages")).not_to_contain_text("Thanks for checking in")
    await rig.shot(alice, "04-bob-does-not-see-it")


async def test_history_shows_the_chart(rig: Rig) -> None:
    alice = await rig.open("alice")
    await check_in_through_the_form(alice)
    await alice.get_by_role("dialog").get_by_role("button", name="Submit").click()
    await expect(alice.get_by_role("dialog")).to_be_hidden()
    await run_command(alice, "/history")
    history = alice.locator(".message").filter(has=alice.locator(".attachment-image")).last
    await expect(history.locator(".used")).to_contain_text("Alice used /history")
    chart = history.locator(".attachment-image img")
    await expect(chart).to_be_visible()
    await chart.scroll_into_view_if_needed()
    width = await chart.evaluate("image => image.complete ? image.naturalWidth : 0")
    assert width > 0, "the chart did not load"
    await rig.shot(alice, "05-alice-history-chart")


async def test_the_leader_sets_up_through_autocomplete(rig: Rig) -> None:
    lee = await rig.open("lee")
    box = lee.locator("#composer-input")
    await box.click()
    await box.type("/se")
    await pick_suggestion(lee, "/setup")
    await expect(box).to_have_value("/setup ")
    await box.type("che")
    await pick_suggestion(lee, "checkin_channel")
    await pick_suggestion(lee, "#check-ins")
    await box.type("timez")
    await pick_suggestion(lee, "timezone")
    await box.type("Lond")
    await rig.shot(lee, "06-lee-timezone-from-the-bot")
    await pick_suggestion(lee, "Europe/London")
    await box.type("prompt")
    await pick_suggestion(lee, "prompt_time")
    await box.type("9am")
    await expect(box).to_have_value("/setup checkin_channel:#check-ins timezone:Europe/London prompt_time:9am")
    await box.press("Enter")
    reply = lee.locator(".message.only-you").filter(has_text="You're all set")
    await expect(reply).to_be_visible()
    await expect(reply).to_contain_text("#check-ins")
    await expect(reply).to_contain_text("Europe/London")
    await rig.shot(lee, "07-lee-is-set-up")

    # Members are not offered leader commands at all, as in Discord.
    alice = await rig.open("alice")
    await alice.locator("#composer-input").type("/se")
    await expect(alice.locator("#suggestions")).to_contain_text("/settings")
    await expect(alice.locator("#suggestions")).not_to_contain_text("/setup")
    await alice.locator("#composer-input").fill("/setup")
    await alice.get_by_role("button", name="Send", exact=True).click()
    await expect(alice.locator("#composer-error")).to_contain_text("There's no /setup here")


async def test_the_clock_button_delivers_a_dm_prompt(rig: Rig) -> None:
    lee = await rig.open("lee")
    await expect(lee.locator("#channel-list")).to_contain_text("leaders")
    await run_command(lee, "/setup checkin_channel:#check-ins timezone:UTC prompt_time:9am")
    await expect(lee.locator(".message").filter(has_text="You're all set")).to_be_visible()
    await run_command(lee, "/schedule edit name:daily where:both")
    await expect(lee.locator(".message").filter(has_text="Updated.")).to_be_visible()

    alice = await rig.open("alice")
    await expect(alice.locator("#channel-list")).not_to_contain_text("leaders")
    await run_command(alice, "/settings dm_prompts:True")
    await expect(alice.locator(".message").filter(has_text="Saved.")).to_be_visible()
    await alice.get_by_role("button", name="Lantern").click()
    await expect(alice.locator("#channel-title")).to_contain_text("Lantern")
    await alice.get_by_role("button", name="Send the next prompt now").click()
    await expect(alice.locator("#notice")).to_contain_text("the next check-in prompt went out")
    prompt = alice.locator(".message").filter(has_text="How are you arriving today?")
    await expect(prompt).to_be_visible()
    await expect(prompt.get_by_role("button", name="Check in")).to_be_visible()
    await rig.shot(alice, "08-alice-gets-the-dm-prompt")
    # The prompt's button opens the same form, here in the DM.
    await prompt.get_by_role("button", name="Check in").click()
    dialog = alice.get_by_role("dialog", name="Daily check-in")
    await expect(dialog).to_be_visible()
    await dialog.get_by_label("3 · Getting by").check()
    await dialog.get_by_label("Mild").check()
    await dialog.get_by_role("button", name="Submit").click()
    await expect(dialog).to_be_hidden()
    await expect(alice.locator(".message").filter(has_text="Thanks for checking in")).to_be_visible()
    await expect(prompt.get_by_role("button", name="Check in")).to_be_enabled()

    # The request log lists what the bot sent, newest first, each checked against Discord's spec.
    await alice.locator("#request-log summary").first.click()
    newest = alice.locator(".request").first
    await expect(newest).to_be_visible()
    await expect(alice.locator(".request-spec").filter(has_text="matches Discord's spec").first).to_be_visible()
    await rig.shot(alice, "09-request-log")


async def test_a_phone_sized_window_in_the_dark(rig: Rig) -> None:
    alice = await rig.open("alice", PHONE, dark=True)
    menu = alice.get_by_role("button", name="Channels and people")
    await expect(menu).to_be_visible()
    await expect(alice.locator("#channel-list")).to_be_hidden()
    await run_command(alice, "/resources")
    await expect(alice.locator(".message.only-you").last).to_be_visible()
    await rig.shot(alice, "10-phone")
    await menu.click()
    await expect(alice.locator("#channel-list")).to_be_visible()
    await rig.shot(alice, "11-phone-menu")
    await alice.keyboard.press("Escape")
    await expect(alice.locator("#channel-list")).to_be_hidden()
    await expect(menu).to_be_focused()


RENDER_SAMPLE = """
async ([text, names]) => {
  const { renderMarkdown } = await import("/_standin/web/markdown.js");
  const box = document.createElement("div");
  box.append(renderMarkdown(text, names));
  const texts = (selector) => [...box.querySelectorAll(selector)].map((node) => node.textContent);
  return {
    strong: texts("strong"), em: texts("em"), code: texts("code"), mentions: texts(".mention"),
    links: [...box.querySelectorAll("a")].map((a) => a.href), breaks: box.querySelectorAll("br").length,
    times: [...box.querySelectorAll("time")].map((t) => [t.dateTime, t.textContent]),
    images: box.querySelectorAll("img").length, text: box.textContent,
  };
}
"""


async def test_message_text_renders_as_discord_draws_it(rig: Rig) -> None:
    page = await rig.open("alice")
    names = {"users": {"1": "Alice"}, "channels": {"2": "check-ins"}, "roles": {"3": "Peer leader"}}
    text = (
        "**Thanks** for *checking* in, <@1>. Try `/history` in <#2> or ask <@&3>.\n"
        "Next one: <t:0:D> <t:0:R> [the guide](https://example.org/guide) <img src=x onerror=alert(1)>"
    )
    drawn = await page.evaluate(RENDER_SAMPLE, [text, names])
    assert drawn["strong"] == ["Thanks"] and drawn["em"] == ["checking"] and drawn["code"] == ["/history"]
    assert drawn["mentions"] == ["@Alice", "#check-ins", "@Peer leader"]
    assert drawn["links"] == ["https://example.org/guide"]
    assert drawn["breaks"] == 1
    assert [t[0] for t in drawn["times"]] == ["1970-01-01T00:00:00.000Z"] * 2
    assert "1970" in drawn["times"][0][1] and "ago" in drawn["times"][1][1]
    # Whatever a message says stays text: nothing in it becomes an element.
    assert drawn["images"] == 0 and "<img src=x onerror=alert(1)>" in drawn["text"]
