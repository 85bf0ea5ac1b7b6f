"""`/policy 问题`: an ephemeral answer (only the asker sees it) with a button to post it to the channel.
`/policy help`, and for admins `/policy reload` and `/policy stats`."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.slack import blocks
from bot.slack.listeners.common import policy_of
from bot.slack.service import PolicyService


def policy_command_callback(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    """Acked at once (before any work); the answer follows through the response_url."""
    policy = policy_of(context)
    if policy.work.submit(functools.partial(answer_command, policy, command)):
        ack()
    else:
        ack(response_type="ephemeral", **blocks.busy_message())


def answer_command(policy: PolicyService, command: dict[str, Any]) -> None:
    reply = policy.reply(
        command.get("text") or "",
        surface="command",
        channel=command.get("channel_id"),
        user=command.get("user_id"),
        echo_question=True,
        share=True,
    )
    if command.get("response_url"):
        key = f"command:{command.get('trigger_id') or uuid.uuid4().hex}"
        policy.respond(key, command["response_url"], {"response_type": "ephemeral", **reply.message})
