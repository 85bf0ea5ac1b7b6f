"""Slack's side of the outbox (bot/chat/outbox.py): one attempt at one reply, through chat.postMessage
or a `response_url`, with Slack's errors sorted into worth-retrying and never-will-work."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.chat.outbox import Outbox, Timing, Transient, Undeliverable, header_seconds
from bot.chat.store import Outgoing

__all__ = ["Outbox", "SlackSender", "Timing"]

# ok:false errors worth trying again; any other error means the message can never be delivered there.
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout", "timeout"}
)


class SlackSender:
    """Delivers Slack rows: kind "post" (chat.postMessage) or "respond" (a response_url)."""

    def __init__(self, client: WebClient, timing: Timing) -> None:
        self.timing = timing
        # One attempt per call, no retries inside: a retry is the outbox's job (with the row's lease
        # held for less time than a lease lasts, so no other process can send it meanwhile).
        self.client = WebClient(
            token=client.token, base_url=client.base_url, timeout=timing.attempt_timeout, retry_handlers=[]
        )

    def __call__(self, reply: Outgoing) -> tuple[str | None, str | None]:
        if reply.kind == "respond":
            return self._respond(reply)
        target, message = reply.target, reply.message
        try:
            response = self.client.chat_postMessage(
                channel=target["channel"],
                thread_ts=target.get("thread_ts"),
                text=message.get("text", ""),
                blocks=message.get("blocks"),
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            error = (exc.response.get("error") if exc.response is not None else None) or f"HTTP {status}"
            if status == 429 or status >= 500 or error in TRANSIENT_ERRORS:
                wait = header_seconds(exc.response.headers if exc.response is not None else {}, "Retry-After")
                raise Transient(f"chat.postMessage to {target['channel']}: {error}", wait) from None
            raise Undeliverable(f"chat.postMessage to {target['channel']}: {error}") from None
        except Exception as exc:  # connection refused, timeouts: the client already retried
            raise Transient(f"chat.postMessage to {target['channel']}: {exc!r}") from None
        return response.get("channel") or target["channel"], response.get("ts")

    def _respond(self, reply: Outgoing) -> tuple[None, None]:
        webhook = WebhookClient(reply.target["response_url"], timeout=self.timing.attempt_timeout, retry_handlers=[])
        try:
            response = webhook.send_dict(reply.message)
        except Exception as exc:
            raise Transient(f"response_url: {exc!r}") from None
        if response.status_code == 200:
            return None, None
        detail = f"response_url: HTTP {response.status_code} {(response.body or '')[:60]}"
        if response.status_code == 429 or response.status_code >= 500:
            raise Transient(detail, header_seconds(response.headers or {}, "Retry-After"))
        raise Undeliverable(detail)  # 404 expired_url / used_url: it will never work
