"""`/policy 问题`: an ephemeral answer (only the asker sees it) with a button to post it to the channel.
`/policy help`, and for admins `/policy reload` and `/policy stats`."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.slack.listeners.common import policy_of, respond_safely


def policy_command_callback(
    ack: Ack, command: dict[str, Any], respond: Respond, context: BoltContext, logger: Logger
) -> None:
    ack()  # within 3 s, before any work; the answer follows through the response_url
    reply = policy_of(context).reply(
        command.get("text") or "",
        surface="command",
        channel=command.get("channel_id"),
        user=command.get("user_id"),
        echo_question=True,
        share=True,
    )
    respond_safely(
        respond, logger, f"slash command from {command.get('user_id')}", response_type="ephemeral", **reply.message
    )
