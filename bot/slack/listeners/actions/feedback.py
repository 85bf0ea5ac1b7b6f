"""👍/👎 under an answer: stored per message and user (a second click changes the vote)."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.slack import blocks
from bot.slack.listeners.common import policy_of, respond_safely


def feedback_callback(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext, logger: Logger
) -> None:
    ack()
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
    message_ts = container.get("message_ts") or (body.get("message") or {}).get("ts") or ""
    user = (body.get("user") or {}).get("id") or ""
    vote = 1 if action.get("action_id") == blocks.FEEDBACK_UP else -1
    value = blocks.button_value(action.get("value"))
    try:
        policy_of(context).feedback(
            channel=channel, message_ts=message_ts, user=user, entry_id=value.get("e"), vote=vote
        )
    except Exception:
        logger.exception("could not store feedback from %s on %s/%s", user, channel, message_ts)
        return
    respond_safely(
        respond,
        logger,
        f"feedback from {user}",
        response_type="ephemeral",
        replace_original=False,
        **blocks.feedback_thanks(vote),
    )
