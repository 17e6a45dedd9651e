"""The "Have you two connected?" buttons in partner threads; their custom_ids carry the group."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.services.partners import ping_text
from bot.ui.safe import SNOWFLAKE, SafeButton, SafeView, row_id, services_of, snowflake

Interaction = discord.Interaction[Any]
ANSWERS = {"y": ("Yes", "yes"), "n": ("Not yet", "not_yet")}
GROUP_ENDED = "That partner group has ended. `/partner status` shows who you're paired with now."


class FollowupButton(SafeButton):
    """One partner's answer to the halfway follow-up."""

    kind = "pf"
    template = re.compile(rf"lantern:pf:(?P<g>{SNOWFLAKE}):(?P<a>[yn])")

    def __init__(self, group_id: int, answer: str) -> None:
        label, _ = ANSWERS[answer]
        super().__init__(
            label=label,
            style=discord.ButtonStyle.success if answer == "y" else discord.ButtonStyle.secondary,
            custom_id=f"lantern:pf:{group_id}:{answer}",
        )
        self.group_id, self.answer = group_id, answer

    @classmethod
    def from_match(cls, match: re.Match[str]) -> FollowupButton:
        return cls(row_id(match["g"]), match["a"])

    async def act(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        _, stored = ANSWERS[self.answer]
        if await services.db.partners.group(self.group_id) is None:
            await interaction.response.send_message(GROUP_ENDED, ephemeral=True)
            return
        if not await services.partners.record_answer(self.group_id, interaction.user.id, stored):
            await interaction.response.send_message("This question is for the partners in this thread.", ephemeral=True)
            return
        reply = (
            "Lovely, thanks for letting me know."
            if stored == "yes"
            else "Thanks for saying. There's still time, and a short hello is plenty."
        )
        await interaction.response.send_message(reply, ephemeral=True)


class PingPartnerButton(SafeButton):
    """After a hard check-in: "Let my partner know", which posts a short hello request in the partner thread."""

    kind = "ping"
    template = re.compile(rf"lantern:ping:(?P<c>{SNOWFLAKE}):(?P<g>{SNOWFLAKE})")

    def __init__(self, community_id: int, group_id: int) -> None:
        super().__init__(
            label="Let my partner know",
            style=discord.ButtonStyle.secondary,
            custom_id=f"lantern:ping:{community_id}:{group_id}",
        )
        self.community_id, self.group_id = community_id, group_id

    @classmethod
    def from_match(cls, match: re.Match[str]) -> PingPartnerButton:
        return cls(snowflake(match["c"]), row_id(match["g"]))

    async def act(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        group = await services.db.partners.group(self.group_id)
        if group is None or interaction.user.id not in group.members or group.thread_id is None:
            await interaction.response.send_message(GROUP_ENDED, ephemeral=True)
            return
        thread = interaction.client.get_partial_messageable(
            group.thread_id, guild_id=self.community_id, type=discord.ChannelType.private_thread
        )
        try:
            await thread.send(ping_text(interaction.user.id), allowed_mentions=discord.AllowedMentions(users=True))
        except discord.HTTPException:
            await interaction.response.send_message(
                "I couldn't reach your partner thread just now. Please try again in a minute.", ephemeral=True
            )
            return
        await interaction.response.send_message(
            "I've let your partner know you'd welcome a hello. I didn't share anything else.", ephemeral=True
        )


class NewPartnerButton(SafeButton):
    """ "Find me someone new", sent by DM to a member whose partner stepped back this round."""

    kind = "newpartner"
    template = re.compile(rf"lantern:newpartner:(?P<c>{SNOWFLAKE})")

    def __init__(self, community_id: int) -> None:
        super().__init__(
            label="Find me someone new",
            style=discord.ButtonStyle.primary,
            custom_id=f"lantern:newpartner:{community_id}",
        )
        self.community_id = community_id

    @classmethod
    def from_match(cls, match: re.Match[str]) -> NewPartnerButton:
        return cls(snowflake(match["c"]))

    async def act(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        # Opening a thread and adding two people takes a few requests: answer within Discord's 3 seconds first.
        await interaction.response.defer()
        group = await services.partners.new_partner_now(self.community_id, interaction.user.id)
        if group is None:
            text = "Nobody's free to pair with right now. The next round pairs you as usual."
        else:
            others = ", ".join(f"<@{m}>" for m in group.members if m != interaction.user.id)
            thread = f" Your new thread: <#{group.thread_id}>." if group.thread_id else ""
            text = f"You're now paired with {others}.{thread}"
        await interaction.edit_original_response(content=text, view=None)


def followup_view(group_id: int) -> SafeView:
    return SafeView(FollowupButton(group_id, "y"), FollowupButton(group_id, "n"))


def new_partner_view(community_id: int) -> SafeView:
    return SafeView(NewPartnerButton(community_id))


BUTTONS: tuple[type[SafeButton], ...] = (FollowupButton, PingPartnerButton, NewPartnerButton)
