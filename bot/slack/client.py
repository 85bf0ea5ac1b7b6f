"""The Slack Web API client, shared by the app and the digests, with retries for 429/5xx/network."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings

MAX_RETRIES = 3


class AnyServerErrorRetryHandler(ServerErrorRetryHandler):
    """slack_sdk's handler retries only 500 and 503; a 502 or 504 from a proxy is as transient."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:  # type: ignore[no-untyped-def]
        return response is not None and 500 <= response.status_code <= 599


def retry_handlers() -> list:
    """429 honours Retry-After; 5xx and connection errors back off exponentially."""
    return [
        ConnectionErrorRetryHandler(max_retry_count=MAX_RETRIES),
        RateLimitErrorRetryHandler(max_retry_count=MAX_RETRIES),
        AnyServerErrorRetryHandler(max_retry_count=MAX_RETRIES),
    ]


def make_web_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient pointed at `SLACK_API_URL` (tests point it at a local fake)."""
    return WebClient(
        token=token or settings.slack_bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=retry_handlers(),
    )
