"""What /oncall and a support request routed to a leader on duty say: to leaders here (English), to members from
the oncall catalogue, in the alert channel from the shared catalogue (the server's language)."""

from __future__ import annotations

from bot.services.messages import DEFAULT_LANGUAGE, message

# ----- to the member who asked for support: bot/data/messages/oncall.toml, in their language -------------
REACHED_ON_DUTY = message("oncall", DEFAULT_LANGUAGE, "reached_on_duty")
NO_ONE_ON_DUTY_POSTED = message("oncall", DEFAULT_LANGUAGE, "no_one_on_duty_posted")
NO_ONE_ON_DUTY_NOWHERE = message("oncall", DEFAULT_LANGUAGE, "no_one_on_duty_nowhere")
UNREACHABLE_POSTED = message("oncall", DEFAULT_LANGUAGE, "unreachable_posted")

# ----- to leaders ----------------------------------------------------------------------------------------
PAGE = (
    "<@{member}> in **{community}** asked for a peer leader to know they could use some support right now. "
    "You're on duty, so you're the first to hear. If you can reach out to them, press \"I've got this\" so "
    "the others know. If no one does within {minutes} minutes, I'll tell the leaders' channel. "
    "(They chose to send this; Lantern doesn't share what anyone wrote.)"
)
TAKE_BUTTON = "I've got this"
TOOK_IT = (
    "Thank you. You've got this one: <@{member}> asked for support. I'm letting them know you'll reach out, "
    "and the leaders' channel that you have it."
)
ALREADY_YOURS = "You already have this one. Nothing else changed."
TAKEN_BY_OTHER = "<@{leader}> already has this one, so nothing changed. Thank you for being there."
NOT_YOURS = (
    "This button is for the leader on duty it was sent to, so nothing changed. `/oncall who` shows who is on duty."
)
CALL_GONE = (
    "This request is no longer open (the member may have removed their data), so nothing changed. "
    "Thank you for checking."
)
# ----- in the leaders' channel: bot/data/messages/shared.toml, in the server's language (English here) ------
NO_ONE_ON_DUTY_ALERT = message("shared", DEFAULT_LANGUAGE, "no_one_on_duty_alert")
UNREACHABLE_ALERT = message("shared", DEFAULT_LANGUAGE, "unreachable_alert")

# ----- /oncall -------------------------------------------------------------------------------------------
ON = (
    "You're on duty{until}. Support requests come to your DMs first, with \"I've got this\". "
    "`/oncall off` when you're done."
)
ON_UNTIL = " until {when}"
OFF = "You're off duty now. Thank you for the time you gave."
OFF_ROTA = "You're off duty now, until your rota slot ends {when}. Your next slots stay as they are."
OFF_NOT_ON = "You weren't on duty, so nothing changed."
WHO_HEADING = "On duty now:"
WHO_LINE = "• <@{leader}>{until}{how}"
WHO_UNTIL = " until {when}"
WHO_BY_HAND = " (said so with `/oncall on`)"
WHO_BY_ROTA = " (rota)"
WHO_NO_ONE = (
    "No one is on duty right now, so a support request goes straight to the leaders' channel "
    "and the member is told that honestly."
)
WHO_NEXT = "Next on the rota: <@{leader}> from {when}."
WHO_MINUTES = "If the leader on duty hasn't picked a request up within {minutes} minutes, the leaders' channel is told."
ROTA_ADDED = "Added slot #{id}: <@{leader}>, {slot} ({zone} time)."
ROTA_SAME_TIMES = "A slot needs different start and end times, like `start:18:00 end:22:00` (or `end:6am` for a night)."
ROTA_DUPLICATE = "<@{leader}> already has that slot (#{id}), so nothing changed."
ROTA_NOT_A_LEADER = (
    "<@{leader}> isn't a peer leader here, so I didn't add them. Choose someone with Manage Server or the "
    "leader role, or leave `leader:` out to add yourself."
)
ROTA_TOO_MANY = "The rota has {count} slots already, which is as many as I keep. Remove one with `/oncall rota remove`."
ROTA_EMPTY = "The rota is empty. Add a slot with `/oncall rota add days:weekdays start:18:00 end:22:00`."
ROTA_HEADING = "The weekly rota ({zone} time):"
ROTA_LINE = "• #{id} <@{leader}>: {slot}{next}"
ROTA_NEXT = " (next from {when})"
ROTA_REMOVED = "Removed slot #{id}."
ROTA_MISSING = "I can't find slot #{id}. `/oncall rota list` shows the slots and their numbers."
SLOT = "{days}, {start} to {end}{next_day}"
NEXT_DAY = " (next day)"
MINUTES_SET = (
    "Done. If the leader on duty hasn't picked a request up within {minutes} minutes, I'll tell the leaders' channel."
)
MINUTES_SHOW = (
    "If the leader on duty hasn't picked a request up within {minutes} minutes, I tell the leaders' channel. "
    "Change it with `/oncall config minutes:`."
)
