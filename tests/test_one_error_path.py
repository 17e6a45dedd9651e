"""Every button and form goes through the one router and its error path; nothing bypasses it."""

from __future__ import annotations

import re
from pathlib import Path

from bot.ui.routes import ROUTER
from bot.ui.safe import SafeButton, SafeModal

BOT = Path(__file__).resolve().parent.parent / "bot"
# Ways to have discord.py dispatch a component itself, where an error would reach its own handler.
BYPASSES = re.compile(
    r"discord\.ui\.(View|Modal|DynamicItem)\(|DynamicItem\[|add_dynamic_items|\.add_view\(|@discord\.ui\."
)


def test_no_view_modal_or_dynamic_item_outside_the_safe_base() -> None:
    found = []
    for path in BOT.rglob("*.py"):
        if path.name == "safe.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if BYPASSES.search(line):
                found.append(f"{path.relative_to(BOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_router_knows_every_button_and_form() -> None:
    def all_subclasses(cls: type) -> set[type]:
        direct = set(cls.__subclasses__())
        return direct.union(*(all_subclasses(c) for c in direct))

    assert all_subclasses(SafeButton) == set(ROUTER.buttons)
    assert all_subclasses(SafeModal) == set(ROUTER.forms)
    for route in (*ROUTER.buttons, *ROUTER.forms):
        assert route.template.pattern.startswith(f"lantern:{route.kind}:") or route.template.pattern.startswith(
            f"^lantern:{route.kind}:"
        ), route


def test_every_kind_of_button_and_form_has_stale_words_in_every_language() -> None:
    """A press on an old button of any kind is answered in the member's language, saying what to do now."""
    from bot.services.messages import LANGUAGES, catalogue
    from bot.ui.routes import ROUTER

    texts = catalogue("errors")
    kinds = [route.kind for route in (*ROUTER.buttons, *ROUTER.forms)]
    assert len(kinds) >= 11
    assert [kind for kind in kinds for lang in LANGUAGES if f"stale_{kind}" not in texts[lang]] == []
    # Stale words say what to do now: a command to use.
    assert [kind for kind in kinds for lang in LANGUAGES if "`/" not in texts[lang][f"stale_{kind}"]] == []
