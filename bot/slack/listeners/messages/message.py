"""Messages: a direct message is answered there; in a channel thread the bot has answered in, a
follow-up without a mention is answered only when it is addressed to the bot: a question the knowledge
base answers (or says the documents do not state). Talk between people, and messages that mention
someone else, get no reply (BOT_THREAD_FOLLOWUPS, on by default).

Like the mention listener, this runs before Slack gets its answer and only receives the event."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext, BoltResponse

from bot.slack.listeners.common import is_from_person, policy_of
from bot.slack.mrkdwn import mentions, mentions_others

log = logging.getLogger(__name__)


def message_callback(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> BoltResponse | None:
    if not is_from_person(event, context):
        return None  # the bot itself, other bots, edits, deletions, joins...
    if event.get("channel_type") == "im":
        return policy_of(context).accept_event("dm", body, event, context.bot_user_id)
    return thread_followup(body, event, context)


def thread_followup(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> BoltResponse | None:
    policy = policy_of(context)
    thread_ts = event.get("thread_ts")
    text = event.get("text") or ""
    if not policy.settings.thread_followups or not thread_ts or thread_ts == event.get("ts"):
        return None  # follow-ups off, or not a reply in a thread
    if mentions(text, context.bot_user_id):
        return None  # the app_mention event answers this one
    if mentions_others(text, context.bot_user_id):
        return None  # addressed to someone else
    try:
        known = policy.in_bot_thread_or_raise(event.get("channel") or "", thread_ts)
    except Exception as exc:
        log.error("event %s: database unavailable, asking Slack to retry (503): %r", body.get("event_id"), exc)
        return BoltResponse(status=503, body="database unavailable; retry later")
    if not known:
        return None  # only threads the bot is already in
    return policy.accept_event("thread", body, event, context.bot_user_id)
