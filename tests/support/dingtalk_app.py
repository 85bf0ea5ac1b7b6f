"""The real DingTalk side of `serve` for end-to-end tests: the SDK's Stream client connected to a
FakeDingTalk, answering from the shipped knowledge base, with its claims in a real database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot.config import DingTalkSettings, Settings
from bot.db import make_engine
from bot.dingtalk.app import DingTalkRuntime, create_runtime
from bot.dingtalk.ratelimit import RateLimiter
from bot.dingtalk.service import Retry
from tests.support.fake_dingtalk import FakeDingTalk
from tests.support.slack_app import shipped_store

FAST = Retry(first=0.1, most=0.5, max_attempts=5)
# Tests of the rate limit shrink DingTalk's minute to a second (FakeDingTalk(window=1.0)). The bot keeps
# 2 s over DingTalk's minute for the time a request takes to arrive; on a busy test machine that time
# varies by tens of milliseconds, so the shrunk window keeps half a second, not 2/60 of one.
SHRUNK_WINDOW = 1.5


def dingtalk_settings_for(fake: FakeDingTalk, **env: str) -> DingTalkSettings:
    settings = DingTalkSettings.from_env(
        {
            "DINGTALK_CLIENT_ID": fake.client_id,
            "DINGTALK_CLIENT_SECRET": fake.client_secret,
            "DINGTALK_OPENAPI_ENDPOINT": fake.url,
            **env,
        }
    )
    assert settings is not None
    return settings


@contextmanager
def running_dingtalk(
    fake: FakeDingTalk, database_url: str, connections: int = 1, limiter: RateLimiter | None = None
) -> Iterator[DingTalkRuntime]:
    """One bot instance connected to `fake` (waits until the fake has `connections` clients in all)."""
    settings = Settings(database_url=database_url)
    engine = make_engine(database_url)
    dingtalk = dingtalk_settings_for(fake)
    runtime = create_runtime(settings, dingtalk, shipped_store(), engine, retry=FAST, limiter=limiter).start()
    try:
        fake.wait_connected(connections)
        yield runtime
    finally:
        runtime.stop()
        engine.dispose()
