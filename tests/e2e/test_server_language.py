"""End to end: what Lantern posts where everyone reads it (the check-in channel, partner threads, the leaders'
channel) follows the server's language, Discord's preferred_locale; each member's own replies and DMs stay in
theirs."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.devtools.harness import Harness
from bot.services import oncall_words as words
from bot.services.messages import catalogue
from discord_standin.driver import buttons
from discord_standin.state import PUBLIC_THREAD, Channel
from tests.conftest import FakeClock
from tests.e2e import test_partners
from tests.e2e.test_checkin import check_in
from tests.e2e.test_oncall import alerts, ask_for_support
from tests.e2e.test_oncall import set_up as set_up_alerts
from tests.e2e.test_schedules import channel_prompts, early_clock, run_until, set_up
from tests.e2e.test_spanish import spanish_only

partners_channel = test_partners.partners_channel  # the fixture: a community with partner rounds on
__all__ = ["early_clock", "partners_channel"]  # fixtures used here by name

ES = catalogue("shared")["es"]
EN = catalogue("shared")["en"]
ES_DATES = catalogue("dates")["es"]
EN_DATES = catalogue("dates")["en"]


async def speak(lantern: Harness, locale: str) -> None:
    """An admin sets the server's language in Discord (GUILD_UPDATE); wait until the bot has heard it."""
    assert lantern.community is not None and lantern.bot is not None
    guild = lantern.community.guild
    await lantern.sandbox.set_preferred_locale(guild, locale)
    bot = lantern.bot

    def heard() -> bool:
        cached = bot.get_guild(guild.id)
        return cached is not None and str(cached.preferred_locale) == locale

    await lantern.sandbox.wait_until(heard)


def daily_threads(lantern: Harness) -> list[Channel]:
    assert lantern.community is not None
    parent = lantern.community.checkin_channel.id
    return [c for c in lantern.sandbox.world.channels.values() if c.parent_id == parent and c.type == PUBLIC_THREAD]


