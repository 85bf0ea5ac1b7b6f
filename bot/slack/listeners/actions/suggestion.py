"""A suggestion button under a refusal: answer that entry where the refusal was."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.listeners.common import policy_of, respond_safely


def suggestion_callback(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
    logger: Logger,
) -> None:
    ack()
    policy = policy_of(context)
    value = blocks.button_value(action.get("value"))
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    user = (body.get("user") or {}).get("id")
    ephemeral = bool(container.get("is_ephemeral"))
    reply = policy.entry_reply(
        str(value.get("e") or ""), bool(value.get("t")), channel=channel, user=user, share=ephemeral
    )
    if reply is None:
        respond_safely(
            respond,
            logger,
            "suggestion",
            response_type="ephemeral",
            replace_original=False,
            **blocks.notice("这个问题已经不在知识库里了，请换个说法再问。"),
        )
        return
    if ephemeral or not channel:
        # a slash command's private answer: replace it, still private, with the button to share it
        respond_safely(respond, logger, "suggestion", response_type="ephemeral", replace_original=True, **reply.message)
        return
    thread_ts = (body.get("message") or {}).get("thread_ts")
    policy.post(client, channel=channel, thread_ts=thread_ts, message=reply.message)
