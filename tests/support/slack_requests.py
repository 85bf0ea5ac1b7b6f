"""Requests signed the way Slack signs them, and the payloads Slack sends, for end-to-end tests.

Slack signs `v0:{timestamp}:{body}` with HMAC-SHA256 of the signing secret and sends it as
`X-Slack-Signature: v0=<hex>` with `X-Slack-Request-Timestamp`; bolt rejects a bad signature or a
timestamp more than five minutes old with 401.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.support.fake_slack import BOT_USER_ID, TEAM_ID

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-token"
API_APP_ID = "AFAKEAPP01"

_counter = itertools.count(1)


def sign(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def next_ts() -> str:
    """A unique message timestamp like Slack's ('1700000000.000123')."""
    n = next(_counter)
    return f"{1_710_000_000 + n // 1_000_000}.{n % 1_000_000:06d}"


def next_event_id() -> str:
    return f"Ev{next(_counter):010d}"


@dataclass(frozen=True)
class HttpResult:
    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


class SlackSender:
    """Posts signed requests to the app's /slack/events, as Slack would."""

    def __init__(self, base_url: str, secret: str = SIGNING_SECRET, path: str = "/slack/events") -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.path = path

    def post_raw(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 10.0,
    ) -> HttpResult:
        ts = int(time.time()) if timestamp is None else timestamp
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature if signature is not None else sign(body, ts, self.secret),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **(headers or {}),
        }
        request = urllib.request.Request(
            self.base_url + self.path, data=body.encode(), headers=all_headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return HttpResult(response.status, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return HttpResult(error.code, error.read().decode(), dict(error.headers))

    def post_json(self, payload: dict[str, Any], **kwargs: Any) -> HttpResult:
        return self.post_raw(json.dumps(payload, ensure_ascii=False), "application/json", **kwargs)

    def post_form(self, form: dict[str, str], **kwargs: Any) -> HttpResult:
        return self.post_raw(urlencode(form), "application/x-www-form-urlencoded", **kwargs)

    def event(self, payload: dict[str, Any], retry_num: int | None = None, **kwargs: Any) -> HttpResult:
        headers = dict(kwargs.pop("headers", {}) or {})
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        return self.post_json(payload, headers=headers, **kwargs)

    def action(self, payload: dict[str, Any], **kwargs: Any) -> HttpResult:
        return self.post_form({"payload": json.dumps(payload, ensure_ascii=False)}, **kwargs)

    def command(self, form: dict[str, str], **kwargs: Any) -> HttpResult:
        return self.post_form(form, **kwargs)


# ---------------------------------------------------------------------------- payloads


def event_callback(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": API_APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or next_event_id(),
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True, "is_enterprise_install": False}
        ],
    }


def app_mention(
    text: str,
    *,
    channel: str = "C0GENERAL1",
    user: str = "U0ASKER001",
    ts: str | None = None,
    thread_ts: str | None = None,
    mention: bool = True,
    event_id: str | None = None,
) -> dict[str, Any]:
    ts = ts or next_ts()
    event: dict[str, Any] = {
        "type": "app_mention",
        "user": user,
        "text": (f"<@{BOT_USER_ID}> " if mention else "") + text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event_callback(event, event_id)


def message(
    text: str,
    *,
    channel: str = "C0GENERAL1",
    channel_type: str = "channel",
    user: str | None = "U0ASKER001",
    ts: str | None = None,
    thread_ts: str | None = None,
    subtype: str | None = None,
    bot_id: str | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    ts = ts or next_ts()
    event: dict[str, Any] = {
        "type": "message",
        "text": text,
        "ts": ts,
        "channel": channel,
        "channel_type": channel_type,
        "event_ts": ts,
    }
    if user:
        event["user"] = user
    if thread_ts:
        event["thread_ts"] = thread_ts
    if subtype:
        event["subtype"] = subtype
    if bot_id:
        event["bot_id"] = bot_id
    return event_callback(event, event_id)


def direct_message(text: str, *, channel: str = "D0DIRECT01", **kwargs: Any) -> dict[str, Any]:
    return message(text, channel=channel, channel_type="im", **kwargs)


def app_home_opened(user: str = "U0ASKER001", tab: str = "home") -> dict[str, Any]:
    return event_callback(
        {"type": "app_home_opened", "user": user, "channel": "D0DIRECT01", "tab": tab, "event_ts": next_ts()}
    )


def slash_command(
    text: str,
    response_url: str,
    *,
    command: str = "/policy",
    user: str = "U0ASKER001",
    channel: str = "C0GENERAL1",
) -> dict[str, str]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "fake",
        "channel_id": channel,
        "channel_name": "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": API_APP_ID,
        "response_url": response_url,
        "trigger_id": f"trigger.{next(_counter)}",
    }


def block_actions(
    action: dict[str, Any],
    *,
    response_url: str,
    user: str = "U0ASKER001",
    channel: str = "C0GENERAL1",
    message: dict[str, Any] | None = None,
    ephemeral: bool = False,
) -> dict[str, Any]:
    """A click on a button in a message (`message` is the message as Slack shows it: ts, thread_ts...)."""
    message = message or {"type": "message", "ts": next_ts(), "user": BOT_USER_ID}
    return {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": API_APP_ID,
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": message.get("ts"),
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": f"trigger.{next(_counter)}",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "channel": {"id": channel, "name": "general"},
        "message": None if ephemeral else message,
        "response_url": response_url,
        "actions": [{"type": "button", "block_id": "b1", "action_ts": next_ts(), **action}],
    }


def button_click(button: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A click on a button taken from blocks the app posted (action_id and value as rendered)."""
    return block_actions(
        {"action_id": button["action_id"], "value": button.get("value", ""), "text": button.get("text")}, **kwargs
    )


def view_submission(callback_id: str, values: dict[str, Any], user: str = "U0ASKER001") -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": API_APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": f"trigger.{next(_counter)}",
        "view": {
            "id": "VFAKE0002",
            "type": "modal",
            "callback_id": callback_id,
            "state": {"values": values},
            "private_metadata": "",
        },
    }


def buttons_in(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every button in posted blocks (in actions blocks and section accessories), in order."""
    found = []
    for block in blocks or []:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("type") == "button":
                found.append(element)
        accessory = block.get("accessory")
        if accessory and accessory.get("type") == "button":
            found.append(accessory)
    return found


def text_of(blocks: list[dict[str, Any]]) -> str:
    """All mrkdwn/plain text in blocks, joined: what a reader would see."""
    parts = []
    for block in blocks or []:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"].get("text", ""))
        for element in block.get("elements", []):
            if isinstance(element, dict) and element.get("type") in ("mrkdwn", "plain_text"):
                parts.append(element.get("text", ""))
    return "\n".join(parts)
