"""Every button and form Lantern sends, in one router: the only handler of custom_ids under `lantern:`."""

from __future__ import annotations

from bot.ui import (
    checkin_form,
    data_buttons,
    days_buttons,
    dm_notes,
    goal_buttons,
    oncall_buttons,
    partner_buttons,
    prompt_buttons,
    support_buttons,
)
from bot.ui.safe import Router

ROUTER = Router(
    buttons=(
        *prompt_buttons.BUTTONS,
        *support_buttons.BUTTONS,
        *partner_buttons.BUTTONS,
        *data_buttons.BUTTONS,
        *dm_notes.BUTTONS,
        *days_buttons.BUTTONS,
        *oncall_buttons.BUTTONS,
        *goal_buttons.BUTTONS,
    ),
    forms=checkin_form.FORMS,
)
