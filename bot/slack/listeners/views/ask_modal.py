"""The question modal (from the App Home): close it at once, answer in the user's DM with the bot."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext

from bot.slack import blocks
from bot.slack.listeners.common import policy_of


def ask_modal_callback(body: dict[str, Any], view: dict[str, Any], context: BoltContext, logger: Logger) -> None:
    values = (view.get("state") or {}).get("values") or {}
    question = ((values.get(blocks.ASK_BLOCK) or {}).get(blocks.ASK_INPUT) or {}).get("value") or ""
    user = (body.get("user") or {}).get("id")
    if not user:
        return
    policy = policy_of(context)
    reply = policy.reply(str(question), surface="home", channel=None, user=user, echo_question=True)
    # Posting to a user ID delivers into the app's DM with that user (the App Home's Messages tab).
    key = f"view:{body.get('trigger_id') or view.get('id')}:{user}"
    policy.post(key, channel=user, message=reply.message)
