"""End to end: a peer leader whose Discord speaks Spanish runs /setup, /schedule, /partners, /report, /audit
and /links in Spanish; every refusal they can cause is told in Spanish and changes nothing."""

from __future__ import annotations

import re

from bot.devtools.harness import Harness
from discord_standin.driver import Actor, Reply, buttons
from discord_standin.state import Channel
from tests.conftest import FakeClock
from tests.e2e import test_partners
from tests.e2e.database import settled_snapshot
from tests.e2e.test_checkin import check_in
from tests.e2e.test_schedules import early_clock
from tests.e2e.test_spanish import spanish_only

partners_channel = test_partners.partners_channel  # the fixture: a community with partner rounds on
__all__ = ["early_clock", "partners_channel"]  # fixtures used here by name


def spanish_leader(lantern: Harness) -> Actor:
    lee = lantern.person("lee")
    lee.locale = "es-ES"
    return lee


async def refused_in_spanish(lantern: Harness, attempts: list[tuple[str, dict[str, object], str]]) -> None:
    """Each (command, options, start of the Spanish answer): answered privately, in Spanish, nothing changed."""
    lee = spanish_leader(lantern)
    before = await settled_snapshot(lantern.database_url)
    for command, options, start in attempts:
        reply = await (await lee.raw_slash(command, options)).settled()
        assert reply.ephemeral, command
        assert reply.content.startswith(start), (command, options, reply.content)
        spanish_only(reply.content)
    assert await settled_snapshot(lantern.database_url) == before


async def spanish_setup(lantern: Harness, **options: object) -> Reply:
    community = lantern.community
    assert community is not None
    defaults: dict[str, object] = {
        "checkin_channel": community.checkin_channel,
        "timezone": "Madrid",
        "prompt_time": "9am",
        "region": "ES",
    }
    return await spanish_leader(lantern).slash("setup", **{**defaults, **options})


# ----- /setup ------------------------------------------------------------------------------------------


async def test_setup_in_spanish_first_time_again_and_unchanged(lantern_at: Harness, early_clock: FakeClock) -> None:
    lee = spanish_leader(lantern_at)
    first = await spanish_setup(lantern_at)
    text = spanish_only(first.content)
    assert text.startswith("¡Todo listo! Así funciona Lantern aquí:\n• Los registros se publican en <#")
    assert "• Zona horaria: Europe/Madrid (Entendí “Madrid” como Europe/Madrid.)" in text
    assert "• **daily**: todos los días a las 09:00 en el canal de registro y por MD a quienes activen" in text
    assert "(`/ajustes avisos-por-md:True`; aún nadie lo ha hecho)" in text
    assert "(a la hora de cada miembro; Europe/Madrid para quien no eligió la suya)" in text
    assert "• Líderes: quienes pueden gestionar el servidor" in text
    assert "• Alertas: aún ninguna (elige `canal-alertas:`)" in text
    assert "• Región para los recursos: España" in text and "• Los registros se guardan 365 días" in text
    assert text.endswith(
        "con `/horario añadir`, y mira exactamente lo que reciben los miembros con `/horario vista-previa`."
    )
    community = lantern_at.community
    assert community is not None
    again = await lee.slash("setup", prompt_time="8am", timezone="EST", alert_channel=community.leaders_channel)
    text = spanish_only(again.content)
    assert text.startswith("Actualizado. Así funciona ahora:")
    assert "• Zona horaria: America/New_York (Entendí “EST” como la hora del Este de EE. UU. (America/New_York)" in text
    assert "todos los días a las 08:00" in text and f"• Las alertas van a <#{community.leaders_channel.id}>" in text
    shown = await lee.slash("setup")
    assert spanish_only(shown.content).startswith(
        "Así funciona Lantern aquí. Puedes cambiar cualquier cosa con `/configurar`, "
        "p. ej. `/configurar hora-aviso:8am`:"
    )
    await lantern_at.person("alice").slash("settings", dm_prompts=True)
    await lantern_at.person("bob").slash("settings", dm_prompts=True)
    reach = spanish_only((await lee.slash("setup")).content)
    assert "en el canal de registro y por MD a quienes activaron los avisos por MD (2 personas)" in reach
    # An English-speaking leader still reads the English summary.
    lee.locale = "en-US"
    english = await lee.slash("setup")
    assert english.content.startswith("Here's how Lantern runs here.") and "• Region for resources: Spain (España)" in (
        english.content
    )


