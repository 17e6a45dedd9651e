"""The Lantern bot: built from injected services, with one kind error handler for all commands."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.endpoints import point_discord_at
from bot.errors import UserFacingError
from bot.logs import describe_error
from bot.metrics import REGISTRY, LiveReadings, observe_interaction
from bot.ops import OpsServer
from bot.pacing import DISCORD_GLOBAL_LIMIT, Pacer
from bot.runtime import LanternClient, Services
from bot.services.charts import ChartRenderer
from bot.services.checkins import CheckinService
from bot.services.community_language import CommunityLanguages
from bot.services.crisis_detector import CrisisDetector
from bot.services.crisis_model import load_shipped_model
from bot.services.data_rights import DataRightsService
from bot.services.dates import DatesService
from bot.services.days import DaysService
from bot.services.delivery import DeliveryService
from bot.services.goals import GoalService
from bot.services.member_settings import MemberSettingsService
from bot.services.messages import language_of_locale, refusal
from bot.services.oncall import OncallService
from bot.services.outbox import Outbox
from bot.services.partners import PartnerService
from bot.services.privacy_notice import PrivacyService
from bot.services.reports import ReportService
from bot.services.resources import load_resources
from bot.services.safety import SafetyService
from bot.services.scheduler import SchedulerService
from bot.services.schedules import ScheduleService
from bot.services.tip_library import load_libraries
from bot.services.tips import TipService
from bot.storage.database import Database
from bot.ui.options import OptionProblem, check_options, find_command
from bot.ui.replies import answer, words_for
from bot.ui.translator import LanternTranslator

log = logging.getLogger(__name__)

TREE_HASH_KEY = "command_tree_hash"


async def create_services(
    settings: Settings, *, keys: list[str], clock: Clock = utc_now, run_timers: bool = True, migrate_apart: bool = False
) -> Services:
    # The tip library and the resource book are checked before anything else: a bad entry stops start-up.
    libraries = load_libraries()
    resources = load_resources()
    db = await Database.open(settings.database_url, keys, shards=settings.shard_scope(), apart=migrate_apart)
    outbox = Outbox(db, clock)
    # What everyone in a server reads follows the server's language; the bot says how to look it up (setup_hook).
    languages = CommunityLanguages()
    delivery = DeliveryService(db, clock, outbox, languages=languages)
    partners = PartnerService(db, clock, outbox, languages)
    data_rights = DataRightsService(db, clock)
    tips = TipService(db, libraries["en"], clock, libraries=libraries)
    days = DaysService(db, clock, outbox)
    dates = DatesService(db, clock, outbox, tips, partners)
    # A community's hard date adds a line to that day's prompts.
    delivery.day_lines = dates.prompt_line
    oncall = OncallService(db, clock, outbox, resources, languages)
    scheduler = SchedulerService(db, delivery, partners, data_rights, clock, days, dates, oncall=oncall)
    # A change to a schedule re-plans that community's timers; a member's settings, only those that depend on
    # members (DM prompts and reminders) in that community.
    schedules = ScheduleService(db, clock, replan=scheduler.rebuild_community)
    member_settings = MemberSettingsService(db, clock, replan=scheduler.rebuild_for_member)
    return Services(
        settings=settings,
        db=db,
        checkins=CheckinService(db, clock),
        privacy=PrivacyService(db, clock),
        schedules=schedules,
        member_settings=member_settings,
        delivery=delivery,
        scheduler=scheduler,
        tips=tips,
        safety=SafetyService(db, resources, clock, CrisisDetector(load_shipped_model())),
        oncall=oncall,
        partners=partners,
        data_rights=data_rights,
        reports=ReportService(db, clock),
        clock=clock,
        charts=ChartRenderer(),
        days=days,
        dates=dates,
        goals=GoalService(db, clock),
        languages=languages,
        run_timers=run_timers,
    )


def intents() -> discord.Intents:
    """Only what Lantern needs: servers, members joining and leaving, and DMs to the bot."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.members = True
    wanted.dm_messages = True
    return wanted


def pacer_for(settings: Settings) -> Pacer:
    """The pacer for this process: its share of the bot's budget. Discord's global limit is per bot, so
    processes that run some of the shards each pace at the budget times their part of all shards
    (bot/sharding.py); together they stay under LANTERN_RATE_LIMIT, and their holds under Discord's 50."""
    share = settings.shard_scope().share
    return Pacer(settings.rate_limit_per_second * share, limit=DISCORD_GLOBAL_LIMIT * share)


