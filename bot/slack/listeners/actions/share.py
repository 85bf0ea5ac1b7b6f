""" "发到频道" under a private slash-command answer: post it to the channel, then remove the private copy."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.slack import blocks
from bot.slack.listeners.common import policy_of, respond_safely


def share_callback(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext, logger: Logger
) -> None:
    ack()
    value = blocks.button_value(action.get("value"))
    user = (body.get("user") or {}).get("id")
    channel = (body.get("channel") or {}).get("id")
    reply = policy_of(context).entry_reply(
        str(value.get("e") or ""), bool(value.get("t")), channel=channel, user=user, shared_by=user, log_as=None
    )
    if reply is None:
        respond_safely(
            respond,
            logger,
            "share",
            response_type="ephemeral",
            replace_original=False,
            **blocks.notice("这个问题已经不在知识库里了。"),
        )
        return
    # The response_url posts into the channel even where the bot is not a member.
    respond_safely(respond, logger, "share", response_type="in_channel", replace_original=False, **reply.message)
    respond_safely(respond, logger, "share cleanup", delete_original=True)
