"""The App Home tab: documents and entry counts, how to ask, examples, upcoming deadlines."""

from __future__ import annotations

import functools
from logging import Logger
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.listeners.common import policy_of
from bot.slack.service import PolicyService


def app_home_opened_callback(event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger) -> None:
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    policy = policy_of(context)
    if not policy.work.submit(functools.partial(publish_home, policy, client, event["user"], logger)):
        logger.warning("App Home for %s not refreshed: the work queue is full", event.get("user"))


def publish_home(policy: PolicyService, client: WebClient, user: str, logger: Logger) -> None:
    try:
        client.views_publish(user_id=user, view=policy.home_view())
    except Exception as exc:
        logger.error("views.publish for %s failed: %r", user, exc)
