"""Build the bolt App: the shared Web API client, the listeners, the service they share.

`process_before_response=True`: bolt runs a listener before it answers Slack, and every listener here
is quick by design: it checks the request, receives an event (one database write) or queues a job on
the bounded work queue (bot/slack/work.py), and returns. So every request (events, commands, buttons,
the modal) is acked in milliseconds whatever the queue holds: nothing waits for a free thread, and an
event is in the database before Slack hears "200".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.config import Settings
from bot.slack.client import make_web_client
from bot.slack.listeners import register_listeners
from bot.slack.service import PolicyService

log = logging.getLogger(__name__)


class _SameTokenWarningFilter(logging.Filter):
    """bolt reads SLACK_BOT_TOKEN from the environment itself and warns that it is unused when a client is
    given; our client carries that same token (from Settings), so the warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


class NoRequestBodies(logging.Filter):
    """bolt puts whole request bodies into some log lines (an invalid signature at INFO, an unhandled
    middleware at WARNING). Whatever the level, the body is cut from the line before it is emitted."""

    _BODY = re.compile(r"body: |for the request \(")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        found = self._BODY.search(message)
        if found:
            record.msg, record.args = message[: found.start()] + "body omitted)", ()
        return True


def bolt_logger() -> logging.Logger:
    """The base logger bolt configures all of its loggers from (level, handlers, filters).

    Without one, bolt copies the *root* logger's level onto each of its loggers when the App is built,
    so setting `slack_bolt` to WARNING afterwards changes nothing. Given this one, the level set on
    `slack_bolt` (WARNING unless someone chose another) is the level of every bolt logger."""
    logger = logging.getLogger("slack_bolt")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)
    for kind in (_SameTokenWarningFilter, NoRequestBodies):
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())
    return logger


def build_app(
    settings: Settings,
    policy: PolicyService,
    client: WebClient | None = None,
    *,
    token_verification: bool = True,
) -> App:
    """The bolt App for HTTP or Socket Mode. Calls auth.test once (bolt's token verification), which
    also tells the app its own user ID so it ignores its own messages."""
    app = App(
        client=client or make_web_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=True,
        token_verification_enabled=token_verification,
        ignoring_self_events_enabled=True,
        name="policy-bot",
        logger=bolt_logger(),
    )
    app.use(_inject(policy))
    app.error(_log_error)
    register_listeners(app, settings)
    return app


def _inject(policy: PolicyService) -> Callable[..., Any]:
    def inject_policy_service(context: BoltContext, next: Callable[[], None]) -> None:
        context["policy"] = policy
        next()

    return inject_policy_service


def _log_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> None:
    """Last resort for an exception a listener did not handle: log it with the event id; never re-raise."""
    event_id = body.get("event_id") if isinstance(body, dict) else None
    kind = body.get("type") if isinstance(body, dict) else None
    logger.error("unhandled error in a listener (type=%s, event %s): %r", kind, event_id, error, exc_info=error)
