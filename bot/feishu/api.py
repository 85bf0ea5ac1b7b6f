"""Feishu's Open API through the official lark-oapi client: replies, messages to a chat, the bot's own
identity. Each call is one attempt (the outbox retries); a 429's `x-ogw-ratelimit-reset` becomes the
wait before the next attempt.

The SDK fetches and caches the tenant_access_token itself (per app id, refreshed before it expires).
`FEISHU_API_URL` is the client's `domain` (an origin: https://open.feishu.cn, https://open.larksuite.com,
or a local fake in tests).
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import lark_oapi as lark
from lark_oapi.api.im.v1 import (
    CreateMessageRequest,
    CreateMessageRequestBody,
    ReplyMessageRequest,
    ReplyMessageRequestBody,
)

from bot.chat.outbox import Transient, Undeliverable, header_seconds
from bot.chat.store import Outgoing
from bot.config import Settings

log = logging.getLogger(__name__)

RATE_LIMIT_HEADER = "x-ogw-ratelimit-reset"
# Business codes worth another attempt: rate limits, internal errors, an expired token (refetched).
TRANSIENT_CODES = frozenset({99991400, 99991401, 99991663, 99991668, 99991672, 1000004, 1000005, 230020})


class FeishuError(Exception):
    """A refused call; `retryable` says whether trying later can work (the digest runner reads it)."""

    def __init__(self, code: str, message: str, retryable: bool, retry_after: float = 0.0) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.retryable = retryable
        self.retry_after = retry_after


def make_client(settings: Settings, timeout: float = 10) -> lark.Client:
    return (
        lark.Client.builder()
        .app_id(settings.feishu_app_id or "")
        .app_secret(settings.feishu_app_secret or "")
        .domain(settings.feishu_api_url)
        .timeout(timeout)
        .log_level(lark.LogLevel.WARNING)
        .build()
    )


def request_uuid(key: str) -> str:
    """The idempotency key Feishu keeps for an hour (at most 50 characters): a digest of the outbox key,
    so the same reply sent twice (a crash between sending and marking it sent) is posted once."""
    return hashlib.sha256(key.encode()).hexdigest()[:40]


class OpenApi:
    def __init__(self, client: lark.Client) -> None:
        self.client = client

    def reply(self, message_id: str, card: dict[str, Any], uuid: str, in_thread: bool) -> str:
        """Reply to `message_id` with an interactive card; the new message's id."""
        body = (
            ReplyMessageRequestBody.builder()
            .msg_type("interactive")
            .content(json.dumps(card, ensure_ascii=False))
            .reply_in_thread(in_thread)
            .uuid(uuid)
            .build()
        )
        request = ReplyMessageRequest.builder().message_id(message_id).request_body(body).build()
        return self._message_id(self._call(lambda: self.client.im.v1.message.reply(request), f"reply to {message_id}"))

    def send(self, chat_id: str, msg_type: str, content: dict[str, Any], uuid: str) -> str:
        """A new message in a chat (digests); the new message's id."""
        body = (
            CreateMessageRequestBody.builder()
            .receive_id(chat_id)
            .msg_type(msg_type)
            .content(json.dumps(content, ensure_ascii=False))
            .uuid(uuid)
            .build()
        )
        request = CreateMessageRequest.builder().receive_id_type("chat_id").request_body(body).build()
        return self._message_id(self._call(lambda: self.client.im.v1.message.create(request), f"send to {chat_id}"))

    def bot_open_id(self) -> str:
        """The bot's own open_id (GET /open-apis/bot/v3/info), to tell a mention of the bot from others.
        Also the start-up check that the app id and secret work."""
        request = (
            lark.BaseRequest.builder()
            .http_method(lark.HttpMethod.GET)
            .uri("/open-apis/bot/v3/info")
            .token_types({lark.AccessTokenType.TENANT})
            .build()
        )
        response = self._call(lambda: self.client.request(request), "bot info")
        data = json.loads(response.raw.content or b"{}")
        open_id = (data.get("bot") or {}).get("open_id")
        if not open_id:
            raise FeishuError("no_open_id", "bot/v3/info returned no bot open_id (is the bot capability on?)", False)
        return str(open_id)

    @staticmethod
    def _call(call: Any, what: str) -> Any:
        try:
            response = call()
        except Exception as exc:  # connection refused, timeout, a token the SDK could not obtain, non-JSON
            raise FeishuError("network", f"{what}: {exc!r}"[:300], True) from None
        status = response.raw.status_code if response.raw is not None else 0
        headers = response.raw.headers if response.raw is not None else {}
        if status == 429 or response.code == 99991400:
            wait = header_seconds(headers, RATE_LIMIT_HEADER)
            raise FeishuError("ratelimited", f"{what}: rate limited, reset in {wait:.0f} s", True, wait)
        if status >= 500 or (response.code is not None and response.code != 0):
            code = response.code if response.code is not None else status
            retryable = status >= 500 or code in TRANSIENT_CODES
            raise FeishuError(str(code), f"{what}: {response.msg or status}", retryable)
        return response

    @staticmethod
    def _message_id(response: Any) -> str:
        data = getattr(response, "data", None)
        return str(getattr(data, "message_id", "") or "")


class FeishuSender:
    """The outbox's delivery for Feishu rows: kind "reply" (in the asker's thread) or "send" (to a chat)."""

    def __init__(self, api: OpenApi) -> None:
        self.api = api

    def __call__(self, reply: Outgoing) -> tuple[str | None, str | None]:
        target, message = reply.target, reply.message
        try:
            if reply.kind == "reply":
                sent = self.api.reply(
                    target["message_id"], message["card"], request_uuid(reply.key), bool(target.get("in_thread"))
                )
            else:
                sent = self.api.send(target["channel"], "interactive", message["card"], request_uuid(reply.key))
        except FeishuError as exc:
            if exc.retryable:
                raise Transient(str(exc), exc.retry_after) from None
            raise Undeliverable(str(exc)) from None
        return target.get("channel"), sent or None
