"""The "Have you two connected?" buttons in partner threads; their custom_ids carry the group."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.services.messages import DEFAULT_LANGUAGE, language_of_locale, message
from bot.services.partners import partner_text, ping_text
from bot.ui.safe import SNOWFLAKE, SafeButton, SafeView, row_id, services_of, snowflake

Interaction = discord.Interaction[Any]
# Each answer's label (in the server's language: the follow-up is posted for the whole thread) and what is stored.
ANSWERS = {"y": ("followup_yes_label", "yes"), "n": ("followup_not_yet_label", "not_yet")}
GROUP_ENDED = partner_text(DEFAULT_LANGUAGE, "group_ended")


def _language(interaction: Interaction) -> str:
    return language_of_locale(interaction.locale)


class FollowupButton(SafeButton):
    """One partner's answer to the halfway follow-up."""

    kind = "pf"
    template = re.compile(rf"lantern:pf:(?P<g>{SNOWFLAKE}):(?P<a>[yn])")

    def __init__(self, group_id: int, answer: str, language: str = DEFAULT_LANGUAGE) -> None:
        label, _ = ANSWERS[answer]
        super().__init__(
            label=message("shared", language, label),
            style=discord.ButtonStyle.success if answer == "y" else discord.ButtonStyle.secondary,
            custom_id=f"lantern:pf:{group_id}:{answer}",
        )
        self.group_id, self.answer = group_id, answer

    @classmethod
    def from_match(cls, match: re.Match[str]) -> FollowupButton:
        return cls(row_id(match["g"]), match["a"])

    async def act(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        language = _language(interaction)
        _, stored = ANSWERS[self.answer]
        if await services.db.partners.group(self.group_id) is None:
            await interaction.response.send_message(partner_text(language, "group_ended"), ephemeral=True)
            return
        if not await services.partners.record_answer(self.group_id, interaction.user.id, stored):
            await interaction.response.send_message(partner_text(language, "followup_not_yours"), ephemeral=True)
            return
        reply = partner_text(language, "followup_yes" if stored == "yes" else "followup_not_yet")
        await interaction.response.send_message(reply, ephemeral=True)


class PingPartnerButton(SafeButton):
    """After a hard check-in: "Let my partner know", which posts a short hello request in the partner thread."""

    kind = "ping"
    template = re.compile(rf"lantern:ping:(?P<c>{SNOWFLAKE}):(?P<g>{SNOWFLAKE})")

    def __init__(self, community_id: int, group_id: int, language: str = DEFAULT_LANGUAGE) -> None:
        super().__init__(
            label=partner_text(language, "ping_label"),
            style=discord.ButtonStyle.secondary,
            custom_id=f"lantern:ping:{community_id}:{group_id}",
        )
        self.community_id, self.group_id = community_id, group_id

    @classmethod
    def from_match(cls, match: re.Match[str]) -> PingPartnerButton:
        return cls(snowflake(match["c"]), row_id(match["g"]))

    async def act(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        language = _language(interaction)
        group = await services.db.partners.group(self.group_id)
        if group is None or interaction.user.id not in group.members or group.thread_id is None:
            await interaction.response.send_message(partner_text(language, "group_ended"), ephemeral=True)
            return
        thread = interaction.client.get_partial_messageable(
            group.thread_id, guild_id=self.community_id, type=discord.ChannelType.private_thread
        )
        try:
            # Posted for the whole thread: the server's language, not the presser's.
            text = ping_text(interaction.user.id, services.languages(self.community_id))
            await thread.send(text, allowed_mentions=discord.AllowedMentions(users=True))
        except discord.HTTPException:
            await interaction.response.send_message(partner_text(language, "ping_failed"), ephemeral=True)
            return
        await interaction.response.send_message(partner_text(language, "ping_sent"), ephemeral=True)


class NewPartnerButton(SafeButton):
    """ "Find me someone new", sent by DM to a member whose partner stepped back this round."""

    kind = "newpartner"
    template = re.compile(rf"lantern:newpartner:(?P<c>{SNOWFLAKE})")

    def __init__(self, community_id: int, language: str = DEFAULT_LANGUAGE) -> None:
        super().__init__(
            label=partner_text(language, "new_partner_label"),
            style=discord.ButtonStyle.primary,
            custom_id=f"lantern:newpartner:{community_id}",
        )
        self.community_id = community_id

    @classmethod
    def from_match(cls, match: re.Match[str]) -> NewPartnerButton:
        return cls(snowflake(match["c"]))

    async def act(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        language = _language(interaction)
        # Opening a thread and adding two people takes a few requests: answer within Discord's 3 seconds first.
        await interaction.response.defer()
        group = await services.partners.new_partner_now(self.community_id, interaction.user.id)
        if group is None:
            text = partner_text(language, "nobody_free")
        else:
            others = ", ".join(f"<@{m}>" for m in group.members if m != interaction.user.id)
            thread = partner_text(language, "new_thread", thread=f"<#{group.thread_id}>") if group.thread_id else ""
            text = partner_text(language, "new_pair", others=others, thread=thread)
        await interaction.edit_original_response(content=text, view=None)


def followup_view(group_id: int, language: str = DEFAULT_LANGUAGE) -> SafeView:
    return SafeView(FollowupButton(group_id, "y", language), FollowupButton(group_id, "n", language))


def new_partner_view(community_id: int, language: str = DEFAULT_LANGUAGE) -> SafeView:
    return SafeView(NewPartnerButton(community_id, language))


BUTTONS: tuple[type[SafeButton], ...] = (FollowupButton, PingPartnerButton, NewPartnerButton)
