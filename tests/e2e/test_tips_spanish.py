"""End to end: /tip, its autocomplete and its buttons for a member whose Discord is in Spanish."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.devtools.harness import Harness
from bot.services.messages import catalogue, message
from bot.services.tip_library import load_libraries
from discord_standin.driver import Actor, buttons
from discord_standin.state import Message
from tests.conftest import FakeClock
from tests.e2e.test_schedules import channel_prompts, member_with_a_dm_prompt

LIBRARIES = load_libraries()
ENGLISH, SPANISH = LIBRARIES["en"], LIBRARIES["es"]
ES = catalogue("tips")["es"]
BUTTONS_ES = [ES["button_helped"], ES["button_not_for_me"], ES["button_another"]]
# Words only the English replies use: none may reach a member who reads Spanish.
ENGLISH_WORDS = (
    "A tip for",
    "About ",
    "This helped",
    "Not for me",
    "Another one",
    "Glad it helped",
    "won't show",
    "set aside every tip",
    "no longer in the library",
    "your community's own tip",
)


def tip_id(reply_message: Message) -> str:
    """The tip a message shows, from its buttons' custom_ids (`lantern:tip:guild:action:situation:tip`)."""
    return str(buttons(reply_message)[0]["custom_id"]).split(":")[-1]


def assert_spanish_tip(content: str, shown: str) -> None:
    """A built-in tip in its Spanish words, with the Spanish footer, and nothing of the English replies."""
    spanish, english = SPANISH.by_id(shown), ENGLISH.by_id(shown)
    assert spanish is not None and english is not None
    assert f"**{spanish.title}**" in content and spanish.body in content
    assert english.title not in content and english.body not in content
    assert f"-# Unos {spanish.minutes} min · {spanish.source}" in content
    assert_no_english(content)


def assert_no_english(content: str) -> None:
    for words in ENGLISH_WORDS:
        assert words not in content, (words, content)


def spanish_member(lantern: Harness, name: str, locale: str = "es-ES") -> Actor:
    member = lantern.person(name)
    member.locale = locale
    return member


async def test_a_spanish_member_gets_tip_and_every_button_in_spanish(lantern: Harness) -> None:
    alicia = spanish_member(lantern, "alice")
    anything = await alicia.slash("tip")
    assert anything.ephemeral and anything.message is not None
    assert [b["label"] for b in buttons(anything.message)] == BUTTONS_ES
    assert_spanish_tip(anything.content, tip_id(anything.message))
    assert "Un consejo para" not in anything.content  # no situation asked, none claimed

    asked = await alicia.slash("tip", situation="no puedo dormir")
    assert asked.message is not None
    assert asked.content.startswith("-# " + message("tips", "es", "tip_for", situation="Dormir") + "\n")
    first = tip_id(asked.message)
    assert "sleep" in ENGLISH.by_id(first).situations  # type: ignore[union-attr]
    assert_spanish_tip(asked.content, first)

    another = await alicia.click(asked.message, ES["button_another"])
    assert another.type == 7
    second = tip_id(asked.message)
    assert second != first
    assert_spanish_tip(asked.message.content, second)

    helped = await alicia.click(asked.message, ES["button_helped"])
    assert helped.type == 7
    assert asked.message.content.endswith(ES["thanks_helped"])
    assert_spanish_tip(asked.message.content, second)
    assert [b["label"] for b in buttons(asked.message)] == [ES["button_another"]]

    await alicia.click(asked.message, ES["button_another"])
    third = tip_id(asked.message)
    assert_spanish_tip(asked.message.content, third)
    set_aside = await alicia.click(asked.message, ES["button_not_for_me"])
    assert set_aside.type == 7
    assert asked.message.content == ES["thanks_not_for_me"]
    assert [b["label"] for b in buttons(asked.message)] == [ES["button_another"]]

    # The history is the tip's, not the language's: in English the tip set aside never comes back, and
    # in English the words are English again.
    alicia.locale = "en-US"
    pool = ENGLISH.pool("sleep")
    shown = []
    for _ in range(len(pool) + 2):
        again = await alicia.slash("tip", situation="sleep")
        assert again.message is not None and "A tip for: Sleep" in again.content
        shown.append(tip_id(again.message))
    assert third not in shown
    # The pass through the pool begun in Spanish goes on in English: the tips not yet shown come first.
    fresh = {tip.id for tip in pool} - {first, second, third}
    assert set(shown[: len(fresh)]) == fresh


