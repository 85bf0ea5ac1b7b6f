"""Small helpers the listeners share."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.slack.service import PolicyService

# Message subtypes that are still a person writing; edits, deletions, joins, bot posts are not.
USER_SUBTYPES = frozenset({None, "thread_broadcast"})


def policy_of(context: BoltContext) -> PolicyService:
    return context["policy"]


def is_from_person(event: dict[str, Any], context: BoltContext) -> bool:
    """A message or mention a person wrote (not the bot itself, not another bot, not an edit)."""
    if event.get("subtype") not in USER_SUBTYPES:
        return False
    if event.get("bot_id") or event.get("bot_profile"):
        return False
    user = event.get("user")
    return bool(user) and user != context.bot_user_id


def respond_safely(respond: Any, logger: Any, what: str, **message: Any) -> None:
    """respond() to a response_url; a failure is logged, never raised out of the listener."""
    try:
        respond(**message)
    except Exception as exc:
        logger.error("%s: posting to response_url failed: %r", what, exc)
