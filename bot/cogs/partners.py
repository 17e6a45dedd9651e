"""`/partner join|leave|status|rematch|avoid` for members and `/partners ...` for leaders."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
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


def _when(settings_next: Any) -> str:
    return f"<t:{int(settings_next.timestamp())}:F>" if settings_next else "when a peer leader starts the next round"


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
        settings = await self.services.partners.join(interaction.guild_id, interaction.user.id, cadence)
        await answer(
            interaction,
            f"You're in. I'll pair you in the next round ({_when(settings.next_round_at)}), in a private thread "
            "just for you and your partner. `/partner leave` stops it any time.",
        )

    @app_commands.command(name="leave", description="Stop being paired")
    async def leave(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        # Leaving may mean telling a partner and updating a thread: answer within Discord's 3 seconds first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        if await self.services.partners.leave(interaction.guild_id, interaction.user.id):
            await answer(
                interaction,
                "Done. You're out of partner rounds, this round's thread included. `/partner join` brings you back.",
            )
        else:
            await answer(interaction, "You're not in partner rounds, so nothing to change. `/partner join` starts.")

    @app_commands.command(name="status", description="Your current partner and round")
    async def status(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        user_id = interaction.user.id
        member = await self.services.db.partners.member(interaction.guild_id, user_id)
        if member is not None and member.paused_from_pairing:
            await answer(
                interaction, "Your pairing is paused for now. `/partner join` starts it again whenever you like."
            )
            return
        current_round, group = await self.services.partners.current_group(interaction.guild_id, user_id)
        if group is None or current_round is None:
            joined = member is not None and member.opted_in
            text = "You're not paired this round." + (
                " You'll be in the next one." if joined else " `/partner join` gets you a partner."
            )
            await answer(interaction, text)
            return
        others = ", ".join(f"<@{m}>" for m in group.members if m != user_id)
        if not others:
            await answer(
                interaction,
                f"Round {current_round.number}: your partner stepped back from partner rounds, so it's just you "
                "this round. The next round pairs you as usual.",
                view=new_partner_view(interaction.guild_id),
            )
            return
        thread = f" Your thread: <#{group.thread_id}>." if group.thread_id else ""
        text = f"Round {current_round.number}: you're with {others}.{thread}"
        shared = await self.services.partners.shared_moods(interaction.guild_id, group, user_id)
        for other, mood in shared.items():
            text += f"\n<@{other}> shares their mood with you: latest {mood}/5."
        for other, question, given, day in await self.services.partners.shared_answers(
            interaction.guild_id, group, user_id
        ):
            text += "\n" + words(
                "text", "partner_answer", member=other, question=question, answer=given, day=f"{day:%a %d %b}"
            )
        await answer(interaction, text[:2000])

    @app_commands.command(name="rematch", description="Ask for someone new next round (confidential)")
    async def rematch(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        await self.services.partners.rematch(interaction.guild_id, interaction.user.id)
        await answer(interaction, "Got it. You'll have someone new next round. Nobody is told why.")

    @app_commands.command(name="avoid", description="Never be paired with someone (confidential)")
    @app_commands.describe(member="Who you'd rather not be paired with; they are never told")
    async def avoid(self, interaction: discord.Interaction[LanternClient], member: discord.Member) -> None:
        assert interaction.guild_id is not None
        await self.services.partners.avoid(interaction.guild_id, interaction.user.id, member.id, member.bot)
        await answer(interaction, "Noted, privately. You won't be paired with them. They won't be told.")


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
        where = f"<#{settings.channel_id}>" if settings.channel_id else "no channel yet"
        state = f"on, next round {_when(settings.next_round_at)}" if settings.enabled else "off"
        await answer(interaction, f"Partner rounds: {state}; {settings.cadence}; threads in {where}.")

    @app_commands.command(name="pair-now", description="Run a partner round now")
    async def pair_now(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.services.partners.run_round(interaction.guild_id, by_hand=True)
        await self.services.scheduler.rebuild_partners()
        assert report.round is not None
        trios = sum(1 for g in report.groups if len(g.members) == 3)
        text = f"Round {report.round.number} is under way: {len(report.groups)} groups"
        text += f" ({trios} of three)." if trios else "."
        if report.unreachable or report.unpaired:
            text += " A few people need a hand; details are in the alert channel."
        await interaction.edit_original_response(content=text)

    @app_commands.command(name="list", description="Who is paired this round")
    async def list(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        rounds = await self.services.db.partners.rounds(interaction.guild_id, 1)
        if not rounds:
            await answer(interaction, "No rounds yet. `/partners pair-now` starts one.")
            return
        groups = await self.services.db.partners.groups(rounds[0].id)
        lines = [f"Round {rounds[0].number}:"]
        lines += [" · ".join(f"<@{m}>" for m in g.members) + (" (by hand)" if g.manual else "") for g in groups]
        await answer(interaction, "\n".join(lines)[:1990])

    @app_commands.command(name="pair", description="Pair two members by hand")
    @app_commands.describe(a="One member to pair", b="The other member")
    async def pair(self, interaction: discord.Interaction[LanternClient], a: discord.Member, b: discord.Member) -> None:
        assert interaction.guild_id is not None
        # The same refusals as the service's, before anything is read; a refusal is not audited as a pairing.
        if a.id == b.id:
            raise UserFacingError("Pick two different members to pair.")
        bots = {m.id for m in (a, b) if m.bot}
        if bots:
            raise UserFacingError("Bots can't be partners. Pick two members.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        # A refusal from here on (an avoid list, no partners channel) reaches the tree's error handler,
        # which fills in the deferred answer.
        await self.services.partners.pair_by_hand(interaction.guild_id, a.id, b.id, bots)
        await interaction.edit_original_response(content=f"Paired {a.mention} and {b.mention} in a new private thread.")

    @app_commands.command(name="unpair", description="Take a member out of their partner group")
    @app_commands.describe(member="Who to take out of their group this round")
    async def unpair(self, interaction: discord.Interaction[LanternClient], member: discord.Member) -> None:
        assert interaction.guild_id is not None
        await self.services.partners.unpair(interaction.guild_id, member.id)
        await answer(interaction, f"Took {member.mention} out of their group this round.")