async def test_spanish_words_accents_and_autocomplete(lantern: Harness) -> None:
    bruno = spanish_member(lantern, "bob", "es-419")
    choices = await bruno.autocomplete("tip", "situation", "ans")
    assert choices[0]["value"] == "anxiety" and choices[0]["name"].startswith("Ansiedad: ")
    blank = await bruno.autocomplete("tip", "situation", "")
    assert [c["value"] for c in blank] == [s.key for s in SPANISH.situations]
    assert all(c["name"].startswith(f"{s.name}: ") for c, s in zip(blank, SPANISH.situations, strict=True))
    # Words of English still find their situation, shown in Spanish.
    english = await bruno.autocomplete("tip", "situation", "craving")
    assert english and english[0]["value"] == "craving" and english[0]["name"].startswith("Ganas de consumir")

    for typed, name in (
        ("estrés", "Estrés"),
        ("estres", "Estrés"),
        ("ESTRÉS", "Estrés"),
        ("ansiedad", "Ansiedad"),
        ("me siento sola", "Soledad"),
        ("me siento solo", "Soledad"),
        ("ganas de beber", "Ganas de consumir"),
        ("animo bajo", "Ánimo bajo"),
        ("low-mood", "Ánimo bajo"),  # what autocomplete sends: the key
        ("después de un desliz", "Después de un desliz"),
    ):
        reply = await bruno.slash("tip", situation=typed)
        assert reply.message is not None
        assert reply.content.startswith(f"-# Un consejo para: {name}\n"), (typed, reply.content)
        assert_spanish_tip(reply.content, tip_id(reply.message))

    # A tip written for after a slip comes only when the member said so, in Spanish as in English.
    slip_ids = {tip.id for tip in ENGLISH.tips if tip.situations[0] == "after-a-slip"}
    for typed in ("me siento culpable y triste", "no sé qué hacer", "estoy mal"):
        reply = await bruno.slash("tip", situation=typed)
        assert reply.message is not None and tip_id(reply.message) not in slip_ids, typed


async def test_everything_set_aside_and_a_community_tip_in_spanish(lantern: Harness) -> None:
    lee, carla = lantern.person("lee"), spanish_member(lantern, "cara")
    for _ in ENGLISH.pool("hungry"):
        reply = await carla.slash("tip", situation="tengo hambre")
        assert reply.message is not None
        await carla.click(reply.message, ES["button_not_for_me"])
    nothing_left = await carla.slash("tip", situation="hambre")
    assert nothing_left.content == ES["all_set_aside"]
    assert_no_english(nothing_left.content)

    title, body = "Walk to the harbour", "Put your shoes on and walk to the harbour wall and back. Count the boats."
    added = await lee.slash("tips add", title=title, body=body, situation="boredom")
    assert "Added as `c1`" in added.content
    assert lantern.services is not None and lantern.community is not None
    pool = ENGLISH.pool("boredom", extra=await lantern.services.tips.community_tips(lantern.community.guild.id))
    ours: Message | None = None
    for _ in range(len(pool)):
        reply = await carla.slash("tip", situation="aburrimiento")
        assert reply.message is not None
        if tip_id(reply.message) == "c1":
            ours = reply.message
    assert ours is not None
    # A leader's tip is shown as written, to everyone; only Lantern's own words around it are Spanish.
    assert f"**{title}**\n{body}\n-# Unos 5 min · {ES['community_source']}" in ours.content
    assert [b["label"] for b in buttons(ours)] == BUTTONS_ES
    await lee.slash("tips remove", tip_id="c1")
    gone = await carla.click(ours, ES["button_helped"])
    assert gone.content == ES["tip_gone"]


