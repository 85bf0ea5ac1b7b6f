"""Shared pytest fixtures. Helpers live in tests/support/; import them from there."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tests.support.fake_slack import FakeSlack


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fake Slack Web API on 127.0.0.1; point SLACK_API_URL / base_url at `fake_slack.url`."""
    fake = FakeSlack().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture(autouse=True)
def collector_unfrozen() -> Iterator[None]:
    """A started KnowledgeStore freezes what the process holds (kb/memory.keep_for_good), as a serving
    process should once; a test run starts hundreds, and what each froze goes back to the collector."""
    yield
    gc.unfreeze()
