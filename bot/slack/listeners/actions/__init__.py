from __future__ import annotations

from slack_bolt import App

from bot.slack import blocks
from bot.slack.listeners.actions.feedback import feedback_callback
from bot.slack.listeners.actions.home import home_ask_callback
from bot.slack.listeners.actions.share import share_callback
from bot.slack.listeners.actions.suggestion import suggestion_callback


def register(app: App) -> None:
    app.action(blocks.FEEDBACK_UP)(feedback_callback)
    app.action(blocks.FEEDBACK_DOWN)(feedback_callback)
    app.action(blocks.SUGGESTION)(suggestion_callback)
    app.action(blocks.SHARE)(share_callback)
    app.action(blocks.HOME_ASK)(home_ask_callback)
