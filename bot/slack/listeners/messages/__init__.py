from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.messages.message import message_callback


def register(app: App) -> None:
    # One listener for every message event, so none is left unhandled (bolt would log a warning) and the
    # routing below reads in one place: direct messages, then follow-ups in the bot's threads.
    app.event("message")(message_callback)
