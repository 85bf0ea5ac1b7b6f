"""Build the bolt App: the shared Web API client, the listeners, the service they share.

`process_before_response=False` (bolt's default, right for a long-running server and for Socket Mode):
bolt acknowledges Slack first (events automatically, commands and actions on their first line's
`ack()`) and runs the listener in a worker thread, so every path acks well within Slack's 3 seconds.
(Only a FaaS deployment such as AWS Lambda would need `True`.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.config import Settings
from bot.slack.client import make_web_client
from bot.slack.listeners import register_listeners
from bot.slack.service import PolicyService

log = logging.getLogger(__name__)

LISTENER_WORKERS = 16  # answering is quick; the threads mostly wait on the Web API


class _SameTokenWarningFilter(logging.Filter):
    """bolt reads SLACK_BOT_TOKEN from the environment itself and warns that it is unused when a client is
    given; our client carries that same token (from Settings), so the warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_BOLT_APP_LOGGER = logging.getLogger("slack_bolt.App")
if not any(isinstance(f, _SameTokenWarningFilter) for f in _BOLT_APP_LOGGER.filters):
    _BOLT_APP_LOGGER.addFilter(_SameTokenWarningFilter())


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
        process_before_response=False,
        token_verification_enabled=token_verification,
        ignoring_self_events_enabled=True,
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_WORKERS, thread_name_prefix="slack-listener"),
        name="policy-bot",
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
