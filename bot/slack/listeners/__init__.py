"""Listeners per surface (events, messages, commands, actions, views), as in bolt's starter template."""

from __future__ import annotations

from slack_bolt import App

from bot.config import Settings
from bot.schedule import wiring
from bot.slack.listeners import actions, commands, events, messages, views


def register_listeners(app: App, settings: Settings) -> None:
    events.register(app)
    messages.register(app)
    commands.register(app)
    actions.register(app)
    views.register(app)
    wiring.register_slack_actions(app, settings)  # the digest's "mark done" button
