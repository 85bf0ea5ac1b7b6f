"""@mention in a channel: answer in the thread (the mention's thread, or a new one under it)."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.listeners.common import is_from_person, policy_of
from bot.slack.mrkdwn import strip_mention


def app_mention_callback(
    body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger
) -> None:
    if not is_from_person(event, context):
        return
    policy = policy_of(context)
    if not policy.claim(body, event):
        return
    channel = event["channel"]
    thread_ts = event.get("thread_ts") or event["ts"]
    text = strip_mention(event.get("text") or "", context.bot_user_id)
    reply = policy.reply(text, surface="mention", channel=channel, user=event.get("user"))
    # Remembered before posting, so a reply typed the moment the answer appears counts as a follow-up.
    known = policy.in_bot_thread(channel, thread_ts)
    if not known:
        policy.remember_thread(channel, thread_ts)
    posted = policy.post(
        client, channel=channel, thread_ts=thread_ts, message=reply.message, event_id=body.get("event_id")
    )
    if not posted and not known:
        policy.forget_thread(channel, thread_ts)  # the bot is not in that thread after all
