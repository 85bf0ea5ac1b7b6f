"""The real Slack app on 127.0.0.1 for end-to-end tests: the same runtime `python -m bot serve` builds,
served by the same threaded WSGI server, talking to a FakeSlack Web API."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.kb.store import KnowledgeStore
from bot.slack.outbox import Timing
from bot.slack.server import Runtime, create_runtime, make_http_server
from tests.support.fake_slack import FakeSlack
from tests.support.slack_requests import BOT_TOKEN, SIGNING_SECRET, SlackSender

ADMIN = "U0ADMIN001"
# The outbox's timing for tests: retries after 0.2 s instead of 2 s, leases of 6 s instead of 60 s.
FAST = Timing(lease=6.0, first_retry=0.2, max_retry=1.0, poll=0.1, attempt_timeout=3)


@functools.lru_cache(maxsize=1)
def shipped_store() -> KnowledgeStore:
    """The shipped knowledge base, loaded once per test session (about a second)."""
    settings = Settings()
    return KnowledgeStore(settings.kb_dir, settings.seeds_dir)


def settings_for(fake: FakeSlack, database: Path, **overrides: Any) -> Settings:
    base = Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.url,
        database_url=f"sqlite:///{database}",
        bot_admins=frozenset({ADMIN}),
    )
    return replace(base, **overrides)


@dataclass
class RunningApp:
    runtime: Runtime
    fake: FakeSlack
    url: str
    sender: SlackSender

    @property
    def policy(self):  # type: ignore[no-untyped-def]
        return self.runtime.policy

    @property
    def store(self) -> KnowledgeStore:
        return self.runtime.store


@contextmanager
def running_app(
    fake: FakeSlack, database: Path, store: KnowledgeStore | None = None, **overrides: Any
) -> Iterator[RunningApp]:
    timing = overrides.pop("timing", FAST)
    work = overrides.pop("work", None)
    settings = settings_for(fake, database, **overrides)
    runtime = create_runtime(settings, store or shipped_store(), timing=timing, work=work)
    server = make_http_server(runtime.wsgi_app(), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield RunningApp(runtime, fake, url, SlackSender(url))
    finally:
        server.shutdown()
        server.server_close()
        runtime.close()
