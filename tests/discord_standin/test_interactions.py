"""Every interaction shape the sandbox must carry, checked with a small probe cog on the real client."""

from __future__ import annotations

import io

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.devtools.harness import Harness
from bot.ui.replies import SORRY
from discord_standin.driver import fetch_attachment


class ProbeView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Update", custom_id="probe:update")
    async def update(self, interaction: discord.Interaction, button: discord.ui.Button[ProbeView]) -> None:
        await interaction.response.edit_message(content="updated by a click")  # type 7

    @discord.ui.button(label="Quiet", custom_id="probe:quiet")
    async def quiet(self, interaction: discord.Interaction, button: discord.ui.Button[ProbeView]) -> None:
        await interaction.response.defer()  # type 6
        await interaction.followup.send("done quietly", ephemeral=True)

    @discord.ui.select(
        custom_id="probe:pick", options=[discord.SelectOption(label="one"), discord.SelectOption(label="two")]
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[ProbeView]) -> None:
        await interaction.response.send_message(f"picked {select.values[0]}", ephemeral=True)


class ProbeCog(commands.Cog):
    group = app_commands.Group(name="probe", description="Sandbox probes")
    deep = app_commands.Group(name="deep", description="A subcommand group", parent=group)

    @group.command(name="defer", description="Defers, then edits with a file")
    async def defer(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # type 5
        await interaction.edit_original_response(
            content="here is a file", attachments=[discord.File(io.BytesIO(b"col\n1\n"), filename="data.csv")]
        )

    @group.command(name="buttons", description="Posts buttons")
    async def buttons(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("press one", view=ProbeView())

    @group.command(name="choose", description="Autocompletes")
    async def choose(self, interaction: discord.Interaction, fruit: str) -> None:
        await interaction.response.send_message(f"you chose {fruit}", ephemeral=True)

    @choose.autocomplete("fruit")
    async def fruit_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        fruits = ["apple", "apricot", "banana"]
        return [app_commands.Choice(name=f, value=f) for f in fruits if f.startswith(current)]

    @deep.command(name="echo", description="Echoes options")
    async def echo(self, interaction: discord.Interaction, count: int, who: discord.Member, loud: bool = False) -> None:
        text = f"{count} for {who.name}"
        await interaction.response.send_message(text.upper() if loud else text, ephemeral=True)

    @group.command(name="boom", description="Raises")
    async def boom(self, interaction: discord.Interaction) -> None:
        raise RuntimeError("unexpected")


@pytest.fixture
async def probed(lantern: Harness) -> Harness:
    assert lantern.bot is not None
    await lantern.bot.add_cog(ProbeCog())
    lantern.bot.add_view(ProbeView())
    await lantern.bot.tree.sync()
    return lantern


async def test_deferred_answer_with_a_file(probed: Harness) -> None:
    reply = await probed.person("alice").slash("probe defer")
    assert reply.type == 5
    await reply.settled()
    assert reply.content == "here is a file"
    assert reply.message is not None and reply.ephemeral
    attachment = reply.message.attachments[0]
    assert attachment.filename == "data.csv"
    assert await fetch_attachment(attachment.url) == b"col\n1\n"


async def test_buttons_update_and_defer(probed: Harness) -> None:
    alice = probed.person("alice")
    posted = await alice.slash("probe buttons")
    assert posted.message is not None and not posted.ephemeral
    clicked = await alice.click(posted.message, "Update")
    assert clicked.type == 7
    assert posted.message.content == "updated by a click"
    quiet = await alice.click(posted.message, "Quiet")
    assert quiet.type == 6
    followups = await quiet.wait_followups(1)
    assert followups[0].content == "done quietly"


async def test_buttons_work_after_a_restart(probed: Harness) -> None:
    alice = probed.person("alice")
    posted = await alice.slash("probe buttons")
    assert probed.bot is not None and posted.message is not None
    await probed.restart_bot()
    assert probed.bot is not None
    probed.bot.add_view(ProbeView())  # persistent views are registered again at start
    clicked = await alice.click(posted.message, "Update")
    assert clicked.type == 7


async def test_autocomplete_and_subcommand_groups(probed: Harness) -> None:
    alice, bob = probed.person("alice"), probed.person("bob")
    choices = await alice.autocomplete("probe choose", "fruit", "ap")
    assert [c["name"] for c in choices] == ["apple", "apricot"]
    reply = await alice.slash("probe deep echo", count=3, who=bob.user, loud=True)
    assert reply.content == "3 FOR BOB"


async def test_an_unexpected_error_gets_a_kind_answer(probed: Harness) -> None:
    reply = await probed.person("alice").slash("probe boom")
    assert reply.content == SORRY
    assert reply.ephemeral


async def test_select_menus(probed: Harness) -> None:
    alice = probed.person("alice")
    posted = await alice.slash("probe buttons")
    assert posted.message is not None
    picked = await alice.select(posted.message, "probe:pick", ["two"])
    assert picked.content == "picked two"