class LanternTree(app_commands.CommandTree["LanternBot"]):
    """The command tree: every option checked at the edge, and one error handler that answers kindly."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Before discord.py reads a command's options: each must be what the command declares to Discord
        (type, range, length, choices, a real member, channel or role). Discord's own client enforces the
        same, but a buggy or hostile client may send anything; such a command is answered here and not run."""
        if interaction.type is not discord.InteractionType.application_command:
            return True
        data: dict[str, Any] = dict(interaction.data or {})
        if data.get("type", 1) != 1:
            return True
        name = "?"
        try:
            command, options = find_command(self, data, interaction.guild_id)
            name = command.qualified_name
            check_options(command, options, data.get("resolved") or {})
        except OptionProblem as problem:
            log.info("command /%s refused at the edge", name)
            try:
                await answer(interaction, problem.words)
            except discord.HTTPException:
                log.warning("could not tell the member why /%s was refused", name)
            return False
        return True

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        original = getattr(error, "original", error)
        command = interaction.command.qualified_name if interaction.command else "?"
        if isinstance(original, UserFacingError):
            log.info("command /%s refused: %s", command, type(original).__name__)
        elif isinstance(error, app_commands.CheckFailure):
            # A check that says why in every language (not a leader) is told in the member's.
            refused = getattr(error, "refused", None)
            if isinstance(refused, UserFacingError):
                original = refused
            else:
                original = UserFacingError(str(error)) if str(error) else refusal("errors", "no_access")
        elif isinstance(error, app_commands.TransformerError | app_commands.CommandSignatureMismatch):
            # An option Discord could not give us as what the command needs (a channel of another kind).
            log.info("command /%s refused: %s", command, type(error).__name__)
            original = refusal("errors", "bad_option")
        elif isinstance(error, app_commands.CommandNotFound):
            original = refusal("errors", "command_gone")
        else:
            # Log the error's type and place only: options may hold what a member wrote.
            log.error("command /%s raised %s", command, describe_error(original))
        try:
            await answer(interaction, words_for(original, language_of_locale(interaction.locale)))
        except discord.HTTPException:
            log.warning("could not tell the member about an error in /%s", command)
        observe_interaction("command", interaction.created_at)


# Lantern never joins voice; discord.py would otherwise warn at every start that voice is unsupported.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


# The tasks discord.py runs handlers in: events, and slash commands (which the tree runs in a task of its own,
# after the event's task has ended). Lantern's buttons and forms are routed from the event's task.
HANDLER_TASKS = ("discord.py: ", "CommandTree-invoker")


