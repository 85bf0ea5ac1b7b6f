"""👍/👎 under an answer: stored per message and user (a second click changes the vote).

A vote counts only for an answer the bot sent: the clicked message is the bot's (as Slack reports
it), the button is in it, and its entry exists. The thanks is sent once per (message, button, user)."""

from __future__ import annotations

from datetime import datetime, timezone
from logging import Logger
from typing import Any

from slack_bolt import BoltContext

from bot.slack import blocks
from bot.slack.listeners.common import action_key, click_of, is_slack_id, is_ts, policy_of

NOT_RECORDED = "这条反馈没有记录：找不到对应的答案。"


def feedback_callback(body: dict[str, Any], action: dict[str, Any], context: BoltContext, logger: Logger) -> None:
    policy = policy_of(context)
    channel, message_ts, user, _ = click_of(body)
    entry_id = blocks.button_value(action.get("value")).get("e")
    problem = feedback_problem(body, action, context.bot_user_id, entry_id, policy)
    if problem:
        logger.info("feedback from %r on %r/%r not stored: %s", user[:40], channel[:40], message_ts[:40], problem)
        if body.get("response_url"):
            policy.respond(
                action_key(body, action),
                body["response_url"],
                {"response_type": "ephemeral", "replace_original": False, **blocks.notice(NOT_RECORDED)},
            )
        return
    vote = 1 if action.get("action_id") == blocks.FEEDBACK_UP else -1
    try:
        policy.feedback(
            channel=channel,
            message_ts=message_ts,
            user=user,
            entry_id=entry_id,
            vote=vote,
            clicked_at=clicked_at(action),
        )
    except Exception:
        logger.exception("could not store feedback from %s on %s/%s", user, channel, message_ts)
        return
    if body.get("response_url"):
        thanks = {"response_type": "ephemeral", "replace_original": False, **blocks.feedback_thanks(vote)}
        policy.respond(action_key(body, action), body["response_url"], thanks)


def clicked_at(action: dict[str, Any]) -> datetime | None:
    """When Slack says the button was clicked (`action_ts`), so that two quick clicks keep their order."""
    try:
        return datetime.fromtimestamp(float(action.get("action_ts") or ""), timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def feedback_problem(
    body: dict[str, Any], action: dict[str, Any], bot_user_id: str | None, entry_id: Any, policy: Any
) -> str | None:
    """Why this click is not a vote on an answer the bot sent; None when it is."""
    channel, message_ts, user, ephemeral = click_of(body)
    if not is_slack_id(user) or not is_slack_id(channel) or not is_ts(message_ts):
        return "no valid user, channel or message"
    if not isinstance(entry_id, str) or policy.store.answerer().kb.by_id(entry_id) is None:
        return "no such entry"
    if ephemeral:
        return None  # a private answer: Slack sends no copy of the message, the entry was checked
    message = body.get("message") or {}
    if not (message.get("bot_id") or (bot_user_id and message.get("user") == bot_user_id)):
        return "not a message the bot sent"
    buttons = [
        element
        for block in message.get("blocks") or []
        if isinstance(block, dict) and block.get("type") == "actions"
        for element in block.get("elements") or []
        if isinstance(element, dict)
    ]
    if not any(
        b.get("action_id") == action.get("action_id") and b.get("value") == action.get("value") for b in buttons
    ):
        return "the button is not in the message"
    return None
