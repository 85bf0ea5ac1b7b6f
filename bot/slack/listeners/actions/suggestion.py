"""A suggestion button under a refusal: answer that entry where the refusal was (once per message,
suggestion and user, however often it is clicked)."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext

from bot.slack import blocks
from bot.slack.listeners.common import action_key, click_of, policy_of


def suggestion_callback(body: dict[str, Any], action: dict[str, Any], context: BoltContext, logger: Logger) -> None:
    policy = policy_of(context)
    value = blocks.button_value(action.get("value"))
    channel, _, user, ephemeral = click_of(body)
    key = action_key(body, action)
    response_url = body.get("response_url")
    reply = policy.entry_reply(
        str(value.get("e") or ""), bool(value.get("t")), channel=channel, user=user, share=ephemeral, log_as=None
    )
    if reply is None:
        if response_url:
            gone = blocks.notice("这个问题已经不在知识库里了，请换个说法再问。")
            policy.respond(key, response_url, {"response_type": "ephemeral", "replace_original": False, **gone})
        return
    if ephemeral or not channel:
        # a slash command's private answer: replace it, still private, with the button to share it
        if not response_url:
            return
        sent = policy.respond(
            key, response_url, {"response_type": "ephemeral", "replace_original": True, **reply.message}
        )
    else:
        thread_ts = (body.get("message") or {}).get("thread_ts")
        entry = reply.answer.entry_id if reply.answer else None
        sent = policy.post(key, channel=channel, thread_ts=thread_ts, message=reply.message, entry_id=entry)
    if sent and reply.answer is not None:
        policy.log_answer(reply.answer, "", surface="suggestion", channel=channel, user=user)