async def test_setup_refusals_in_spanish_change_nothing(lantern_at: Harness, early_clock: FakeClock) -> None:
    community = lantern_at.community
    assert community is not None
    await refused_in_spanish(
        lantern_at,
        [
            ("setup", {"timezone": "Europe/Madrid"}, "Para configurar por primera vez necesito al menos un canal"),
            (
                "setup",
                {"checkin_channel": community.checkin_channel, "prompt_time": "25:99"},
                'No pude leer "25:99" como una hora. Prueba algo como 21:00 o 9pm.',
            ),
            (
                "setup",
                {"checkin_channel": community.checkin_channel, "prompt_time": "9am", "timezone": "Mars/Olympus"},
                "No conozco la zona horaria “Mars/Olympus”.",
            ),
            (
                "setup",
                {"checkin_channel": community.checkin_channel, "prompt_time": "9am", "retention_days": 5},
                "Los registros se pueden guardar de 30 a 3650 días",
            ),
        ],
    )


# ----- /schedule ---------------------------------------------------------------------------------------


async def test_schedules_in_spanish_from_adding_to_removing(lantern_at: Harness, early_clock: FakeClock) -> None:
    lee = spanish_leader(lantern_at)
    empty = await lee.slash("schedule list")
    assert spanish_only(empty.content) == "Aún no hay horarios. `/configurar` crea uno diario, o usa `/horario añadir`."
    await spanish_setup(lantern_at)
    added = await lee.slash(
        "schedule add",
        name="noche",
        days="lun,mié,vie",
        time="21:00",
        where="both",
        reminder_minutes=30,
        daily_thread=True,
        question="¿Fuiste a una reunión?",
    )
    text = spanish_only(added.content)
    assert text.startswith(
        "Añadido. **noche**: lun, mié, vie a las 21:00 en el canal y por MD a los miembros "
        "(a la hora de cada miembro; Europe/Madrid para quien no eligió la suya) · recordatorio a los 30 min "
        "· hilo diario · pregunta “¿Fuiste a una reunión?” "
        "(se responde con sus propias palabras, lo ve solo la persona)\nEl próximo: <t:"
    ), text
    assert text.endswith(":F>. `/horario vista-previa nombre:noche` te muestra lo que recibirán los miembros.")
    assert lantern_at.services is not None and lantern_at.community is not None
    guild_id = lantern_at.community.guild.id

    async def stored_days() -> frozenset[int]:
        assert lantern_at.services is not None
        schedule = await lantern_at.services.db.schedules.by_name(guild_id, "noche")
        assert schedule is not None
        return schedule.weekdays

    assert await stored_days() == frozenset({0, 2, 4})
    for days, shown, stored in (
        ("fines de semana", "los fines de semana", {5, 6}),
        ("a diario", "todos los días", set(range(7))),
        ("de lunes a viernes", "entre semana", set(range(5))),
        ("martes y jueves", "mar, jue", {1, 3}),
    ):
        edited = await lee.slash("schedule edit", name="noche", days=days)
        assert spanish_only(edited.content).startswith(f"Actualizado. **noche**: {shown} a las 21:00"), edited.content
        assert await stored_days() == frozenset(stored)
    listed = spanish_only((await lee.slash("schedule list")).content)
    assert listed.startswith("**daily**: todos los días a las 09:00") and "**noche**: mar, jue a las 21:00" in listed

    preview = await lee.slash("schedule preview", name="noche")
    parts = preview.content.split("\n\n")
    assert parts[0].startswith("**Vista previa de noche** (**noche**: mar, jue a las 21:00")
    # The channel's own prompt is shown as the channel sees it, in the server's language (English here), and
    # said to be so.
    assert parts[1].startswith(
        "**En el canal de registro** (en el idioma del servidor, porque es para todo el canal):\nEvening, all."
    )
    assert parts[2].startswith("**Por MD, a quienes activaron los avisos por MD** (cada miembro lo recibe en el idioma")
    assert "Hola. ¿Cómo llegas hoy?" in parts[2] and "Recovery Circle" in parts[2]
    assert parts[3].startswith(
        "**Recordatorio a los 30 min, a quien lo pidió y aún no se ha registrado:**\nUn recordatorio"
    )
    assert parts[4] == (
        "**El formulario pregunta:** ánimo (1-5), ganas de consumir (0-4), casillas HALT, una nota privada y tu "
        "pregunta “¿Fuiste a una reunión?”, con “Solo tú verás tu respuesta.” debajo. "
        "Prueba el botón de abajo: abre el formulario de verdad para ti."
    )
    for part in (parts[0], *parts[2:]):
        spanish_only(part)
    assert preview.message is not None
    assert [b["label"] for b in buttons(preview.message)] == ["Registrarme", "Pedir un consejo"]
    opened = await lee.click(preview.message, "Registrarme")
    assert opened.modal is not None and opened.modal["title"] == "Registro del día"

    paused = await lee.slash("schedule pause", name="noche")
    assert spanish_only(paused.content) == (
        "**noche** está en pausa. `/horario reanudar nombre:noche` lo vuelve a poner en marcha."
    )
    assert "· **en pausa**" in (await lee.slash("schedule list")).content
    resumed = await lee.slash("schedule resume", name="noche")
    assert re.fullmatch(r"\*\*noche\*\* vuelve a estar en marcha\. El próximo: <t:[0-9]+:F>\.", resumed.content)
    removed = await lee.slash("schedule remove", name="noche")
    assert spanish_only(removed.content) == "Quitado **noche**. Los registros de los miembros siguen intactos."


