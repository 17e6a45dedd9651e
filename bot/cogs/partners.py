"""`/partner join|leave|status|rematch|avoid` for members and `/partners ...` for leaders."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.checkins import short_day
from bot.services.messages import language_of_locale, message, refusal
from bot.services.partners import partner_text
from bot.services.question_words import words
from bot.ui.leaders import check_leader
from bot.ui.partner_buttons import new_partner_view
from bot.ui.replies import answer

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

CADENCE_CHOICES = [
    app_commands.Choice(name="every week", value="weekly"),
    app_commands.Choice(name="every two weeks", value="biweekly"),
]


def _when(settings_next: Any, language: str = "en") -> str:
    if settings_next:
        return f"<t:{int(settings_next.timestamp())}:F>"
    return partner_text(language, "next_round_unscheduled")


@app_commands.guild_only()
class PartnerCog(commands.GroupCog, group_name="partner", group_description="Accountability partners"):
    """A member's own partner rounds."""

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()

    @app_commands.command(name="join", description="Get an accountability partner each round")
    @app_commands.describe(cadence="How often you'd like a new partner")
    @app_commands.choices(cadence=CADENCE_CHOICES)
    async def join(self, interaction: discord.Interaction[LanternClient], cadence: str | None = None) -> None:
        assert interaction.guild_id is not None
        language = language_of_locale(interaction.locale)
        settings = await self.services.partners.join(interaction.guild_id, interaction.user.id, cadence)
        await answer(interaction, partner_text(language, "join_done", when=_when(settings.next_round_at, language)))

    @app_commands.command(name="leave", description="Stop being paired")
    async def leave(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        language = language_of_locale(interaction.locale)
        # Leaving may mean telling a partner and updating a thread: answer within Discord's 3 seconds first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        if await self.services.partners.leave(interaction.guild_id, interaction.user.id):
            await answer(interaction, partner_text(language, "leave_done"))
        else:
            await answer(interaction, partner_text(language, "leave_nothing"))

    @app_commands.command(name="status", description="Your current partner and round")
    async def status(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        language = language_of_locale(interaction.locale)
        user_id = interaction.user.id
        member = await self.services.db.partners.member(interaction.guild_id, user_id)
        if member is not None and member.paused_from_pairing:
            await answer(interaction, partner_text(language, "status_paused"))
            return
        current_round, group = await self.services.partners.current_group(interaction.guild_id, user_id)
        if group is None or current_round is None:
            joined = member is not None and member.opted_in
            text = partner_text(language, "status_unpaired") + partner_text(
                language, "status_next" if joined else "status_join"
            )
            await answer(interaction, text)
            return
        others = ", ".join(f"<@{m}>" for m in group.members if m != user_id)
        if not others:
            await answer(
                interaction,
                partner_text(language, "status_alone", number=current_round.number),
                view=new_partner_view(interaction.guild_id, language),
            )
            return
        thread = partner_text(language, "status_thread", thread=f"<#{group.thread_id}>") if group.thread_id else ""
        text = partner_text(language, "status_paired", number=current_round.number, others=others, thread=thread)
        shared = await self.services.partners.shared_moods(interaction.guild_id, group, user_id)
        for other, mood in shared.items():
            text += "\n" + partner_text(language, "status_mood", member=f"<@{other}>", mood=mood)
        for other, question, given, day in await self.services.partners.shared_answers(
            interaction.guild_id, group, user_id
        ):
            shown = short_day(day, language)
            text += "\n" + words(
                "text", "partner_answer", language, member=other, question=question, answer=given, day=shown
            )
        await answer(interaction, text[:2000])

    @app_commands.command(name="rematch", description="Ask for someone new next round (confidential)")
    async def rematch(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        await self.services.partners.rematch(interaction.guild_id, interaction.user.id)
        await answer(interaction, partner_text(language_of_locale(interaction.locale), "rematch_done"))

    @app_commands.command(name="avoid", description="Never be paired with someone (confidential)")
    @app_commands.describe(member="Who you'd rather not be paired with; they are never told")
    async def avoid(self, interaction: discord.Interaction[LanternClient], member: discord.Member) -> None:
        assert interaction.guild_id is not None
        await self.services.partners.avoid(interaction.guild_id, interaction.user.id, member.id, member.bot)
        await answer(interaction, partner_text(language_of_locale(interaction.locale), "avoid_done"))


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class PartnersCog(commands.GroupCog, group_name="partners", group_description="Partner rounds (for peer leaders)"):
    """Leaders run partner rounds; they see who is paired, never what partners say."""

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return await check_leader(interaction)

    @app_commands.command(name="config", description="Partners channel, how often rounds run, on or off")
    @app_commands.describe(channel="Where private partner threads are made", cadence="How often", enabled="Run rounds")
    @app_commands.choices(cadence=CADENCE_CHOICES)
    async def config(
        self,
        interaction: discord.Interaction[LanternClient],
        channel: discord.TextChannel | None = None,
        cadence: str | None = None,
        enabled: bool | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        settings = await self.services.partners.configure(
            interaction.guild_id, channel.id if channel is not None else None, cadence, enabled
        )
        await self.services.scheduler.rebuild_partners()
        language = language_of_locale(interaction.locale)
        where = f"<#{settings.channel_id}>" if settings.channel_id else message("partners", language, "no_channel")
        state = (
            message("partners", language, "state_on", when=_when(settings.next_round_at, language))
            if settings.enabled
            else message("partners", language, "state_off")
        )
        cadence = (
            message("partners", language, "cadence_weekly")
            if settings.cadence == "weekly"
            else message("partners", language, "cadence_biweekly")
        )
        await answer(
            interaction, message("partners", language, "config_done", state=state, cadence=cadence, where=where)
        )

    @app_commands.command(name="pair-now", description="Run a partner round now")
    async def pair_now(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.services.partners.run_round(interaction.guild_id, by_hand=True)
        await self.services.scheduler.rebuild_partners()
        assert report.round is not None
        language = language_of_locale(interaction.locale)
        trios = sum(1 for g in report.groups if len(g.members) == 3)
        number, groups = str(report.round.number), str(len(report.groups))
        text = (
            message("partners", language, "round_started_trios", number=number, groups=groups, trios=str(trios))
            if trios
            else message("partners", language, "round_started", number=number, groups=groups)
        )
        if report.unreachable or report.unpaired:
            text += message("partners", language, "round_needs_hand")
        await interaction.edit_original_response(content=text)

    @app_commands.command(name="list", description="Who is paired this round")
    async def list(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        rounds = await self.services.db.partners.rounds(interaction.guild_id, 1)
        language = language_of_locale(interaction.locale)
        if not rounds:
            await answer(interaction, message("partners", language, "list_none"))
            return
        groups = await self.services.db.partners.groups(rounds[0].id)
        by_hand = message("partners", language, "by_hand")
        lines = [message("partners", language, "list_heading", number=str(rounds[0].number))]
        lines += [" · ".join(f"<@{m}>" for m in g.members) + (by_hand if g.manual else "") for g in groups]
        await answer(interaction, "\n".join(lines)[:1990])

    @app_commands.command(name="pair", description="Pair two members by hand")
    @app_commands.describe(a="One member to pair", b="The other member")
    async def pair(self, interaction: discord.Interaction[LanternClient], a: discord.Member, b: discord.Member) -> None:
        assert interaction.guild_id is not None
        # The same refusals as the service's, before anything is read; a refusal is not audited as a pairing.
        if a.id == b.id:
            raise refusal("partners", "pair_same")
        bots = {m.id for m in (a, b) if m.bot}
        if bots:
            raise refusal("partners", "pair_bot")
        await interaction.response.defer(ephemeral=True, thinking=True)
        # A refusal from here on (an avoid list, no partners channel) reaches the tree's error handler,
        # which fills in the deferred answer.
        await self.services.partners.pair_by_hand(interaction.guild_id, a.id, b.id, bots)
        paired = message("partners", language_of_locale(interaction.locale), "paired", a=a.mention, b=b.mention)
        await interaction.edit_original_response(content=paired)

    @app_commands.command(name="unpair", description="Take a member out of their partner group")
    @app_commands.describe(member="Who to take out of their group this round")
    async def unpair(self, interaction: discord.Interaction[LanternClient], member: discord.Member) -> None:
        assert interaction.guild_id is not None
        await self.services.partners.unpair(interaction.guild_id, member.id)
        language = language_of_locale(interaction.locale)
        await answer(interaction, message("partners", language, "unpaired", member=member.mention))
