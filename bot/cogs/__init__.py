"""Feature cogs: one feature each, thin: parse the interaction, call a service, render a reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import LanternBot


async def load_cogs(bot: LanternBot) -> None:
    """Add every feature's cog, each given the services it needs."""
    from bot.cogs.checkin import CheckinCog
    from bot.cogs.privacy import PrivacyCog

    await bot.add_cog(CheckinCog(bot.services))
    await bot.add_cog(PrivacyCog(bot.services))
