"""SQLAlchemy Core table definitions: the schema that migrations must reproduce exactly."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.types import TypeDecorator

# Deterministic constraint names let later migrations (and SQLite batch mode) refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Row ids (schedules, partner groups, community tips) are 32-bit integers on PostgreSQL: an id read from
# a custom_id or typed by a leader is checked against this before any query sees it.
MAX_ROW_ID = 2**31 - 1

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetime stored as UTC; SQLite has no zone, so awareness is restored on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            # A naive value is ambiguous; guessing would silently shift someone's day.
            raise ValueError("datetimes must be timezone-aware (e.g. datetime.now(UTC))")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


communities = Table(
    "communities",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),  # Discord guild id
    Column("timezone", String(64), nullable=False, server_default=text("'UTC'")),
    Column("created_at", UTCDateTime, nullable=False),
    Column("checkin_channel_id", BigInteger, nullable=True),
    Column("alert_channel_id", BigInteger, nullable=True),
    Column("leader_role_id", BigInteger, nullable=True),
    Column("region", String(8), nullable=False, server_default=text("'US'")),
    Column("setup_at", UTCDateTime, nullable=True),
    Column("retention_days", Integer, nullable=False, server_default=text("365")),
)

members = Table(
    "members",
    metadata,
    Column(
        "community_id",
        BigInteger,
        ForeignKey("communities.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("user_id", BigInteger, nullable=False),  # Discord user id
    Column("timezone", String(64), nullable=True),
    Column("privacy_notice_seen_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("dm_prompts", Boolean, nullable=False, server_default=false()),
    Column("reminders", Boolean, nullable=False, server_default=false()),
    Column("paused_until", UTCDateTime, nullable=True),
    # Cached so that a DM prompt costs one request, not two.
    Column("dm_channel_id", BigInteger, nullable=True),
    Column("unreachable_at", UTCDateTime, nullable=True),
    Column("quiet_days", Integer, nullable=True),  # "tell a leader if I go quiet for N days"
    Column("left_at", UTCDateTime, nullable=True),  # left the server; forgotten 30 days later
    Column("share_mood", Boolean, nullable=False, server_default=false()),  # partners may see my latest mood
    Column("language", String(8), nullable=True),  # of the member's Discord, last seen: for DMs and prompts
    PrimaryKeyConstraint("community_id", "user_id"),
)

# No separate index on (community_id, user_id, local_date): the UNIQUE constraint already
# creates exactly that index on both SQLite and PostgreSQL, and a copy would only slow writes.
checkins = Table(
    "checkins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("local_date", Date, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Only ever a Fernet token of CheckinContent: the file must never hold plain content.
    Column("content", LargeBinary, nullable=False),
    UniqueConstraint("community_id", "user_id", "local_date"),
    ForeignKeyConstraint(
        ["community_id", "user_id"],
        ["members.community_id", "members.user_id"],
        ondelete="CASCADE",
    ),
)

bot_meta = Table(
    "bot_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

schedules = Table(
    "schedules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, ForeignKey("communities.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(50), nullable=False),
    Column("weekdays", String(20), nullable=False),  # e.g. "0,1,2,3,4" (Monday is 0)
    Column("local_time", String(5), nullable=False),  # "HH:MM", wall clock
    Column("destination", String(8), nullable=False),  # channel | dm | both
    Column("reminder_minutes", Integer, nullable=True),
    Column("daily_thread", Boolean, nullable=False, server_default=false()),
    Column("question", String(100), nullable=True),
    Column("paused", Boolean, nullable=False, server_default=false()),
    Column("pause_reason", Text, nullable=True),
    Column("grace_minutes", Integer, nullable=False, server_default=text("120")),
    Column("created_at", UTCDateTime, nullable=False),
    # The question's answers: words | yesno | scale (1-5); and who sees them: me | partner | leaders (a count).
    Column("answer_kind", String(8), nullable=False, server_default=text("'text'")),
    Column("visibility", String(8), nullable=False, server_default=text("'me'")),
    UniqueConstraint("community_id", "name"),
)

# Every (schedule, member, occurrence, kind) is recorded here before it is sent: the unique key is
# what makes a prompt go out once across crashes and restarts.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("schedule_id", Integer, ForeignKey("schedules.id", ondelete="CASCADE"), nullable=False),
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),  # 0 for the channel prompt
    Column("occurrence", String(10), nullable=False),  # the local date it belongs to, ISO
    Column("kind", String(10), nullable=False),  # prompt | reminder | channel
    Column("state", String(12), nullable=False),  # pending | retrying | sent | failed | unreachable | skipped
    Column("nonce", String(25), nullable=False),
    Column("scheduled_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("channel_id", BigInteger, nullable=True),
    Column("message_id", BigInteger, nullable=True),
    # Retries (bot/services/retry_policy.py): how many tries so far, when the row was first recorded (a
    # retry later than the nonce window looks in the channel first), the next try, when it stops, and why.
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("reserved_at", UTCDateTime, nullable=True),
    Column("retry_at", UTCDateTime, nullable=True),
    Column("give_up_at", UTCDateTime, nullable=True),
    Column("problem", String(20), nullable=True),  # transient | unreachable | channel_gone | no_permission
    UniqueConstraint("schedule_id", "user_id", "occurrence", "kind"),
    Index("ix_deliveries_member", "community_id", "user_id"),
    Index("ix_deliveries_state", "state", "scheduled_at"),
    Index("ix_deliveries_retry", "state", "retry_at"),
)

# Which tips a member was shown, per situation: selection avoids repeats until a pool is exhausted.
tip_views = Table(
    "tip_views",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("situation", String(40), nullable=False),  # "any" when none was asked for
    Column("tip_id", String(60), nullable=False),
    Column("shown_at", UTCDateTime, nullable=False),
    Index("ix_tip_views_member", "community_id", "user_id", "situation"),
)

tip_feedback = Table(
    "tip_feedback",
    metadata,
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("tip_id", String(60), nullable=False),
    Column("verdict", String(12), nullable=False),  # helped | not_for_me
    Column("at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("community_id", "user_id", "tip_id"),
)

# A community's own tips and links, added by its leaders beside the built-in library.
community_tips = Table(
    "community_tips",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, ForeignKey("communities.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(100), nullable=False),
    Column("body", Text, nullable=False),
    Column("situation", String(40), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

community_links = Table(
    "community_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, ForeignKey("communities.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("url", String(300), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# A member pressed "Let a peer leader know": kept (who and when, never why) for leaders' reports.
support_requests = Table(
    "support_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("alerted", Boolean, nullable=False),
    Index("ix_support_requests_member", "community_id", "user_id"),
)

# Accountability partners: who opted in, confidential avoid lists, rounds and their groups.
partner_settings = Table(
    "partner_settings",
    metadata,
    Column("community_id", BigInteger, ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True),
    Column("channel_id", BigInteger, nullable=True),
    Column("cadence", String(10), nullable=False, server_default=text("'weekly'")),
    Column("enabled", Boolean, nullable=False, server_default=false()),
    Column("next_round_at", UTCDateTime, nullable=True),
)

partner_members = Table(
    "partner_members",
    metadata,
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("opted_in", Boolean, nullable=False),
    Column("cadence", String(10), nullable=False),
    Column("paused_from_pairing", Boolean, nullable=False, server_default=false()),
    Column("missed_followups", Integer, nullable=False, server_default=text("0")),
    Column("rematch", Boolean, nullable=False, server_default=false()),
    Column("joined_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("community_id", "user_id"),
)

# Confidential: the avoided member is never told, and leaders never see this list.
partner_avoid = Table(
    "partner_avoid",
    metadata,
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("avoided_user_id", BigInteger, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("community_id", "user_id", "avoided_user_id"),
)

partner_rounds = Table(
    "partner_rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, ForeignKey("communities.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("followup_at", UTCDateTime, nullable=False),
    Column("followup_sent", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("community_id", "number"),
)

partner_groups = Table(
    "partner_groups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", Integer, ForeignKey("partner_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("community_id", BigInteger, nullable=False),
    Column("thread_id", BigInteger, nullable=True),
    Column("manual", Boolean, nullable=False, server_default=false()),
)

partner_group_members = Table(
    "partner_group_members",
    metadata,
    Column("group_id", Integer, ForeignKey("partner_groups.id", ondelete="CASCADE"), nullable=False),
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("answer", String(8), nullable=True),  # yes | not_yet
    PrimaryKeyConstraint("group_id", "user_id"),
)

# What leaders changed or viewed: who, what, when. Never what a member wrote.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, nullable=False),
    Column("actor_id", BigInteger, nullable=True),  # emptied when that person uses /forget
    Column("action", String(60), nullable=False),
    Column("target_id", BigInteger, nullable=True),  # a member the action was about, if any
    Column("detail", String(200), nullable=True),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_audit_log_community", "community_id", "at"),
)

# Lantern's own short messages that must outlast Discord's bad moments (leaders' alerts, partner-thread
# welcomes and follow-ups, members' milestone and hard-date notes): recorded before the first try and tried
# again from here, like deliveries. The text is a Fernet token (it may name a member, or something they
# wrote), emptied once the message is sent or given up; `member_id` is the one member it is about or
# addressed to, so /forget finds it.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, nullable=False),
    Column("kind", String(12), nullable=False),  # alert | welcome | followup | milestone | hardday
    Column("channel_id", BigInteger, nullable=False),
    Column("group_id", Integer, nullable=True),  # a follow-up's partner group (its buttons name it)
    Column("member_id", BigInteger, nullable=True),
    Column("text", Text, nullable=False),
    Column("nonce", String(25), nullable=False),
    Column("state", String(12), nullable=False),  # pending | retrying | sent | failed
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("created_at", UTCDateTime, nullable=False),
    Column("retry_at", UTCDateTime, nullable=True),
    Column("give_up_at", UTCDateTime, nullable=False),
    Column("problem", String(20), nullable=True),
    Column("message_id", BigInteger, nullable=True),
    Index("ix_outbox_retry", "state", "retry_at"),
    Index("ix_outbox_member", "community_id", "member_id"),
)

# Leaders on duty (/oncall): a community's minutes before an unanswered support request goes to the
# leaders' channel, leaders who said "on" or "off" by hand, the weekly rota, and each request routed to a
# leader on duty. A request holds who asked and when, never why.
oncall_settings = Table(
    "oncall_settings",
    metadata,
    Column("community_id", BigInteger, primary_key=True, autoincrement=False),
    Column("minutes", Integer, nullable=False, server_default=text("15")),
)

oncall_duty = Table(
    "oncall_duty",
    metadata,
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("on_duty", Boolean, nullable=False),  # "off" only matters while a rota slot would have them on
    Column("until", UTCDateTime, nullable=True),  # None: until they say otherwise
    Column("at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("community_id", "user_id"),
)

oncall_rota = Table(
    "oncall_rota",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("weekdays", String(20), nullable=False),  # days a slot starts on, e.g. "0,1,2,3,4" (Monday is 0)
    Column("start_minute", Integer, nullable=False),  # local wall-clock minutes after midnight
    Column("end_minute", Integer, nullable=False),  # at or before the start: the next day
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_oncall_rota_community", "community_id"),
)

oncall_requests = Table(
    "oncall_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, nullable=False),
    Column("member_id", BigInteger, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("deadline_at", UTCDateTime, nullable=False),
    Column("state", String(12), nullable=False),  # waiting | taken | unanswered
    Column("taken_by", BigInteger, nullable=True),
    Column("taken_at", UTCDateTime, nullable=True),
    Index("ix_oncall_requests_waiting", "state", "deadline_at"),
)

# Which leaders a request was sent to: only they may press its "I've got this".
oncall_pages = Table(
    "oncall_pages",
    metadata,
    Column("request_id", Integer, ForeignKey("oncall_requests.id", ondelete="CASCADE"), nullable=False),
    Column("community_id", BigInteger, nullable=False),
    Column("leader_id", BigInteger, nullable=False),
    PrimaryKeyConstraint("request_id", "leader_id"),
)

# A member's personal goal (/goal): one per member per community. The words and the measure are one Fernet
# token; the file shows only that a member has a goal and since when. Its daily answers live in the check-ins.
goals = Table(
    "goals",
    metadata,
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("set_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("community_id", "user_id"),
    ForeignKeyConstraint(
        ["community_id", "user_id"],
        ["members.community_id", "members.user_id"],
        ondelete="CASCADE",
    ),
)

# `/days`: a member's private day counters. The name is theirs ("alcohol"), so only ever a Fernet token;
# the start date is kept plain because the next milestone's note is planned from it.
day_counters = Table(
    "day_counters",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("name", LargeBinary, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("hidden", Boolean, nullable=False, server_default=false()),
    Column("created_at", UTCDateTime, nullable=False),
    Column("next_note_at", UTCDateTime, nullable=True),  # the next milestone's note, in the member's morning
    Column("next_milestone", String(8), nullable=True),  # "30d" or "2y"
    ForeignKeyConstraint(["community_id", "user_id"], ["members.community_id", "members.user_id"], ondelete="CASCADE"),
    Index("ix_day_counters_member", "community_id", "user_id"),
    Index("ix_day_counters_next_note_at", "next_note_at"),
)

# A milestone whose note was recorded (in the same transaction as its outbox row): its share button names
# this row, so a reset (which deletes these) leaves that button stale, and a share happens once.
day_milestones = Table(
    "day_milestones",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("counter_id", Integer, ForeignKey("day_counters.id", ondelete="CASCADE"), nullable=False),
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("milestone", String(8), nullable=False),
    Column("noted_at", UTCDateTime, nullable=False),
    Column("shared_at", UTCDateTime, nullable=True),
    UniqueConstraint("counter_id", "milestone"),
)

# `/dates`: hard dates. A member's (user_id set) are private, their label a Fernet token; a community's
# (user_id NULL) are added by leaders. No year means every year.
hard_dates = Table(
    "hard_dates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, ForeignKey("communities.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", BigInteger, nullable=True),
    Column("label", LargeBinary, nullable=False),
    Column("kind", String(12), nullable=False),  # anniversary | birthday | payday | holiday | other
    Column("month", Integer, nullable=False),
    Column("day", Integer, nullable=False),
    Column("year", Integer, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("next_note_at", UTCDateTime, nullable=True),  # the eve's note (member dates only)
    Index("ix_hard_dates_member", "community_id", "user_id"),
    Index("ix_hard_dates_next_note_at", "next_note_at"),
)

# Work that belongs to no server (the retention sweep, key rotation) is done by whichever process holds
# its lease; the others skip it. A lease ends at `expires_at`, so a holder that died frees it by itself.
leases = Table(
    "leases",
    metadata,
    Column("name", String(64), nullable=False),
    Column("holder", String(128), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    PrimaryKeyConstraint("name", name="pk_leases"),
)

# A change made in a process that does not run a community's shard (a member's DM settings arrive on
# shard 0): the owning process re-plans that community's timers when it next looks here.
replan_requests = Table(
    "replan_requests",
    metadata,
    Column("community_id", BigInteger, nullable=False),
    Column("kinds", String(64), nullable=False),
    Column("requested_at", UTCDateTime(), nullable=False),
    PrimaryKeyConstraint("community_id", name="pk_replan_requests"),
)