async def test_schedule_refusals_in_spanish_change_nothing(lantern_at: Harness, early_clock: FakeClock) -> None:
    lee = spanish_leader(lantern_at)
    await lee.slash("schedule list")  # any leader command makes the community's row, with its defaults
    await refused_in_spanish(
        lantern_at,
        [
            (
                "schedule add",
                {"name": "noche", "days": "a diario", "time": "9pm", "where": "both"},
                "Primero elige el canal de registro",
            ),
            ("schedule edit", {"name": "noche", "time": "9pm"}, "No encuentro ningún horario llamado “noche”. Aún no"),
        ],
    )
    await spanish_setup(lantern_at)
    await lee.slash("schedule add", name="noche", days="entre semana", time="21:00")
    await refused_in_spanish(
        lantern_at,
        [
            ("schedule add", {"name": "noche", "days": "diario", "time": "9pm"}, "Ya hay un horario llamado “noche”."),
            ("schedule add", {"name": "¿¿??", "days": "diario", "time": "9pm"}, "El nombre de un horario puede tener"),
            ("schedule add", {"name": "tarde", "days": "lunez", "time": "9pm"}, 'No conozco el día "lunez".'),
            ("schedule add", {"name": "tarde", "days": ", ,", "time": "9pm"}, 'Elige al menos un día, como "entre'),
            ("schedule add", {"name": "tarde", "days": "lun", "time": "25:99"}, 'No pude leer "25:99" como una hora.'),
            ("schedule edit", {"name": "noche"}, "Dime qué quieres cambiar, por ejemplo `hora:8:30am`"),
            ("schedule edit", {"name": "noche", "reminder_minutes": 2}, "Un recordatorio puede llegar de 5 a 720"),
            ("schedule pause", {"name": "mañana"}, "No encuentro ningún horario llamado “mañana”. Los que hay aquí"),
            ("schedule remove", {"name": "tarde"}, "No encuentro ningún horario llamado “tarde”."),
            ("schedule preview", {"name": "tarde"}, "No encuentro ningún horario llamado “tarde”."),
        ],
    )


async def test_a_member_refused_a_leader_command_is_told_in_spanish(lantern_at: Harness) -> None:
    community = lantern_at.community
    assert community is not None
    lantern_at.sandbox.allow_command(community.guild, "schedule", community.guild.everyone_role)
    rosa = lantern_at.person("alice")
    rosa.locale = "es-419"
    refused = await rosa.slash("schedule list")
    assert refused.ephemeral and spanish_only(refused.content).startswith("Eso es para las personas líderes.")


# ----- /partners ---------------------------------------------------------------------------------------


