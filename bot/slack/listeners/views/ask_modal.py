"""The question modal (from the App Home): close it at once, answer in the user's DM with the bot."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.listeners.common import policy_of


def ask_modal_callback(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger
) -> None:
    ack()
    values = (view.get("state") or {}).get("values") or {}
    question = ((values.get(blocks.ASK_BLOCK) or {}).get(blocks.ASK_INPUT) or {}).get("value") or ""
    user = (body.get("user") or {}).get("id")
    if not user:
        return
    policy = policy_of(context)
    reply = policy.reply(question, surface="home", channel=None, user=user, echo_question=True)
    # Posting to a user ID delivers into the app's DM with that user (the App Home's Messages tab).
    policy.post(client, channel=user, message=reply.message)
