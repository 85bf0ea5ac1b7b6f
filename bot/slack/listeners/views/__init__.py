from __future__ import annotations

from slack_bolt import App

from bot.slack import blocks
from bot.slack.listeners.common import queued
from bot.slack.listeners.views.ask_modal import ask_modal_callback


def register(app: App) -> None:
    app.view(blocks.ASK_MODAL)(queued(ask_modal_callback))