class LanternBot(LanternClient):
    """Lantern: cogs are added in `setup_hook`, the tree is synced only when it changed."""

    def __init__(
        self,
        services: Services,
        *,
        force_sync: bool = False,
        guild_ready_timeout: float = 2.0,
        pacer: Pacer | None = None,
        **sharding: Any,
    ) -> None:
        pacer = pacer or pacer_for(services.settings)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            tree_cls=LanternTree,
            help_command=None,
            chunk_guilds_at_startup=False,
            member_cache_flags=discord.MemberCacheFlags.from_intents(intents()),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
            http_trace=pacer.trace_config(),
            **sharding,
        )
        self.services = services
        self.pacer = pacer
        self.force_sync = force_sync
        self.synced_commands: bool | None = None
        self._caught_up = False
        self.ops: OpsServer | None = None
        self.readings = LiveReadings(lambda: self.pacer.waited, self.shard_latencies)

    async def setup_hook(self) -> None:
        from bot.cogs import load_cogs
        from bot.messenger import DiscordMessenger, DiscordOncall, DiscordPartners

        self.services.delivery.messenger = DiscordMessenger(self)
        self.services.partners.discord = DiscordPartners(self)
        self.services.delivery.outbox.discord = DiscordPartners(self)
        self.services.oncall.discord = DiscordOncall(self)
        self.services.languages.locale_of = self.server_locale
        # No dynamic items are registered with discord.py: every button and form under `lantern:` is
        # answered by Lantern's router (bot/ui/routes.py), so that exactly one answer goes out.
        await load_cogs(self)
        await self.tree.set_translator(LanternTranslator())
        self.synced_commands = await self.sync_if_changed(force=self.force_sync)
        await self.services.scheduler.start(run_timers=self.services.run_timers)
        settings = self.services.settings
        if settings.ops_port is not None:
            self.ops = OpsServer(self.health, settings.ops_host, settings.ops_port)
            await self.ops.start()
            REGISTRY.register(self.readings)

    def server_locale(self, guild_id: int) -> discord.Locale | None:
        """A server's language as Discord last told this process (GUILD_CREATE, then GUILD_UPDATE), if known."""
        guild = self.get_guild(guild_id)
        return guild.preferred_locale if guild is not None else None

    def shard_latencies(self) -> list[tuple[int, float]]:
        return [(self.shard_id or 0, self.latency)]

    def gateway_connected(self) -> bool:
        socket = self.ws
        return not self.is_closed() and socket is not None and socket.open

    async def health(self) -> dict[str, bool]:
        """What /healthz reports: each check by name."""
        return {
            "ready": self.is_ready(),
            "gateway_connected": self.gateway_connected(),
            "database_reachable": await self.services.db.meta.ping(),
            "scheduler_running": self.services.scheduler.running,
        }

    def _sync_target(self) -> discord.Object | None:
        guild_id = self.services.settings.dev_guild_id
        return discord.Object(id=guild_id) if guild_id else None

    def tree_hash(self) -> str:
        target = self._sync_target()
        commands_payload: list[Any] = [c.to_dict(self.tree) for c in self.tree.get_commands(guild=target)]
        if target is not None:
            commands_payload += [c.to_dict(self.tree) for c in self.tree.get_commands()]
        # The Spanish names are part of what Discord holds: a changed translation means a new sync.
        translator = self.tree.translator
        spanish = translator.catalogue.digest if isinstance(translator, LanternTranslator) else None
        blob = json.dumps(
            {"target": target.id if target else None, "commands": commands_payload, "spanish": spanish}, sort_keys=True
        )
        return hashlib.sha256(blob.encode()).hexdigest()

    async def sync_if_changed(self, *, force: bool = False) -> bool:
        """Sync the command tree when its hash differs from the last synced one (or when forced)."""
        current = self.tree_hash()
        stored = await self.services.db.meta.get(TREE_HASH_KEY)
        if not force and stored == current:
            log.info("command tree unchanged since the last sync; not syncing")
            return False
        target = self._sync_target()
        if target is not None:
            self.tree.copy_global_to(guild=target)
        synced = await self.tree.sync(guild=target)
        await self.services.db.meta.set(TREE_HASH_KEY, current)
        log.info("synced %d commands %s", len(synced), f"to server {target.id}" if target else "globally")
        return True

    async def on_ready(self) -> None:
        log.info("ready as %s in %d servers", self.user, len(self.guilds))
        if not self._caught_up and self.services.run_timers:
            # Occurrences whose time passed while the bot was down, within their grace window.
            self._caught_up = True
            await self.services.scheduler.catch_up()

    async def close(self) -> None:
        await self.services.scheduler.shutdown()
        if self.ops is not None:
            await self.ops.stop()
            REGISTRY.unregister(self.readings)
            self.ops = None
        # Waited for, off the loop: a process that exits first leaves its workers behind for a moment.
        await asyncio.to_thread(self.services.charts.shutdown, wait=True)
        await super().close()

    async def drain(self, timeout: float = 5.0) -> None:
        """Let event handlers still running (a reply, an audit entry) finish before the database closes.

        Until none is left: a finished command starts handlers of its own (on_app_command_completion)."""
        current = asyncio.current_task()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (left := deadline - loop.time()) > 0:
            pending = [
                task
                for task in asyncio.all_tasks()
                if task is not current and not task.done() and task.get_name().startswith(HANDLER_TASKS)
            ]
            if not pending:
                return
            await asyncio.wait(pending, timeout=left)


class ShardedLanternBot(LanternBot, commands.AutoShardedBot):
    """Lantern running some (or all) of the bot's shards, each on its own gateway session, in this process."""

    def shard_latencies(self) -> list[tuple[int, float]]:
        return list(self.latencies)

    def gateway_connected(self) -> bool:
        wanted = set(self.shard_ids or range(self.shard_count or 1))
        shards = self.shards
        return not self.is_closed() and wanted <= set(shards) and all(not s.is_closed() for s in shards.values())


def create_bot(services: Services, *, force_sync: bool = False, guild_ready_timeout: float = 2.0) -> LanternBot:
    """Build a bot pointed at the configured Discord endpoints; no side effects until it starts. With shards
    set (LANTERN_SHARDS / LANTERN_SHARD_COUNT, or `run --shards`), it connects only its own."""
    settings = services.settings
    point_discord_at(settings.discord_api_base, settings.discord_gateway_url)
    scope = settings.shard_scope()
    if settings.shard_count is None:
        return LanternBot(services, force_sync=force_sync, guild_ready_timeout=guild_ready_timeout)
    return ShardedLanternBot(
        services,
        force_sync=force_sync,
        guild_ready_timeout=guild_ready_timeout,
        shard_ids=list(scope.owned),
        shard_count=scope.count,
    )
