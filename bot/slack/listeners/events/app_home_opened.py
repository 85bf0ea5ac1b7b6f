"""The App Home tab: documents and entry counts, how to ask, examples, upcoming deadlines."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.listeners.common import policy_of


def app_home_opened_callback(event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger) -> None:
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    try:
        client.views_publish(user_id=event["user"], view=policy_of(context).home_view())
    except Exception as exc:
        logger.error("views.publish for %s failed: %r", event.get("user"), exc)
