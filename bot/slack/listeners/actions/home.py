"""The App Home's "提问" button opens the question modal."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.listeners.common import policy_of


def home_ask_callback(body: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger) -> None:
    try:
        client.views_open(trigger_id=body["trigger_id"], view=policy_of(context).ask_modal())
    except Exception as exc:
        logger.error("views.open for %s failed: %r", (body.get("user") or {}).get("id"), exc)
