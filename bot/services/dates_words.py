"""Everything members and leaders read from `/dates`, in one place (English for now)."""

from __future__ import annotations

MAX_LABEL = 60
MAX_DATES = 20
MAX_COMMUNITY_DATES = 30

KINDS = {
    "anniversary": "an anniversary",
    "birthday": "a birthday",
    "payday": "payday",
    "holiday": "a holiday",
    "other": "a hard day",
}
# The tip situations (bot/data/tips.toml) tried in turn for each kind of day.
SITUATIONS = {
    "anniversary": ["low-mood", "stress"],
    "birthday": ["social-pressure", "low-mood"],
    "payday": ["craving", "urge", "stress"],
    "holiday": ["social-pressure", "loneliness", "stress"],
    "other": ["stress", "low-mood"],
}

ADDED = "Added, just for you: {label} on {when}. The day before, I'll send you a gentle note with a tip for it."
ADDED_COMMUNITY = "Added for everyone here: {label} on {when}. That day's check-in prompt gets a short supportive line."
LIST_NONE = "You have no hard dates yet. `/dates add` adds one; only you will see it."
LIST_COMMUNITY_NONE = "No community dates yet. `/dates community add` adds one, like a public holiday."
LIST_LINE = "`{id}` · {when} · {label} ({kind})"
LIST_FOOT = "`/dates remove id:` with a number removes one."
LIST_COMMUNITY_FOOT = "`/dates community remove id:` with a number removes one."
EVERY_YEAR = "every year on {day}"
ONCE = "{day}"
PASSED = " (passed)"
REMOVED = "Removed. I won't mention that date again."
REMOVED_COMMUNITY = "Removed. That day's prompt won't mention it."
NOT_FOUND = "I can't find a date with id {id} among yours. `/dates list` shows their ids."
NOT_FOUND_COMMUNITY = "I can't find a community date with id {id}. `/dates community list` shows their ids."
LABEL_EMPTY = "Give the date a short label of up to {limit} characters, like Dad's birthday or payday."
LABEL_LONG = "That label is a little long. Try one of up to {limit} characters, like Dad's birthday or payday."
LABEL_ODD = "Labels can't hold line breaks or control characters. Try a plain one like payday."
ONCE_PASSED = "That date has passed. Pick one still ahead, or choose `repeat: every year`."
TOO_MANY = "You have {limit} dates already, the most I keep. `/dates remove` makes room."
TOO_MANY_COMMUNITY = "This community has {limit} dates already, the most I keep. `/dates community remove` makes room."

# The eve's note (a DM) and its button.
EVE = "Tomorrow is {label}. Days like this can stir things up, and that's okay. Here's something that may help:"
EVE_MORE = "`/tip` has more whenever you want one. Go gently."
EVE_PARTNER = "If you'd like, I can let your partner know you'd welcome a hello. I won't say why."
PARTNER_BUTTON = "Let my partner know"
PARTNER_PING = "<@{user}> has a hard day coming up and would welcome a hello from you. (That's all I'm sharing.)"
PARTNER_SENT = "I've let your partner know you'd welcome a hello. I didn't share anything else."
PARTNER_GONE = "That partner group has ended. `/partner status` shows who you're paired with now."
PARTNER_RETRY = "I couldn't reach your partner thread just now. Please try again in a minute."

# Added to the check-in prompt on a community's date.
PROMPT_LINE = "Today is {label}. Days like this can be heavy; go gently, and reach out if you need to."
