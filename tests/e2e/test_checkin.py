"""End to end: /checkin and /history through the sandbox, as members would use them."""

from __future__ import annotations

from bot.sandbox.harness import Harness


async def test_checkin_form_and_thanks(lantern: Harness) -> None:
    alice = lantern.person("alice")
    opened = await alice.slash("checkin")
    assert opened.modal is not None
    reply = await alice.submit(
        opened.modal,
        {
            "How are you arriving today?": "4 · Doing okay",
            "Any cravings right now?": "None",
            "HALT check": ["Tired"],
            "A private note (optional)": "slept badly but here",
        },
    )
    assert reply.ephemeral
    assert "Thanks for checking in." in reply.content
    assert "privacy" in reply.content.lower()
