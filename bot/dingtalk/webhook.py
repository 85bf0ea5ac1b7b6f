"""Replies through a message's sessionWebhook: no token needed, valid for about 90 minutes after the
message, and subject to the robot's per-minute limit in that conversation."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bot.dingtalk.api import DingTalkError, post_json
from bot.dingtalk.ratelimit import RateLimiter

EXPIRY_MARGIN = 5.0  # seconds: a webhook this close to expiry is treated as expired


class WebhookSender:
    """Sends one body to one webhook, or says when to try again (never sleeps: the caller's outbox does)."""

    def __init__(
        self, limiter: RateLimiter | None = None, *, timeout: float = 10, clock: Callable[[], float] = time.time
    ) -> None:
        self.limiter = limiter or RateLimiter()
        self.timeout = timeout
        self.clock = clock

    def expired(self, expires_at: float | None) -> bool:
        return expires_at is not None and self.clock() > expires_at - EXPIRY_MARGIN

    def send(self, url: str, body: dict[str, Any], *, limit_key: str, expires_at: float | None = None) -> None:
        if self.expired(expires_at):
            raise DingTalkError("webhook_expired", "the sessionWebhook has expired", retryable=False)
        wait = self.limiter.try_acquire(limit_key)
        if wait > 0:
            raise DingTalkError("rate_limit", f"{limit_key}: 20 a minute reached", retryable=True, retry_after=wait)
        try:
            post_json(url, body, timeout=self.timeout)
        except DingTalkError as exc:
            if exc.rate_limited:
                self.limiter.pause(limit_key, exc.retry_after)
            raise
