"""End to end: a member whose Discord speaks Spanish sees Lantern's commands in Spanish."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any

from bot.devtools.harness import Harness
from discord_standin.driver import Actor, Reply, buttons, message_text
from discord_standin.state import Channel
from tests.conftest import FakeClock
from tests.e2e import test_partners
from tests.e2e.database import settled_snapshot, snapshot
from tests.e2e.test_checkin import check_in
from tests.e2e.test_schedules import early_clock, run_until, set_up
from tests.e2e.test_stale_buttons import rewire

partners_channel = test_partners.partners_channel  # the fixture: a community with partner rounds on
__all__ = ["early_clock", "partners_channel"]  # fixtures used here by name

SPANISH = ("es-ES", "es-419")


def _named_entries(commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for entry in commands:
        found.append(entry)
        found += _named_entries(entry.get("options") or [])
    return found


async def test_every_command_option_and_choice_reaches_discord_in_spanish(lantern: Harness) -> None:
    world = lantern.sandbox.world
    synced = world.global_commands + [c for pool in world.guild_commands.values() for c in pool]
    entries = _named_entries(synced)
    assert len(synced) >= 15 and len(entries) >= 90
    untranslated = [
        entry["name"]
        for entry in entries
        for field in ("name_localizations", "description_localizations")
        if any(not (entry.get(field) or {}).get(locale) for locale in SPANISH)
    ]
    choices = [choice for entry in entries for choice in entry.get("choices") or []]
    untranslated += [
        c["name"] for c in choices if any(not (c.get("name_localizations") or {}).get(loc) for loc in SPANISH)
    ]
    assert untranslated == []
    by_name = {entry["name"]: entry for entry in synced}
    assert by_name["checkin"]["name_localizations"]["es-419"] == "registro"
    assert by_name["tip"]["description_localizations"]["es-ES"].startswith("Un consejo")


# Words only the English replies use: none may reach a member whose Discord speaks Spanish.
ENGLISH_WORDS = re.compile(r"\b(the|you|your|thanks|check-in|today|please|only|help)\b", re.IGNORECASE)


def spanish_speaker(lantern: Harness, name: str) -> Actor:
    member = lantern.person(name)
    member.locale = "es-ES"
    return member


async def test_a_spanish_speaker_checks_in_entirely_in_spanish(lantern: Harness) -> None:
    rosa = spanish_speaker(lantern, "alice")
    opened = await rosa.slash("checkin")
    assert opened.modal is not None
    assert opened.modal["title"] == "Registro del día"
    labels = [row.get("label") for row in opened.modal["components"]]
    assert labels == ["¿Cómo llegas hoy?", "¿Tienes ganas de consumir ahora?", *labels[2:]]
    assert "Una nota privada (opcional)" in labels
    reply = await rosa.submit(
        opened.modal,
        {
            "¿Cómo llegas hoy?": "4 · Estoy bien",
            "¿Tienes ganas de consumir ahora?": "Ninguna",
            "HALT: hambre, enojo, soledad, cansancio": ["Cansancio"],
            "Una nota privada (opcional)": "dormí mal pero aquí estoy",
        },
    )
    assert reply.ephemeral
    assert reply.content.startswith("Gracias por registrarte hoy.")
    assert "cansancio" in reply.content and "privacidad" in reply.content and "`/historial`" in reply.content
    assert ENGLISH_WORDS.findall(reply.content) == [], reply.content
    again = await rosa.slash("checkin")
    assert again.modal is not None and again.modal["title"] == "Actualiza tu registro de hoy"


async def test_a_spanish_speakers_bad_form_and_crisis_note_are_answered_in_spanish(lantern: Harness) -> None:
    rosa = spanish_speaker(lantern, "alice")
    opened = await rosa.slash("checkin")
    assert opened.modal is not None
    tampered = copy.deepcopy(opened.modal)
    tampered["components"][0]["component"]["options"].append({"label": "9", "value": "9"})
    refused = await rosa.submit_by_id(tampered, {"mood": "9", "cravings": "0"})
    assert refused.content.startswith("Elige una de las opciones para cómo llegas hoy")
    assert await lantern.services.db.checkins.recent(lantern.community.guild.id, rosa.user.id) == []  # type: ignore[union-attr]
    crisis = await rosa.submit(
        opened.modal,
        {
            "¿Cómo llegas hoy?": "1 · Me está costando muchísimo",
            "¿Tienes ganas de consumir ahora?": "Fuertes",
            "Una nota privada (opcional)": "ya no quiero vivir, esta noche me quito la vida",
        },
    )
    assert crisis.content.startswith("Gracias por registrarte hoy.")
    assert "Ahora lo más importante es que estés a salvo" in crisis.content
    assert ENGLISH_WORDS.findall(crisis.content) == []


async def test_a_spanish_speakers_history_and_chart_are_in_spanish(lantern: Harness) -> None:
    rosa = spanish_speaker(lantern, "alice")
    empty = await rosa.slash("history")
    assert empty.content.startswith("Aún no te has registrado.") and "`/registro`" in empty.content
    await check_in(rosa, mood="2", cravings="1", halt=["hungry"], note="un día largo")
    reply = await rosa.slash("history", days=7)
    await reply.settled()
    text = reply.content
    assert text.startswith("Tus últimos 7 días: 1 registro.")
    assert "ánimo 2/5" in text and "ganas de consumir: pocas" in text and "HALT: hambre" in text
    assert "Gráfico: 1 registro en 7 días" in text
    assert ENGLISH_WORDS.findall(text) == [], text
    assert reply.message is not None and reply.message.attachments
    assert reply.message.attachments[0].description.startswith("1 registro en 7 días")


async def test_dm_prompts_and_reminders_speak_the_language_each_member_last_used(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await set_up(lantern_at)
    rosa, bob = spanish_speaker(lantern_at, "alice"), lantern_at.person("bob")
    for member in (rosa, bob):
        await member.slash("settings", dm_prompts=True)
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    spanish, english = (await rosa.wait_dms(1))[-1], (await bob.wait_dms(1))[-1]
    assert spanish.content.startswith("Buenos días. ¿Cómo llegas hoy?")
    assert [b["label"] for b in buttons(spanish)] == ["Registrarme"]
    assert ENGLISH_WORDS.findall(spanish.content) == [], spanish.content
    assert english.content.startswith("Morning. How are you arriving today?")
    assert [b["label"] for b in buttons(english)] == ["Check in"]
    # The Spanish prompt's button opens the Spanish form.
    opened = await rosa.click(spanish, "Registrarme")
    assert opened.modal is not None and opened.modal["title"] == "Registro del día"


async def test_a_dm_in_spanish_is_answered_in_spanish(lantern_at: Harness, early_clock: FakeClock) -> None:
    await set_up(lantern_at)
    rosa = spanish_speaker(lantern_at, "alice")
    await rosa.slash("settings", dm_prompts=True)
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    before = len(await rosa.wait_dms(1))
    await rosa.say("mañana difícil, pero fui a la reunión y hablé con mi madrina")
    answer = (await rosa.wait_dms(before + 1))[-1]
    assert answer.content.startswith("Gracias, lo guardé en privado como la nota de hoy.")
    assert buttons(answer)[0]["label"] == "5 · Estoy muy bien"
    tapped = await rosa.click(answer, "4 · Estoy bien")
    assert tapped.message is not None and tapped.message.content.startswith("Gracias por registrarte hoy.")
    too_long = len(await rosa.wait_dms(1))
    # Words that read as neither language: the language her Discord last spoke.
    await rosa.say("zzz " * 300)
    new = (await rosa.wait_dms(too_long + 1))[too_long:]
    if not new[-1].content.startswith("Son"):  # the safety net may ask first (in Spanish too)
        new = (await rosa.wait_dms(too_long + 2))[too_long:]
    assert new[-1].content.startswith("Son 1199 caracteres; puedo guardar hasta 1000")
    assert all(ENGLISH_WORDS.findall(m.content) == [] for m in new)


# ----- the member commands around the check-in: settings, breaks, data, resources, partners -------------


def spanish_only(text: str) -> str:
    """The text, after checking it is there and holds none of the English replies' words (web addresses aside:
    https://.../find-help is an address, not words)."""
    assert text.strip(), "an empty answer"
    assert ENGLISH_WORDS.findall(re.sub(r"https://\S+", "", text)) == [], text
    return text


