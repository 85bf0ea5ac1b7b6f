from __future__ import annotations

import re

from slack_bolt import App

from bot.slack.listeners.commands.policy import policy_command_callback


def register(app: App) -> None:
    # The app declares one slash command (manifest.*.json: /policy); match any name so that a workspace
    # that renames it keeps working.
    app.command(re.compile(r"^/.+"))(policy_command_callback)
