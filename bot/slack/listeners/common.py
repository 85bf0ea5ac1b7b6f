"""Small helpers the listeners share: who wrote a message, the key of a click, running work queued."""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Args, BoltContext

from bot.slack import blocks
from bot.slack.service import PolicyService

# Message subtypes that are still a person writing; edits, deletions, joins, bot posts are not.
USER_SUBTYPES = frozenset({None, "thread_broadcast"})
_SLACK_ID = re.compile(r"^[A-Z0-9]{2,31}$")
_TS = re.compile(r"^\d{1,12}\.\d{1,8}$")


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


def is_slack_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_SLACK_ID.match(value))


def is_ts(value: Any) -> bool:
    return isinstance(value, str) and bool(_TS.match(value))


def click_of(body: dict[str, Any]) -> tuple[str, str, str, bool]:
    """(channel, message ts, user, ephemeral) of a button click."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
    message_ts = container.get("message_ts") or (body.get("message") or {}).get("ts") or ""
    user = (body.get("user") or {}).get("id") or ""
    return str(channel), str(message_ts), str(user), bool(container.get("is_ephemeral"))


def action_key(body: dict[str, Any], action: dict[str, Any]) -> str:
    """One key per (message, button, user): a second click of the same button is the same key."""
    channel, message_ts, user, _ = click_of(body)
    if not message_ts:
        message_ts = str((body.get("container") or {}).get("view_id") or "")
    button = f"{action.get('action_id')}:{action.get('value') or ''}"
    digest = hashlib.sha256(button.encode("utf-8", "replace")).hexdigest()[:16]
    return f"action:{channel[:32]}:{message_ts[:32]}:{digest}:{user[:32]}"


def queued(work: Callable[..., None]) -> Callable[..., None]:
    """A bolt listener that acks at once and leaves `work` (a listener function taking bolt's usual
    arguments by name) to the work queue; when the queue is full, the user is told the bot is busy."""
    names = [name for name in inspect.signature(work).parameters]

    def listener(args: Args) -> None:
        kwargs = {name: getattr(args, name) for name in names}
        policy = args.context.get("policy")
        if policy is None:  # an App without our service (a feature's own tests): run it here
            args.ack()
            work(**kwargs)
            return
        if policy.work.submit(functools.partial(work, **kwargs)):
            args.ack()
            return
        if (args.body or {}).get("type") == "view_submission":
            args.ack(response_action="errors", errors={blocks.ASK_BLOCK: blocks.BUSY})
            return
        args.ack()
        policy.notify_busy((args.body or {}).get("response_url"))

    listener.__name__ = listener.__qualname__ = getattr(work, "__name__", "queued_listener")
    return listener
