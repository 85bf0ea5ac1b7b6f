from __future__ import annotations

from slack_bolt import App

from bot.slack import blocks
from bot.slack.listeners.actions.feedback import feedback_callback
from bot.slack.listeners.actions.home import home_ask_callback
from bot.slack.listeners.actions.share import share_callback
from bot.slack.listeners.actions.suggestion import suggestion_callback
from bot.slack.listeners.common import queued


def register(app: App) -> None:
    # Each is acked at once and run from the work queue (bot/slack/work.py).
    app.action(blocks.FEEDBACK_UP)(queued(feedback_callback))
    app.action(blocks.FEEDBACK_DOWN)(queued(feedback_callback))
    app.action(blocks.SUGGESTION)(queued(suggestion_callback))
    app.action(blocks.SHARE)(queued(share_callback))
    app.action(blocks.HOME_ASK)(queued(home_ask_callback))