async def test_settings_pause_and_resume_in_spanish(lantern: Harness) -> None:
    rosa = spanish_speaker(lantern, "alice")
    shown = await rosa.slash("settings")
    assert shown.ephemeral and "**Tus ajustes aquí**" in spanish_only(shown.content)
    assert "(la de la comunidad; elige la tuya con `zona-horaria:`)" in shown.content
    assert "`/ajustes avisos-por-md:True`" in shown.content
    await shown.wait_followups(1)  # the privacy notice, once
    assert "privacidad" in spanish_only(shown.followups[0].content)
    saved = await rosa.slash("settings", timezone="EST", dm_prompts=True, quiet_days=5)
    assert saved.content.startswith("Guardado. Entendí “EST” como la hora del Este de EE. UU. (America/New_York)")
    assert "que cambia al horario de verano" in saved.content
    assert "• Aviso diario por MD: activado" in saved.content and "tras 5 días" in spanish_only(saved.content)
    city = await rosa.slash("settings", timezone="Bogota")
    assert city.content.startswith("Guardado. Entendí “Bogota” como America/Bogota.")
    spanish_only(city.content)
    offered = await rosa.autocomplete("settings", "timezone", "pacific")
    assert any(c["name"] == "Pacific: la hora del Pacífico de EE. UU. (America/Los_Angeles)" for c in offered), offered
    paused = await rosa.slash("pause", days=7)
    assert paused.content.startswith("Tómate el tiempo que necesites.") and "`/reanudar`" in spanish_only(
        paused.content
    )
    assert "• En pausa hasta el <t:" in (await rosa.slash("settings")).content
    back = await rosa.slash("resume")
    assert back.content.startswith("Qué alegría tenerte de vuelta.")
    nothing = await rosa.slash("resume")
    assert nothing.content.startswith("No estás en pausa") and "`/pausa días:7`" in spanish_only(nothing.content)


