"""@mention in a channel: answered in the thread (the mention's thread, or a new one under it).

This runs before Slack gets its answer: it only receives the event (see PolicyService.accept_event);
a worker decides the reply and the outbox delivers it."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, BoltResponse

from bot.slack.listeners.common import is_from_person, policy_of


def app_mention_callback(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> BoltResponse | None:
    if not is_from_person(event, context):
        return None
    return policy_of(context).accept_event("mention", body, event, context.bot_user_id)
