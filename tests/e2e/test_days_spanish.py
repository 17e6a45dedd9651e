"""End to end: a member whose Discord speaks Spanish uses `/days` and `/dates` entirely in Spanish (replies,
errors, the milestone note and its button, the eve's note); what the channel reads stays English."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.devtools.harness import Harness
from bot.services.messages import catalogue
from discord_standin.driver import Actor, buttons
from tests.conftest import FakeClock
from tests.e2e.database import settled_snapshot, snapshot
from tests.e2e.test_schedules import channel_prompts, run_until, set_up
from tests.e2e.test_spanish import ENGLISH_WORDS

ES_DAYS = catalogue("days")["es"]
ES_DATES = catalogue("dates")["es"]


def spanish(lantern: Harness, name: str) -> Actor:
    member = lantern.person(name)
    member.locale = "es-ES"
    return member


def in_spanish(text: str) -> str:
    assert not ENGLISH_WORDS.search(text), text
    return text


async def test_days_set_show_reset_and_hide_in_spanish(lantern_at: Harness) -> None:
    rosa = spanish(lantern_at, "alice")
    empty = await rosa.slash("days show")
    assert empty.ephemeral and in_spanish(empty.content) == ES_DAYS["show_none"]
    assert "`/días empezar`" in empty.content
    first = await rosa.slash("days set", name="alcohol", since="8 de febrero de 2026")
    assert in_spanish(first.content).startswith("Contando desde el 8 de febrero de 2026: 30 días.")
    today = await rosa.slash("days set", name="apuestas", since="hoy")
    assert in_spanish(today.content).startswith("Hoy empieza el día 1 de apuestas.")
    shown = in_spanish((await rosa.slash("days show")).content)
    assert "**alcohol**: 30 días (desde el 8 de febrero de 2026)" in shown
    assert "Próximo hito: 60 días, el 9 de abril de 2026." in shown
    assert "**apuestas**: día 1, empezando hoy" in shown
    assert "Próximo hito: 1 día, el 11 de marzo de 2026." in shown
    reset = await rosa.slash("days reset", name="Alcohol")
    assert reset.content == "Día 1 otra vez. Volver es lo más difícil, y lo hiciste."
    hidden = await rosa.slash("days hide", name="apuestas")
    assert in_spanish(hidden.content).startswith("Oculto. apuestas sigue contando en silencio")
    again = await rosa.slash("days hide", name="apuestas")
    assert in_spanish(again.content).startswith("apuestas ya está oculto.")
    after = in_spanish((await rosa.slash("days show")).content)
    assert "apuestas" not in after and "1 más oculto." in after
    moved = await rosa.slash("days set", name="apuestas", since="hace 3 días")
    assert in_spanish(moved.content) == "Tu contador apuestas ahora empieza el 7 de marzo de 2026: 3 días."
    # The same member with an English Discord reads the same counters in English.
    rosa.locale = "en-US"
    assert "**alcohol**: day 1, starting today" in (await rosa.slash("days show")).content


async def test_a_milestone_note_and_its_share_button_in_spanish(lantern_at: Harness, clock: FakeClock) -> None:
    await set_up(lantern_at)
    rosa = spanish(lantern_at, "alice")
    await rosa.slash("days set", name="secreto", since="hoy")
    await run_until(lantern_at, clock, datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    notes = [m for m in rosa.dms() if "en tu contador" in m.content]
    assert [m.content for m in notes] == [
        "Hoy cumples 1 día en tu contador secreto. Merece celebrarse. 🎉\n" + ES_DAYS["note_private"]
    ]
    in_spanish(notes[0].content)
    assert [b["label"] for b in buttons(notes[0])] == ["Compartir este hito"]
    community = lantern_at.community
    assert community is not None

    def shared() -> list[str]:
        messages = lantern_at.sandbox.world.channel_messages(community.checkin_channel.id)
        return [m.content for m in messages if m.author.bot and "is marking" in m.content]

    other = await spanish(lantern_at, "bob").click(notes[0], "Compartir este hito")
    assert other.ephemeral and other.content == ES_DAYS["share_not_yours"] and shared() == []
    done = await rosa.click(notes[0], "Compartir este hito")
    assert done.ephemeral and in_spanish(done.content).startswith("Compartido en <#")
    # The channel has no one language: what it reads stays English, and never the counter's name.
    assert shared() == [f"<@{rosa.user.id}> is marking 1 day today. 🎉"]
    before = await settled_snapshot(lantern_at.database_url)
    twice = await rosa.click(notes[0], "Compartir este hito")
    assert twice.content == "Ya compartiste este hito." and len(shared()) == 1
    await rosa.slash("days reset", name="secreto")
    before = await settled_snapshot(lantern_at.database_url)
    stale = await rosa.click(notes[0], "Compartir este hito")
    assert stale.ephemeral and in_spanish(stale.content) == ES_DAYS["share_stale"]
    assert "`/días ver`" in stale.content
    assert snapshot(lantern_at.database_url) == before


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"since": "3/1/2026"}, "No pude leer «3/1/2026» como una fecha"),
        ({"since": "31 de febrero de 2026"}, "no es un día del calendario"),
        ({"since": "mañana"}, "Esa fecha aún no ha llegado"),
        ({"since": "2027-01-01"}, "Esa fecha aún no ha llegado"),
        ({"since": "1 de marzo de 1850"}, "posterior a 1900"),
        ({"name": "a\u200bb"}, "no pueden llevar saltos de línea"),
        ({"name": "   "}, "Ponle a tu contador un nombre de hasta 40 caracteres"),
    ],
)
async def test_bad_input_to_days_set_is_refused_in_spanish_and_changes_nothing(
    lantern_at: Harness, options: dict[str, str], expected: str
) -> None:
    rosa = spanish(lantern_at, "alice")
    await rosa.slash("days set", name="alcohol", since="hoy")
    before = await settled_snapshot(lantern_at.database_url)
    reply = await rosa.raw_slash("days set", options)
    assert reply.ephemeral and expected in in_spanish(reply.content), reply.content
    assert snapshot(lantern_at.database_url) == before


async def test_unknown_counters_and_too_many_in_spanish(lantern_at: Harness) -> None:
    rosa = spanish(lantern_at, "alice")
    for verb in ("show", "reset", "hide"):
        reply = await rosa.slash(f"days {verb}", name="alcohol")
        assert in_spanish(reply.content) == "No tienes ningún contador llamado «alcohol». `/días empezar` crea uno."
    await rosa.slash("days set", name="alcohol")
    await rosa.slash("days set", name="apuestas")
    before = await settled_snapshot(lantern_at.database_url)
    unknown = await rosa.slash("days reset", name="azúcar")
    assert in_spanish(unknown.content).endswith(
        "Los tuyos: alcohol, apuestas. Elige uno de la lista mientras escribes."
    )
    which = await rosa.slash("days reset")
    assert (
        in_spanish(which.content) == "Tienes varios contadores. Añade `nombre:` para decir cuál, como nombre:alcohol."
    )
    newer = await rosa.slash("days set", since="hoy")
    assert in_spanish(newer.content).startswith("Tienes varios contadores.")
    assert snapshot(lantern_at.database_url) == before
    for n in range(8):
        await rosa.slash("days set", name=f"contador {n}")
    before = await settled_snapshot(lantern_at.database_url)
    full = await rosa.slash("days set", name="uno más")
    assert in_spanish(full.content).startswith("Ya tienes 10 contadores, el máximo que guardo.")
    assert snapshot(lantern_at.database_url) == before


async def test_dates_add_list_remove_and_the_eve_in_spanish(lantern_at: Harness, clock: FakeClock) -> None:
    rosa = spanish(lantern_at, "alice")
    assert in_spanish((await rosa.slash("dates list")).content) == ES_DATES["list_none"]
    added = await rosa.slash("dates add", label="zq-cumple de papá", date="12 de marzo", kind="birthday")
    assert in_spanish(added.content).startswith("Añadida, solo para ti: zq-cumple de papá, cada año el 12 de marzo.")
    once = await rosa.slash("dates add", label="juicio", date="1 de mayo de 2026", repeat="once")
    assert in_spanish(once.content).startswith("Añadida, solo para ti: juicio, el 1 de mayo de 2026.")
    listing = in_spanish((await rosa.slash("dates list")).content)
    lines = listing.split("\n")
    assert lines[0].endswith(" · cada año el 12 de marzo · zq-cumple de papá (un cumpleaños)")
    assert lines[1].endswith(" · el 1 de mayo de 2026 · juicio (un día difícil)")
    assert lines[2] == "`/fechas quitar número:` con un número quita una."
    # The eve: 11 March at 09:00 (UTC here), a gentle note with a tip, all in Spanish.
    await run_until(lantern_at, clock, datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    notes = [m for m in rosa.dms() if m.content.startswith("Mañana es")]
    assert len(notes) == 1
    text = in_spanish(notes[0].content)
    assert text.startswith("Mañana es zq-cumple de papá. Los días así pueden remover cosas, y está bien.")
    assert "**" in text and "-# " in text and ES_DATES["eve_more"] in text
    assert ES_DATES["eve_partner"] not in text and buttons(notes[0]) == []  # no partner: no button
    # Removing, and the ids that aren't hers.
    once_id = int(lines[1].split("`")[1])
    assert in_spanish((await rosa.slash("dates remove", id=once_id)).content) == ES_DATES["removed"]
    before = await settled_snapshot(lantern_at.database_url)
    missing = await rosa.slash("dates remove", id=once_id)
    assert in_spanish(missing.content) == (
        f"No encuentro ninguna fecha tuya con el número {once_id}. `/fechas lista` muestra sus números."
    )
    assert snapshot(lantern_at.database_url) == before


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"label": "x", "date": "3/1/2026"}, "No pude leer «3/1/2026» como una fecha"),
        ({"label": "x", "date": "30 de febrero"}, "no es un día del calendario"),
        ({"label": "x", "date": "1 de marzo de 2026", "repeat": "once"}, "Esa fecha ya pasó"),
        ({"label": "   ", "date": "12 de marzo"}, "Ponle a la fecha una etiqueta corta"),
        ({"label": "a\u200bb", "date": "12 de marzo"}, "no pueden llevar saltos de línea"),
    ],
)
async def test_bad_dates_are_refused_in_spanish_and_change_nothing(
    lantern_at: Harness, options: dict[str, str], expected: str
) -> None:
    rosa = spanish(lantern_at, "alice")
    await rosa.slash("dates list")
    before = await settled_snapshot(lantern_at.database_url)
    reply = await rosa.raw_slash("dates add", options)
    assert reply.ephemeral and expected in in_spanish(reply.content), reply.content
    assert snapshot(lantern_at.database_url) == before


async def test_a_community_date_in_a_spanish_dm_prompt_and_an_english_channel(
    lantern_at: Harness, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    await set_up(lantern_at)
    lee, rosa = lantern_at.person("lee"), spanish(lantern_at, "alice")
    await lee.slash("dates community add", label="San Patricio", date="17 March", kind="holiday")
    await rosa.slash("settings", dm_prompts=True)
    await run_until(lantern_at, clock, datetime(2026, 3, 17, 9, 0, tzinfo=UTC))
    english = catalogue("dates")["en"]["prompt_line"].format(label="San Patricio")
    assert english in channel_prompts(lantern_at)[-1].content
    dm_prompts = [m for m in rosa.dms() if buttons(m)]
    assert dm_prompts, "no DM prompt"
    text = dm_prompts[-1].content
    assert ES_DATES["prompt_line"].format(label="San Patricio") in text and english not in text
    in_spanish(text)


async def test_the_eves_partner_button_in_spanish(lantern_at: Harness, clock: FakeClock) -> None:
    community = lantern_at.community
    assert community is not None
    clock.now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    partners = lantern_at.sandbox.add_channel(community.guild, "partners")
    await set_up(lantern_at)
    await lantern_at.restart_bot()
    lee, rosa, bob = lantern_at.person("lee"), spanish(lantern_at, "alice"), lantern_at.person("bob")
    await lee.slash("partners config", channel=partners, enabled=True)
    await rosa.slash("partner join")
    await bob.slash("partner join")
    paired = await (await lee.slash("partners pair", a=rosa.user, b=bob.user)).settled()
    assert paired.content.startswith("Paired"), paired.content
    await rosa.slash("dates add", label="zq-cumple", date="12 de marzo", kind="birthday")
    await run_until(lantern_at, clock, datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    note = [m for m in rosa.dms() if m.content.startswith("Mañana es")][-1]
    assert ES_DATES["eve_partner"] in in_spanish(note.content)
    assert [b["label"] for b in buttons(note)] == ["Avisar a mi compañero"]
    sent = await rosa.click(note, "Avisar a mi compañero")
    assert sent.ephemeral and in_spanish(sent.content) == ES_DATES["partner_sent"]
    # The partner thread is shared, so it reads English (as the partner welcome does), and never the date.
    thread = next(c for c in lantern_at.sandbox.world.channels.values() if c.parent_id == partners.id)
    last = lantern_at.sandbox.world.channel_messages(thread.id)[-1].content
    assert last == catalogue("dates")["en"]["partner_ping"].format(user=rosa.user.id)
    assert "zq-cumple" not in last
