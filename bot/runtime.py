"""What every cog and view is given: Lantern's services, and the bot as they see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from discord.ext import commands

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.config import Settings
    from bot.services.charts import ChartRenderer
    from bot.services.checkins import CheckinService
    from bot.services.community_language import CommunityLanguages
    from bot.services.data_rights import DataRightsService
    from bot.services.dates import DatesService
    from bot.services.days import DaysService
    from bot.services.delivery import DeliveryService
    from bot.services.goals import GoalService
    from bot.services.member_settings import MemberSettingsService
    from bot.services.oncall import OncallService
    from bot.services.partners import PartnerService
    from bot.services.privacy_notice import PrivacyService
    from bot.services.reports import ReportService
    from bot.services.safety import SafetyService
    from bot.services.scheduler import SchedulerService
    from bot.services.schedules import ScheduleService
    from bot.services.tips import TipService
    from bot.storage.database import Database


@dataclass
class Services:
    """Everything the cogs use, made once in `create_services` and injected into the bot."""

    settings: Settings
    db: Database
    checkins: CheckinService
    privacy: PrivacyService
    schedules: ScheduleService
    member_settings: MemberSettingsService
    delivery: DeliveryService
    scheduler: SchedulerService
    tips: TipService
    safety: SafetyService
    oncall: OncallService
    partners: PartnerService
    data_rights: DataRightsService
    reports: ReportService
    clock: Clock
    charts: ChartRenderer
    days: DaysService
    dates: DatesService
    goals: GoalService
    # Each server's language, for what is posted where everyone reads it (the bot fills in how to look it up).
    languages: CommunityLanguages
    # Off when a test drives the clock itself (scheduler.run_due); on in every real run.
    run_timers: bool = True


class LanternClient(commands.Bot):
    """discord.py's bot carrying Lantern's services: the type cogs and views are handed (built in bot/app.py)."""

    services: Services