async def test_a_spanish_speakers_bad_settings_are_refused_in_spanish_and_change_nothing(lantern: Harness) -> None:
    rosa = spanish_speaker(lantern, "alice")
    unknown = await rosa.slash("settings", timezone="Mars/Olympus")
    assert unknown.content.startswith("No conozco la zona horaria “Mars/Olympus”.")
    assert "elígela de la lista" in spanish_only(unknown.content)
    suggested = await rosa.slash("settings", timezone="Europe/Lond")
    assert "¿Quisiste decir `Europe/London`" in spanish_only(suggested.content)
    ambiguous = await rosa.slash("settings", timezone="CST")
    assert ambiguous.content.startswith("“CST” puede ser más de un lugar:")
    assert "`America/Havana` (la hora de Cuba)" in spanish_only(ambiguous.content)
    for days in (0, 91):
        refused = await rosa.raw_slash("pause", {"days": days})  # a client that does not keep to the range
        assert refused.content.startswith("Un descanso puede durar de 1 a 90 días.")
        spanish_only(refused.content)
    quiet = await rosa.raw_slash("settings", {"quiet_days": 61})
    assert quiet.content.startswith("Elige de 1 a 60 días (o 0 para desactivarlo).")
    spanish_only(quiet.content)
    for reply in (unknown, suggested, ambiguous, quiet):
        assert reply.ephemeral
    assert lantern.services is not None and lantern.community is not None
    member = await lantern.services.db.members.get(lantern.community.guild.id, rosa.user.id)
    assert member is None or (member.timezone is None and member.paused_until is None and not member.quiet_days)


