"""The real DingTalk side of `serve` for end-to-end tests: the SDK's Stream client connected to a
FakeDingTalk, on the shared chat core (claims, outbox) in a real database, answering from the shipped
knowledge base."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot.chat.core import ChatCore
from bot.chat.store import ChatStore, ensure_tables
from bot.chat.work import WorkQueue
from bot.config import DingTalkSettings, Settings
from bot.db import make_engine
from bot.dingtalk.app import DingTalkRuntime, create_runtime
from bot.dingtalk.ratelimit import RateLimiter
from tests.support.fake_dingtalk import FakeDingTalk
from tests.support.slack_app import FAST, shipped_store

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
    fake: FakeDingTalk,
    database_url: str,
    connections: int = 1,
    limiter: RateLimiter | None = None,
    work: WorkQueue | None = None,
    **env: str,
) -> Iterator[DingTalkRuntime]:
    """One bot instance (its own core, as a process has) connected to `fake`; waits until the fake has
    `connections` clients in all."""
    engine = make_engine(database_url)
    ensure_tables(engine)
    core = ChatCore(Settings(database_url=database_url), shipped_store(), ChatStore(engine), timing=FAST, work=work)
    runtime = create_runtime(dingtalk_settings_for(fake, **env), core, limiter=limiter).start()
    core.outbox.start()
    try:
        fake.wait_connected(connections)
        yield runtime
    finally:
        runtime.stop()
        core.close()
        engine.dispose()
