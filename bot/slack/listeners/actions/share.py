""" "发到频道" under a private slash-command answer: post it to the channel, then remove the private copy
(once per message and user, however often it is clicked or replayed)."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext

from bot.slack import blocks
from bot.slack.listeners.common import action_key, policy_of
from bot.slack.store import Reply as Outgoing


def share_callback(body: dict[str, Any], action: dict[str, Any], context: BoltContext, logger: Logger) -> None:
    policy = policy_of(context)
    value = blocks.button_value(action.get("value"))
    user = (body.get("user") or {}).get("id")
    channel = (body.get("channel") or {}).get("id")
    response_url = body.get("response_url")
    if not response_url:
        return
    key = action_key(body, action)
    target = {"response_url": response_url}
    reply = policy.entry_reply(
        str(value.get("e") or ""), bool(value.get("t")), channel=channel, user=user, shared_by=user, log_as=None
    )
    if reply is None:
        gone = blocks.notice("这个问题已经不在知识库里了。")
        policy.respond(key, response_url, {"response_type": "ephemeral", "replace_original": False, **gone})
        return
    # The response_url posts into the channel even where the bot is not a member.
    shared = {"response_type": "in_channel", "replace_original": False, **reply.message}
    policy.send(
        [
            Outgoing(f"{key}:post", "respond", target, shared),
            Outgoing(f"{key}:delete", "respond", target, {"delete_original": True}),
        ]
    )