async def test_the_channel_prompt_speaks_the_servers_language_and_follows_a_change(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    early_clock.now = datetime(2026, 3, 17, 7, 0, tzinfo=UTC)  # a Tuesday, and St Patrick's Day
    await set_up(lantern_at)
    lee, alice = lantern_at.person("lee"), lantern_at.person("alice")
    edited = await lee.slash("schedule edit", name="daily", daily_thread=True)
    assert edited.ephemeral, edited.content
    await lee.slash("dates community add", label="San Patricio", date="17 March", kind="holiday")
    # The server was Spanish while Lantern was away: GUILD_CREATE at the next start says so.
    assert lantern_at.community is not None
    lantern_at.community.guild.preferred_locale = "es-419"
    await lantern_at.restart_bot()

    await run_until(lantern_at, early_clock, datetime(2026, 3, 17, 9, 0, tzinfo=UTC))
    prompt = channel_prompts(lantern_at)[-1]
    assert prompt.content.startswith("Buenos días, comunidad. ¿Cómo llegas hoy?"), prompt.content
    assert ES["channel_prompt_thread"] in prompt.content
    assert ES_DATES["prompt_line"].format(label="San Patricio") in prompt.content
    spanish_only(prompt.content)
    assert [b["label"] for b in buttons(prompt)] == ["Registrarme", catalogue("tips")["es"]["button_get"]]
    assert [t.name for t in daily_threads(lantern_at)] == ["Registro · mar 17 mar"]
    # The leader (English Discord) previews what the channel will read: the server's Spanish, words around it
    # in English.
    preview = await lee.slash("schedule preview", name="daily")
    assert preview.ephemeral and preview.content.startswith("**Preview of daily**")
    assert "Buenos días, comunidad." in preview.content and "Morning, all." not in preview.content
    # A member whose Discord is English opens the form from the Spanish prompt: in English, as always.
    opened = await alice.click(prompt, "Registrarme")
    assert opened.modal is not None and opened.modal["title"] == catalogue("checkin")["en"]["form_title"]

    # The server changes its language: the next prompt follows.
    await speak(lantern_at, "en-US")
    await run_until(lantern_at, early_clock, datetime(2026, 3, 18, 9, 0, tzinfo=UTC))
    prompt = channel_prompts(lantern_at)[-1]
    assert prompt.content.startswith("Morning, all. How are you arriving today?"), prompt.content
    assert EN["channel_prompt_thread"] in prompt.content and "comunidad" not in prompt.content
    assert [b["label"] for b in buttons(prompt)] == ["Check in", "Get a tip"]
    assert daily_threads(lantern_at)[-1].name == "Check-in · Wed 18 Mar"

    # Spain's Spanish reads the same.
    await speak(lantern_at, "es-ES")
    await run_until(lantern_at, early_clock, datetime(2026, 3, 19, 9, 0, tzinfo=UTC))
    assert channel_prompts(lantern_at)[-1].content.startswith("Buenos días, comunidad.")


async def test_an_english_server_posts_in_english_whatever_its_members_speak(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    early_clock.now = datetime(2026, 3, 17, 7, 0, tzinfo=UTC)
    await set_up(lantern_at)
    rosa = lantern_at.person("alice")
    rosa.locale = "es-419"
    await rosa.slash("settings")  # Lantern now knows her Discord speaks Spanish
    await lantern_at.person("lee").slash("dates community add", label="San Patricio", date="17 March")
    await run_until(lantern_at, early_clock, datetime(2026, 3, 17, 9, 0, tzinfo=UTC))
    prompt = channel_prompts(lantern_at)[-1]
    assert prompt.content.startswith("Morning, all.") and "comunidad" not in prompt.content
    assert EN_DATES["prompt_line"].format(label="San Patricio") in prompt.content
    # Her own form, from the English prompt, is in Spanish.
    opened = await rosa.click(prompt, "Check in")
    assert opened.modal is not None and opened.modal["title"] == "Registro del día"


async def test_partner_threads_speak_the_servers_language(
    lantern_at: Harness, clock: FakeClock, partners_channel: Channel
) -> None:
    members = test_partners.members_of(lantern_at)[:4]
    alice = members[0]
    for member in members:
        await member.slash("partner join")
    await speak(lantern_at, "es-419")
    lee = lantern_at.person("lee")
    started = await (await lee.slash("partners pair-now")).settled()
    # The leader's own answer stays in the leader's language.
    assert started.content.startswith("Round 1 is under way: 2 groups."), started.content
    threads = test_partners.partner_threads(lantern_at, partners_channel)
    assert len(threads) == 2
    assert [t.name for t in threads] == ["Compañeros · ronda 1"] * 2
    for thread in threads:
        welcome = lantern_at.sandbox.world.channel_messages(thread.id)[0].content
        first, second = sorted(thread.thread_members - {lantern_at.sandbox.world.bot_user.id})
        assert welcome.startswith(f"Hola, <@{first}> y <@{second}>. En la ronda 1 son compañeros de apoyo."), welcome
        assert ES["welcome_starters"] in welcome and welcome.endswith(ES["welcome_end"])
        assert sum(line.startswith("• ¿") for line in welcome.splitlines()) == 3
        spanish_only(welcome)

    # Halfway through: the follow-up and its buttons in Spanish; an English member's answer in English.
    assert lantern_at.services is not None and lantern_at.community is not None
    _, group = await lantern_at.services.partners.current_group(lantern_at.community.guild.id, alice.user.id)
    assert group is not None and group.thread_id is not None
    clock.advance(days=4)
    await lantern_at.services.scheduler.run_due(clock.now)
    followup = lantern_at.sandbox.world.channel_messages(group.thread_id)[-1]
    assert followup.content == ES["followup"]
    assert [b["label"] for b in buttons(followup)] == ["Sí", "Todavía no"]
    answered = await alice.click(followup, "Sí")
    assert answered.ephemeral and answered.content == catalogue("partner")["en"]["followup_yes"]
    # After a hard check-in, "Let my partner know" (her own reply, in English) posts Spanish in the thread.
    hard = await check_in(alice, mood="1", cravings="3", note="alice-private-note")
    assert hard.message is not None
    pinged = await alice.click(hard.message, "Let my partner know")
    assert pinged.content.startswith("I've let your partner know")
    ping = lantern_at.sandbox.world.channel_messages(group.thread_id)[-1].content
    assert ping == ES["partner_ping"].format(user=alice.user.id)

    # Back to English for the next round: its welcomes follow.
    await speak(lantern_at, "en-US")
    await (await lee.slash("partners pair-now")).settled()
    _, group = await lantern_at.services.partners.current_group(lantern_at.community.guild.id, alice.user.id)
    assert group is not None and group.thread_id is not None
    assert lantern_at.sandbox.world.channels[group.thread_id].name == "Partners · round 2"
    welcome = lantern_at.sandbox.world.channel_messages(group.thread_id)[0].content
    assert welcome.startswith("Welcome, <@") and "You're accountability partners for round 2." in welcome


async def test_the_leaders_channel_speaks_the_servers_language(lantern_at: Harness, clock: FakeClock) -> None:
    lee = await set_up_alerts(lantern_at)
    await speak(lantern_at, "es-ES")
    alice, bob = lantern_at.person("alice"), lantern_at.person("bob")
    # Alice's Discord is English: what she is told stays English; the leaders' channel reads Spanish.
    told = await ask_for_support(alice)
    assert told.startswith(words.NO_ONE_ON_DUTY_POSTED)
    await lantern_at.sandbox.wait_until(lambda: len(alerts(lantern_at)) == 1)
    alert = alerts(lantern_at)[0]
    assert alert == ES["leader_alert"].format(user=alice.user.id) + "\n" + ES["no_one_on_duty_alert"]
    spanish_only(alert)

    # A request the leader on duty doesn't pick up in time: the channel is told in Spanish, the member by DM in
    # her own language.
    await lee.slash("oncall on")
    assert lantern_at.services is not None
    bob_told = await ask_for_support(bob)
    assert bob_told == words.REACHED_ON_DUTY
    clock.advance(minutes=30)
    await lantern_at.services.scheduler.run_due(clock.now)
    await lantern_at.sandbox.wait_until(lambda: len(alerts(lantern_at)) == 2)
    late = alerts(lantern_at)[1]
    assert late == ES["unanswered_alert"].format(member=bob.user.id, ago="hace 30 minutos")
    spanish_only(late)
    dms = await bob.wait_dms(1)
    assert dms[-1].content.startswith("The peer leader on duty in Recovery Circle hasn't picked up your request")

    # The server switches to English: the next alert is English.
    await speak(lantern_at, "en-US")
    await lee.slash("oncall off")
    cara = lantern_at.person("cara")
    assert (await ask_for_support(cara)).startswith(words.NO_ONE_ON_DUTY_POSTED)
    await lantern_at.sandbox.wait_until(lambda: len(alerts(lantern_at)) == 3)
    assert alerts(lantern_at)[2] == EN["leader_alert"].format(user=cara.user.id) + "\n" + words.NO_ONE_ON_DUTY_ALERT


async def test_a_shared_milestone_reads_in_the_servers_language(lantern_at: Harness, clock: FakeClock) -> None:
    await set_up(lantern_at)
    await speak(lantern_at, "es-419")
    alice = lantern_at.person("alice")
    await alice.slash("days set", name="secret-habit", since="today")
    await run_until(lantern_at, clock, datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    assert lantern_at.community is not None
    channel = lantern_at.community.checkin_channel.id
    # Her note (a DM) and her answer stay in her language, English; the channel reads the server's.
    note = [m for m in alice.dms() if "counter today" in m.content][-1]
    done = await alice.click(note, catalogue("days")["en"]["share_button"])
    assert done.ephemeral and "Only the milestone was shared" in done.content
    posted = [
        m.content for m in lantern_at.sandbox.world.channel_messages(channel) if m.author.bot and "🎉" in m.content
    ]
    assert posted == [f"<@{alice.user.id}> celebra hoy 1 día. 🎉"]


async def test_a_paused_schedule_is_reported_in_the_servers_language(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await set_up(lantern_at)
    await speak(lantern_at, "es-419")
    community = lantern_at.community
    assert community is not None
    # An admin takes Lantern's permission to post in the check-in channel away.
    community.checkin_channel.bot_can_send = False
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    await lantern_at.sandbox.wait_until(lambda: alerts(lantern_at))
    alert = alerts(lantern_at)[0]
    assert alert.startswith("Pausé el registro **daily**: no pude publicarlo en <#"), alert
    assert "`/horario reanudar nombre:daily`" in alert and "/schedule" not in alert
    # The leader's own /schedule list (English Discord) shows the pause in English.
    listed = await lantern_at.person("lee").slash("schedule list", in_channel=community.leaders_channel)
    assert "**paused**" in listed.content