async def test_export_and_forget_with_their_buttons_in_spanish(lantern: Harness) -> None:
    rosa = spanish_speaker(lantern, "alice")
    exported = await rosa.slash("export")
    await exported.settled()
    assert exported.content.startswith("Aquí tienes todo lo que guardo sobre ti en esta comunidad (0 registros).")
    spanish_only(exported.content)
    assert exported.message is not None and len(exported.message.attachments) == 2
    asked = await rosa.slash("forget")
    assert asked.message is not None and "¿Lo borro todo?" in spanish_only(asked.content)
    assert [b["label"] for b in buttons(asked.message)] == ["Sí, borrarlo todo", "Conservar mis datos"]
    kept = await rosa.click(asked.message, "Conservar mis datos")
    assert spanish_only(kept.content) == "No se borró nada. Tus datos siguen como estaban."
    asked = await rosa.slash("forget")
    assert asked.message is not None
    done = await (await rosa.click(asked.message, "Sí, borrarlo todo")).settled()
    assert re.fullmatch(
        r"Listo\. Borré [0-9]+ datos? sobre ti en esta comunidad\. "
        r"Si vuelves a usar Lantern aquí, empezará desde cero\.",
        done.content,
    ), done.content
    # A button from before (a changed id): nothing is deleted, and the member is told so in Spanish.
    again = await rosa.slash("forget")
    assert again.message is not None
    rewire(again.message, "Sí, borrarlo todo", f"lantern:forget:{lantern.community.guild.id}:1:maybe")  # type: ignore[union-attr]
    stale = await rosa.click(again.message, "Sí, borrarlo todo")
    assert stale.content.startswith("Ese botón caducó, así que no se borró nada.")
    spanish_only(stale.content)


async def test_someone_else_pressing_my_forget_button_is_told_in_their_own_language(lantern: Harness) -> None:
    rosa = spanish_speaker(lantern, "alice")
    asked = await rosa.slash("forget")
    assert asked.message is not None
    # The message is Rosa's; the same button with Bruno's id in it (as if he pressed it) is refused kindly.
    bruno = spanish_speaker(lantern, "bob")
    rewire(asked.message, "Sí, borrarlo todo", f"lantern:forget:{lantern.community.guild.id}:{bruno.user.id + 1}:yes")  # type: ignore[union-attr]
    before = await settled_snapshot(lantern.database_url)
    refused = await rosa.click(asked.message, "Sí, borrarlo todo")
    assert spanish_only(refused.content) == "Solo quien lo pidió puede confirmarlo."
    assert snapshot(lantern.database_url) == before


async def test_resources_in_spanish_put_spanish_language_lines_first(lantern: Harness) -> None:
    community = lantern.community
    assert community is not None
    await lantern.person("lee").slash(
        "setup", checkin_channel=community.checkin_channel, prompt_time="9am", region="US"
    )
    rosa = spanish_speaker(lantern, "alice")
    reply = await rosa.slash("resources")
    assert reply.message is not None and reply.ephemeral
    embed = reply.message.embeds[0]
    assert embed["title"] == "Apoyo, a cualquier hora"
    assert embed["description"] == "Para Estados Unidos. No tienes que pasar por esto a solas."
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    assert list(fields) == [
        "Líneas de crisis",
        "Líneas de ayuda sobre alcohol y otras drogas",
        "Dónde encontrar reuniones",
    ]
    crisis = fields["Líneas de crisis"]
    assert crisis.startswith("• **Línea 988 en español**: llama al 988 y oprime el 2, escribe AYUDA al 988")
    assert crisis.endswith("Si estás en peligro inmediato, llama al 911.")
    assert fields["Líneas de ayuda sobre alcohol y otras drogas"].startswith(
        "• **Línea de ayuda de SAMHSA (atención en español)**: llama al 1-800-662-4357"
    )
    assert "(24/7, en inglés y en español)" in fields["Líneas de ayuda sobre alcohol y otras drogas"]
    assert "Alcohólicos Anónimos (AA)" in fields["Dónde encontrar reuniones"]
    assert "Al-Anon (para familiares y amigos)" in fields["Dónde encontrar reuniones"]
    spanish_only(message_text(reply.message))
    # The same command for an English speaker is as it was.
    english = await lantern.person("bob").slash("resources")
    assert english.message is not None
    assert english.message.embeds[0]["title"] == "Support, any time"
    assert english.message.embeds[0]["fields"][0]["value"].startswith("• **988 Suicide & Crisis Lifeline**")