async def test_partner_rounds_run_by_a_spanish_speaking_leader(
    lantern_at: Harness, clock: FakeClock, partners_channel: Channel
) -> None:
    lee = spanish_leader(lantern_at)
    configured = await lee.slash("partners config", cadence="biweekly")
    assert re.fullmatch(
        rf"Rondas de compañeros: activadas, la próxima ronda <t:[0-9]+:F>; cada dos semanas; "
        rf"hilos en <#{partners_channel.id}>\.",
        configured.content,
    ), configured.content
    off = await lee.slash("partners config", enabled=False)
    assert spanish_only(off.content).startswith("Rondas de compañeros: desactivadas; cada dos semanas;")
    none = await lee.slash("partners list")
    assert spanish_only(none.content) == "Aún no hay rondas. `/compañeros emparejar-ahora` empieza una."
    await refused_in_spanish(
        lantern_at,
        [
            (
                "partners pair-now",
                {},
                "Una ronda necesita al menos dos miembros que se hayan unido con `/compañero unirme`.",
            )
        ],
    )
    alice, bob, cara, dan, eve = (lantern_at.person(n) for n in ("alice", "bob", "cara", "dan", "eve"))
    for member in (alice, bob, cara, dan):
        await member.slash("partner join")
    started = await (await lee.slash("partners pair-now")).settled()
    assert spanish_only(started.content) == "La ronda 1 ya está en marcha: 2 grupos."
    listed = await lee.slash("partners list")
    assert listed.content.startswith("Ronda 1:\n") and len(listed.content.splitlines()) == 3
    out = await lee.slash("partners unpair", member=dan.user)
    assert spanish_only(out.content) == f"Saqué a <@{dan.user.id}> de su grupo en esta ronda."
    bot_user = lantern_at.sandbox.world.bot_user
    await refused_in_spanish(
        lantern_at,
        [
            ("partners unpair", {"member": dan.user}, "Ese miembro no está en ningún grupo de compañeros"),
            ("partners pair", {"a": alice.user, "b": alice.user}, "Elige a dos miembros distintos para emparejar."),
            ("partners pair", {"a": alice.user, "b": bot_user}, "Los bots no pueden ser compañeros."),
            ("partners pair", {"a": alice.user, "b": eve.user}, "Solo puedo emparejar a miembros que se hayan unido"),
        ],
    )
    await alice.slash("partner avoid", member=dan.user)
    await refused_in_spanish(
        lantern_at, [("partners pair", {"a": dan.user, "b": alice.user}, "No puedo emparejar a esas dos personas.")]
    )
    paired = await (await lee.slash("partners pair", a=dan.user, b=cara.user)).settled()
    assert spanish_only(paired.content) == (
        f"Emparejé a <@{dan.user.id}> y <@{cara.user.id}> en un hilo privado nuevo."
    )
    assert "(a mano)" in (await lee.slash("partners list")).content


async def test_partner_rounds_need_a_channel_first_in_spanish(lantern_at: Harness, early_clock: FakeClock) -> None:
    await refused_in_spanish(
        lantern_at,
        [
            ("partners config", {"enabled": True}, "Primero elige un canal para los compañeros, p. ej. `/compañeros"),
            ("partners pair-now", {}, "Primero elige un canal para los compañeros"),
        ],
    )


# ----- /report, /audit, /links -------------------------------------------------------------------------


async def test_report_and_audit_in_spanish(lantern_at: Harness, early_clock: FakeClock) -> None:
    lee = spanish_leader(lantern_at)
    await spanish_setup(lantern_at, timezone="Europe/London")
    await check_in(lantern_at.person("alice"), mood="4", cravings="1")
    week = spanish_only((await lee.slash("report", days=7)).content)
    # 2026-03-10 is a Tuesday.
    assert week.startswith("**Registros, últimos 7 días** (04 mar – 10 mar)\n• 1 registro, de 1 de "), week
    assert "• Tasa de respuesta: 100% de los registros diarios posibles" in week
    assert "• Por día: mié 04: 0, jue 05: 0, vie 06: 0, sáb 07: 0, dom 08: 0, lun 09: 0, mar 10: 1" in week
    assert "• El ánimo se muestra cuando al menos 5 miembros (sin contar a líderes) se han registrado" in week
    today = spanish_only((await lee.slash("report", days=1)).content)
    assert today.startswith("**Registros, hoy** (10 mar)") and "Por día" not in today
    for name in ("bob", "cara", "dan", "eve"):
        await check_in(lantern_at.person(name), mood="3", cravings="0")
    shown = spanish_only((await lee.slash("report", days=1)).content)
    assert "• Ánimo medio: 3.2 de 5; ganas de consumir: 0.2 de 4 (entre 5 miembros)" in shown
    audit = spanish_only((await lee.slash("audit")).content)
    assert audit.startswith("**Lo que los líderes cambiaron o consultaron, últimos 30 días** (lo más reciente primero)")
    assert f"<@{lee.user.id}>: /configurar (" in audit and f"<@{lee.user.id}>: /informe (days=1)" in audit
    await refused_in_spanish(
        lantern_at,
        [
            ("report", {"days": 0}, "Elige de 1 a 90 días, como `/informe días:7`."),
            ("report", {"days": 91}, "Elige de 1 a 90 días"),
            ("audit", {"days": 366}, "Elige de 1 a 365 días, como `/auditoría días:7`."),
        ],
    )


