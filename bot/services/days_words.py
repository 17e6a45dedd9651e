"""Everything a member reads from `/days`, in one place (English for now; catalogues come with Spanish)."""

from __future__ import annotations

MAX_NAME = 40
MAX_COUNTERS = 10
DEFAULT_NAME = "my days"

SET_NEW = "Counting from {start}: {count}. I'll send you a private note at each milestone."
SET_AGAIN = "Your {name} counter now starts on {start}: {count}."
SET_TODAY = "Day 1 starts today for {name}. I'll send you a private note at each milestone."
RESET = "Day 1 again. Coming back is the hardest part, and you did it."
SHOW_NONE = "You have no day counters yet. `/days set` starts one, counting from today or any date you choose."
SHOW_ALL_HIDDEN = "Your counters are all hidden. `/days show name:` with a counter's name shows it."
SHOW_LINE = "**{name}**: {count} (since {start})"
SHOW_NEXT = "Next milestone: {milestone} on {day}."
SHOW_HIDDEN = "{hidden} hidden. `/days show name:` with a name shows one."
HIDDEN = (
    "Hidden. {name} keeps counting quietly, with no milestone notes. "
    "`/days set` with its name brings it back, its count unchanged."
)
ALREADY_HIDDEN = "{name} is already hidden. `/days set` with its name brings it back."

UNKNOWN = 'You don\'t have a counter called "{name}". {have}'
HAVE = "Yours: {names}. Pick one from the list as you type."
HAVE_NONE = "`/days set` starts one."
NAME_EMPTY = "Give your counter a name of up to {limit} characters, like alcohol or gambling."
NAME_LONG = "That name is a little long. Try one of up to {limit} characters, like alcohol or gambling."
NAME_ODD = "Counter names can't hold line breaks or control characters. Try a plain name like alcohol."
TOO_MANY = "You have {limit} counters already, the most I keep. `/days set` with one of their names changes it."
FUTURE = "That date is still ahead. Pick today or a day before it, like today or 2024-03-01."
NEED_NAME = "You have several counters. Add `name:` to say which, like name:{example}."

# The milestone note (a DM), the share button, and what the check-in channel sees when a member shares.
NOTE = "{milestone} on your {name} counter today. That's something to be proud of. 🎉"
NOTE_PRIVATE = (
    "Only you can see this. If you'd like, you can share the milestone (not the counter's name) "
    "in the check-in channel."
)
SHARE_BUTTON = "Share this milestone"
SHARED_PUBLIC = "<@{user}> is marking {milestone} today. 🎉"
SHARED = "Shared in <#{channel}>. Only the milestone was shared, not what you count."
SHARED_ALREADY = "You've shared this milestone already."
SHARE_NO_CHANNEL = (
    "This community has no check-in channel yet, so there's nowhere to share it. Your milestone still counts."
)
SHARE_STALE = "That milestone belongs to an earlier count. `/days show` has where you are now."
SHARE_NOT_YOURS = "That milestone isn't yours to share."
SHARE_RETRY = "I couldn't post in the check-in channel just now. Please try the button again in a minute."