async def test_resources_elsewhere_in_spanish(lantern: Harness) -> None:
    community = lantern.community
    assert community is not None
    lee = lantern.person("lee")
    await lee.slash("setup", checkin_channel=community.checkin_channel, prompt_time="9am", region="INTL")
    rosa = spanish_speaker(lantern, "alice")
    reply = await rosa.slash("resources")
    assert reply.message is not None
    embed = reply.message.embeds[0]
    assert embed["description"] == "Para otros países. No tienes que pasar por esto a solas."
    text = spanish_only(message_text(reply.message))
    assert "Find A Helpline (líneas de crisis gratuitas en tu país)" in text
    assert "llama al número local de emergencias" in text


async def spanish_check_in(member: Actor, mood: str, cravings: str) -> Reply:
    opened = await member.slash("checkin")
    assert opened.modal is not None
    return await member.submit(opened.modal, {"¿Cómo llegas hoy?": mood, "¿Tienes ganas de consumir ahora?": cravings})


async def test_partners_in_spanish_from_joining_to_leaving(
    lantern_at: Harness, clock: FakeClock, partners_channel: Channel
) -> None:
    lee = lantern_at.person("lee")
    rosa, bruno = spanish_speaker(lantern_at, "alice"), spanish_speaker(lantern_at, "bob")
    outsider = spanish_speaker(lantern_at, "cara")
    not_yet = await rosa.slash("partner rematch")
    assert (
        spanish_only(not_yet.content)
        == "Aún no estás en las rondas de compañeros. `/compañero unirme` te consigue uno."
    )
    joined = await rosa.slash("partner join")
    assert joined.content.startswith("¡Ya estás dentro! Te emparejaré en la próxima ronda (<t:")
    assert "`/compañero salir`" in spanish_only(joined.content)
    waiting = await rosa.slash("partner status")
    assert spanish_only(waiting.content) == "En esta ronda no tienes compañero de apoyo. Estarás en la próxima."
    await bruno.slash("partner join")
    await (await lee.slash("partners pair-now")).settled()
    await outsider.slash("partner join")  # after the round began: free when someone needs a new partner
    status = await rosa.slash("partner status")
    assert re.fullmatch(rf"Ronda [0-9]+: estás con <@{bruno.user.id}>\. Tu hilo: <#[0-9]+>\.", status.content)
    await bruno.slash("settings", share_mood=True)
    await spanish_check_in(bruno, "4 · Estoy bien", "Ninguna")
    shared = await rosa.slash("partner status")
    assert f"<@{bruno.user.id}> comparte su ánimo contigo: el último, 4/5." in spanish_only(shared.content)
    # A hard check-in offers to let the partner know, in Spanish; pressing it says what was (not) shared.
    hard = await spanish_check_in(rosa, "1 · Me está costando muchísimo", "Fuertes")
    assert hard.message is not None
    assert "Avisar a mi compañero de apoyo" in [b["label"] for b in buttons(hard.message)]
    pinged = await rosa.click(hard.message, "Avisar a mi compañero de apoyo")
    assert spanish_only(pinged.content).startswith("Le avisé a tu compañero de apoyo de que te vendría bien un saludo.")
    # The halfway question's buttons are answered in the presser's language.
    clock.advance(days=4)
    assert lantern_at.services is not None
    await lantern_at.services.scheduler.run_due(clock.now)
    _, group = await lantern_at.services.partners.current_group(lantern_at.community.guild.id, rosa.user.id)  # type: ignore[union-attr]
    assert group is not None and group.thread_id is not None
    followup = lantern_at.sandbox.world.channel_messages(group.thread_id)[-1]
    yes = await rosa.click(followup, "Yes")
    assert spanish_only(yes.content) == "¡Qué bien! Gracias por contármelo."
    later = await bruno.click(followup, "Not yet")
    assert spanish_only(later.content).startswith("Gracias por decírmelo. Aún hay tiempo")
    refused = await outsider.click(followup, "Not yet")
    assert spanish_only(refused.content) == "Esta pregunta es para quienes están en este hilo."
    # Confidential requests, and the refusals a member can cause.
    rematched = await rosa.slash("partner rematch")
    assert spanish_only(rematched.content).startswith("Entendido. En la próxima ronda tendrás a alguien nuevo.")
    avoided = await rosa.slash("partner avoid", member=outsider.user)
    assert spanish_only(avoided.content).startswith("Anotado, en privado.")
    myself = await rosa.slash("partner avoid", member=rosa.user)
    assert spanish_only(myself.content).startswith("No puedes elegirte a ti")
    # Rosa leaves: Bruno, alone this round, is offered someone new by DM and from /partner status, in Spanish.
    dms_before = len(bruno.dms())
    left = await (await rosa.slash("partner leave")).settled()
    offer_dm = (await bruno.wait_dms(dms_before + 1))[-1]
    assert spanish_only(offer_dm.content).startswith("Tu compañero se ha tomado una pausa de las rondas")
    assert [b["label"] for b in buttons(offer_dm)] == ["Buscarme a alguien nuevo"]
    assert spanish_only(left.content).startswith("Listo. Ya no estás en las rondas de compañeros")
    again = await (await rosa.slash("partner leave")).settled()
    assert spanish_only(again.content).startswith(
        "No estás en las rondas de compañeros, así que no hay nada que cambiar."
    )
    alone = await bruno.slash("partner status")
    assert "se tomó un descanso de las rondas" in spanish_only(alone.content)
    assert alone.message is not None and [b["label"] for b in buttons(alone.message)] == ["Buscarme a alguien nuevo"]
    paired = await (await bruno.click(alone.message, "Buscarme a alguien nuevo")).settled()
    assert spanish_only(paired.content).startswith("Ahora estás con <@") or paired.content.startswith(
        "Ahora mismo no hay"
    )
    # The same offer pressed by someone no longer in rounds, and a button for a group that is gone.
    offer = await rosa.slash("partner status")
    assert "`/compañero unirme`" in spanish_only(offer.content)
    gone = await rosa.slash("forget")
    assert gone.message is not None
    rewire(gone.message, "Conservar mis datos", f"lantern:newpartner:{lantern_at.community.guild.id}")  # type: ignore[union-attr]
    out = await (await rosa.click(gone.message, "Conservar mis datos")).settled()
    told = (await out.wait_followups(1))[0].content  # it was deferred first, so the refusal follows
    assert spanish_only(told).startswith("Ahora mismo no estás en las rondas de compañeros.")
    for custom_id in (f"lantern:pf:{10**12}:y", f"lantern:ping:{lantern_at.community.guild.id}:{10**12}"):  # type: ignore[union-attr]
        stale = await rosa.slash("forget")
        assert stale.message is not None
        rewire(stale.message, "Conservar mis datos", custom_id)
        ended = await rosa.click(stale.message, "Conservar mis datos")
        assert spanish_only(ended.content).startswith("Ese grupo de compañeros ya terminó.")


async def test_a_spanish_speaker_whose_dms_are_closed_is_told_why_in_spanish(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await set_up(lantern_at)
    rosa = spanish_speaker(lantern_at, "eve")
    await rosa.slash("settings", dm_prompts=True)
    rosa.user.dms_open = False
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    reply = await rosa.slash("resume")
    notices = [m.content for m in await reply.wait_followups(1)]
    told = [n for n in notices if n.startswith("No pude enviarte el aviso de registro por MD")]
    assert len(told) == 1 and "activa los mensajes directos" in spanish_only(told[0])
    again = await rosa.slash("resume")
    assert all("mensajes directos" not in m.content for m in again.messages)