async def test_get_a_tip_on_the_channel_prompt_answers_in_the_pressers_language(
    lantern_at: Harness, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    await member_with_a_dm_prompt(lantern_at, clock)
    prompt = channel_prompts(lantern_at)[0]
    diego = spanish_member(lantern_at, "dan")
    got = await diego.click(prompt, "Get a tip")
    assert got.ephemeral and got.message is not None
    assert [b["label"] for b in buttons(got.message)] == BUTTONS_ES
    assert_spanish_tip(got.content, tip_id(got.message))
    english = await lantern_at.person("eve").click(prompt, "Get a tip")
    assert english.message is not None and "This helped" in [b["label"] for b in buttons(english.message)]


async def test_a_spanish_leader_adds_lists_and_removes_tips_in_spanish(lantern: Harness) -> None:
    lee, eve = spanish_member(lantern, "lee"), lantern.person("eve")
    choices = await lee.autocomplete("tips add", "situation", "abu")
    assert choices[0] == {"name": "Aburrimiento", "value": "boredom"}
    short = await lee.slash("tips add", title="Hi", body="Un paseo hasta el puerto y vuelta, contando barcos.")
    assert short.content.startswith("El título necesita al menos 3 caracteres; este tiene 2.")
    unknown = await lee.slash(
        "tips add",
        title="Paseo",
        body="Un paseo hasta el puerto y vuelta, contando barcos.",
        situation="días tristones",
    )
    assert unknown.content.startswith("No conozco la situación «días tristones».")
    assert "¿Querías decir «Ánimo bajo»?" in unknown.content  # the closest situation, by its Spanish name
    empty = await lee.slash("tips list")
    shipped = len(LIBRARIES["es"].tips)
    assert empty.content.startswith(f"Tu comunidad aún no tiene consejos propios; los miembros reciben los {shipped}")
    body = "Un paseo hasta el puerto y vuelta, contando barcos."
    added = await lee.slash("tips add", title="Paseo al puerto", body=body, situation="aburrimiento")
    assert added.content.startswith("Añadido como `c1` para Aburrimiento. Los miembros lo verán con `/consejo`:")
    assert added.content.endswith(f"**Paseo al puerto**\n{body}\n-# Unos 5 min · {ES['community_source']}")
    # A situation's English name or key is understood too.
    also = await lee.slash("tips add", title="Respira", body="Cinco respiraciones lentas, ahora.", situation="Anxiety")
    assert also.content.startswith("Añadido como `c2` para Ansiedad.")
    listed = await lee.slash("tips list")
    assert listed.content == "`c1` **Paseo al puerto** (Aburrimiento)\n`c2` **Respira** (Ansiedad)"
    removed = await lee.slash("tips remove", tip_id="c1")
    assert removed.content == "Quitado `c1`."
    missing = await lee.slash("tips remove", tip_id="c99")
    assert missing.content.startswith("No encuentro el consejo de tu comunidad «c99».")
    for reply in (short, unknown, empty, added, also, listed, removed, missing):
        assert_no_english(reply.content)
        assert "Added" not in reply.content and "can't find" not in reply.content
    # An English-speaking member reads the leader's tip as written, with English words around it.
    english = ENGLISH.pool("anxiety", extra=await lantern.services.tips.community_tips(lantern.community.guild.id))  # type: ignore[union-attr]
    seen = [(await eve.slash("tip", situation="anxiety")).content for _ in english]
    assert any(
        "**Respira**\nCinco respiraciones lentas, ahora.\n-# About 5 min · your community's own tip" in s for s in seen
    )
