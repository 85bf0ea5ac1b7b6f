"""Shared pytest fixtures. Helpers live in tests/support/; import them from there."""

from __future__ import annotations

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
