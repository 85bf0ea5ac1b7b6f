"""Messages: a direct message is answered there; in a channel thread the bot has answered in, a
follow-up without a mention is answered too (BOT_THREAD_FOLLOWUPS, on by default)."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.listeners.common import is_from_person, policy_of
from bot.slack.mrkdwn import mentions, strip_mention


def message_callback(
    body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger
) -> None:
    if not is_from_person(event, context):
        return  # the bot itself, other bots, edits, deletions, joins...
    if event.get("channel_type") == "im":
        direct_message(body, event, client, context)
    else:
        thread_followup(body, event, client, context)


def direct_message(body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    policy = policy_of(context)
    if not policy.claim(body, event):
        return
    channel = event["channel"]
    text = strip_mention(event.get("text") or "", context.bot_user_id)
    reply = policy.reply(text, surface="dm", channel=channel, user=event.get("user"))
    policy.post(
        client,
        channel=channel,
        thread_ts=event.get("thread_ts"),
        message=reply.message,
        event_id=body.get("event_id"),
    )


def thread_followup(body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    policy = policy_of(context)
    thread_ts = event.get("thread_ts")
    text = event.get("text") or ""
    if not policy.settings.thread_followups or not thread_ts or thread_ts == event.get("ts"):
        return  # follow-ups off, or not a reply in a thread
    if mentions(text, context.bot_user_id):
        return  # the app_mention event answers this one
    channel = event["channel"]
    if not policy.in_bot_thread(channel, thread_ts):
        return  # only threads the bot is already in
    if not policy.claim(body, event):
        return
    reply = policy.followup_reply(text, channel=channel, user=event.get("user"))
    if reply is not None:
        policy.post(client, channel=channel, thread_ts=thread_ts, message=reply.message, event_id=body.get("event_id"))
