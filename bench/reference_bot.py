"""A do-nothing discord.py bot with Lantern's /checkin form and /history shape: the floor for bench.burst.

Run: DISCORD_TOKEN=... DISCORD_API_BASE=... DISCORD_GATEWAY_URL=... python -m bench.reference_bot
"""

from __future__ import annotations

import os
import secrets

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

# The same questions and options as Lantern's form, so that both bots send and parse the same payloads.
MOODS = ("1 · Really struggling", "2 · Having a hard time", "3 · Getting by", "4 · Doing okay", "5 · Doing well")
CRAVINGS = ("None", "Mild", "Moderate", "Strong", "Overwhelming")
HALT = ("Hungry", "Angry", "Lonely", "Tired")


class CheckinForm(discord.ui.Modal):
    def __init__(self) -> None:
        super().__init__(title="Daily check-in", custom_id="ref:checkin:" + secrets.token_hex(8), timeout=None)
        mood: discord.ui.RadioGroup[CheckinForm] = discord.ui.RadioGroup(custom_id="mood", required=True)
        for value, label in enumerate(MOODS, start=1):
            mood.add_option(label=label, value=str(value))
        cravings: discord.ui.RadioGroup[CheckinForm] = discord.ui.RadioGroup(custom_id="cravings", required=True)
        for value, label in enumerate(CRAVINGS):
            cravings.add_option(label=label, value=str(value))
        halt: discord.ui.CheckboxGroup[CheckinForm] = discord.ui.CheckboxGroup(
            custom_id="halt", required=False, min_values=0, max_values=len(HALT)
        )
        for label in HALT:
            halt.add_option(label=label, value=label.lower())
        note: discord.ui.TextInput[CheckinForm] = discord.ui.TextInput(
            custom_id="note",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=1000,
            placeholder="Only you will see this.",
        )
        self.add_item(discord.ui.Label(text="How are you arriving today?", component=mood))
        self.add_item(discord.ui.Label(text="Any cravings right now?", component=cravings))
        self.add_item(discord.ui.Label(text="HALT check", description="Tick any that fit right now.", component=halt))
        self.add_item(discord.ui.Label(text="A private note (optional)", component=note))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Thanks for checking in.", ephemeral=True)


class ReferenceBot(discord.Client):
    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default())
        self.tree = app_commands.CommandTree(self)

        @self.tree.command(name="checkin", description="Check in privately.")
        async def checkin(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(CheckinForm())

        @self.tree.command(name="history", description="Your own recent check-ins.")
        async def history(interaction: discord.Interaction, days: int = 14) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.edit_original_response(content=f"Your last {days} days.")

    async def setup_hook(self) -> None:
        await self.tree.sync()


def main() -> None:
    Route.BASE = os.environ["DISCORD_API_BASE"].rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    ReferenceBot().run(os.environ["DISCORD_TOKEN"], log_handler=None)


if __name__ == "__main__":
    main()
