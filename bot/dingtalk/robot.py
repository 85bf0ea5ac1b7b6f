"""The robot's OpenAPI: an access token, and group messages (digests) under the per-robot rate limit.

Digests cannot use a sessionWebhook (there is no message to reply to), so they go through
POST /v1.0/robot/groupMessages/send with the app's access token (POST /v1.0/oauth2/accessToken,
valid about two hours, cached until five minutes before it expires).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from bot.config import DingTalkSettings
from bot.dingtalk.api import DingTalkError, post_json
from bot.dingtalk.markdown import truncate
from bot.dingtalk.ratelimit import RateLimiter

TOKEN_MARGIN = 300.0  # seconds before expiry a token is renewed
MSG_PARAM_LIMIT = 15000  # bytes DingTalk accepts in msgParam


class RobotApi:
    def __init__(
        self,
        settings: DingTalkSettings,
        limiter: RateLimiter | None = None,
        *,
        timeout: float = 10,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.limiter = limiter or RateLimiter()
        self.timeout = timeout
        self.clock = clock
        self._token: tuple[str, float] | None = None
        self._token_lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.settings.openapi_endpoint + path

    def access_token(self) -> str:
        with self._token_lock:
            if self._token is not None and self.clock() < self._token[1]:
                return self._token[0]
            answer = post_json(
                self.url("/v1.0/oauth2/accessToken"),
                {"appKey": self.settings.client_id, "appSecret": self.settings.client_secret},
                timeout=self.timeout,
            )
            token = str(answer.get("accessToken") or "") if isinstance(answer, dict) else ""
            if not token:
                raise DingTalkError("no_token", "the access token answer held no accessToken", retryable=True)
            expires_in = float(answer.get("expireIn") or 7200)
            self._token = (token, self.clock() + max(expires_in - TOKEN_MARGIN, 60.0))
            return token

    def call(self, path: str, body: dict[str, Any]) -> Any:
        """An authenticated OpenAPI call; a 401 drops the cached token (the next call fetches a new one)."""
        try:
            return post_json(
                self.url(path), body, headers={"x-acs-dingtalk-access-token": self.access_token()}, timeout=self.timeout
            )
        except DingTalkError as exc:
            if exc.code in ("HTTP 401", "InvalidAuthentication"):
                with self._token_lock:
                    self._token = None
            raise

    def send_group_markdown(
        self, conversation_id: str, title: str, text: str, *, max_wait: float = 600.0, limit_key: str | None = None
    ) -> str:
        """Post markdown to a group as the robot, waiting up to `max_wait` for a slot of the robot's 20 a
        minute (per robot unless `limit_key` says otherwise). Returns DingTalk's processQueryKey."""
        body = {"openConversationId": conversation_id}
        return self._send("/v1.0/robot/groupMessages/send", body, title, text, max_wait, limit_key)

    def send_private_markdown(
        self, user_id: str, title: str, text: str, *, max_wait: float = 0.0, limit_key: str | None = None
    ) -> str:
        """Markdown to one person's 1:1 chat with the robot (userId = the staff id a message carries)."""
        body = {"userIds": [user_id]}
        return self._send("/v1.0/robot/oToMessages/batchSend", body, title, text, max_wait, limit_key)

    def _send(
        self, path: str, body: dict[str, Any], title: str, text: str, max_wait: float, limit_key: str | None
    ) -> str:
        key = limit_key or self.settings.robot_code
        self.access_token()  # before the slot: the slot's time should be the send's time
        wait = self.limiter.wait_for_slot(key, max_wait)
        if wait > 0:
            raise DingTalkError("rate_limit", f"{key}: 20 a minute reached", retryable=True, retry_after=wait)
        param = json.dumps({"title": truncate(title, 40), "text": text}, ensure_ascii=False)
        if len(param.encode("utf-8")) > MSG_PARAM_LIMIT:
            raise DingTalkError("too_long", f"message of {len(param.encode('utf-8'))} bytes", retryable=False)
        body = {"robotCode": self.settings.robot_code, **body, "msgKey": "sampleMarkdown", "msgParam": param}
        try:
            answer = self.call(path, body)
        except DingTalkError as exc:
            if exc.rate_limited:
                self.limiter.pause(key, exc.retry_after)
            raise
        return str(answer.get("processQueryKey") or "") if isinstance(answer, dict) else ""