async def test_audit_with_nothing_to_show_in_spanish(lantern: Harness) -> None:
    # /audit records itself after it answers, so the first one finds nothing.
    reply = await spanish_leader(lantern).slash("audit", days=7)
    assert spanish_only(reply.content) == "En los últimos 7 días, los líderes no han cambiado ni consultado nada."


async def test_links_in_spanish(lantern: Harness) -> None:
    lee = spanish_leader(lantern)
    empty = await lee.slash("links list")
    assert spanish_only(empty.content) == "Tu comunidad aún no tiene enlaces propios. `/enlaces añadir` añade uno."
    added = await lee.slash("links add", name="Reunión del martes", url="https://ejemplo.org/reuniones")
    assert spanish_only(added.content) == (
        "Añadido el enlace 1: Reunión del martes. Los miembros lo ven en `/recursos`."
    )
    assert (await lee.slash("links list")).content == "1. Reunión del martes: <https://ejemplo.org/reuniones>"
    await refused_in_spanish(
        lantern,
        [
            ("links add", {"name": "x", "url": "https://ejemplo.org/x"}, "El nombre puede tener de 2 a 100 caracteres"),
            ("links add", {"name": "Reunión", "url": "http://ejemplo.org"}, "La dirección debe empezar por https://"),
            ("links remove", {"link_id": 7}, "No encuentro el enlace 7. `/enlaces lista` muestra sus números."),
        ],
    )
    for n in range(2, 16):
        await lee.slash("links add", name=f"Reunión {n}", url=f"https://ejemplo.org/{n}")
    await refused_in_spanish(
        lantern,
        [("links add", {"name": "Una más", "url": "https://ejemplo.org/mas"}, "`/recursos` puede tener hasta 15")],
    )
    removed = await lee.slash("links remove", link_id=1)
    assert spanish_only(removed.content) == "Quitado el enlace 1."


async def test_english_leaders_are_answered_as_before(lantern_at: Harness, early_clock: FakeClock) -> None:
    """The same commands for a leader whose Discord speaks English: the English words, unchanged."""
    lee = lantern_at.person("lee")
    community = lantern_at.community
    assert community is not None
    await lee.slash("setup", checkin_channel=community.checkin_channel, prompt_time="9am", timezone="Europe/London")
    added = await lee.slash("schedule add", name="evening", days="mon,wed,fri", time="21:00")
    assert added.content.startswith(
        "Added. **evening**: Mon, Wed, Fri at 21:00 in the check-in channel (Europe/London)"
    )
    refused = await lee.slash("schedule add", name="late", days="lunez", time="9pm")
    assert (
        refused.content == 'I don\'t know the day "lunez". Try day names like mon, tue, wed, or "weekdays" or "daily".'
    )
    week = (await lee.slash("report", days=7)).content
    assert week.startswith("**Check-ins, last 7 days** (04 Mar – 10 Mar)\n• 0 check-ins from 0 of ")
    assert "• Per day: Wed 04: 0, Thu 05: 0, Fri 06: 0, Sat 07: 0, Sun 08: 0, Mon 09: 0, Tue 10: 0" in week
    assert (await lee.slash("links list")).content == "No links of your own yet. `/links add` adds one."
    assert (await lee.slash("partners list")).content == "No rounds yet. `/partners pair-now` starts one."
    audit = (await lee.slash("audit")).content
    assert audit.startswith("**Leader actions and views, last 30 days** (newest first)")
    assert f"<@{lee.user.id}>: /schedule add (" in audit
    spanish_day = await lee.slash("schedule edit", name="evening", days="sáb,dom")
    assert spanish_day.content.startswith("Updated. **evening**: weekends at 21:00")
    # Nothing from the Spanish catalogue reaches an English reader.
    assert not any(re.search(r"\b(los|horario|días)\b", text) for text in (added.content, week, audit))
