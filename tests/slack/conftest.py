"""Fixtures for the Slack tests: the real app over HTTP against the fake Web API, a tmp SQLite file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.engine import Answerer
from tests.support.fake_slack import FakeSlack
from tests.support.slack_app import RunningApp, running_app, shipped_store


@pytest.fixture
def slack_app(fake_slack: FakeSlack, tmp_path) -> Iterator[RunningApp]:  # type: ignore[no-untyped-def]
    with running_app(fake_slack, tmp_path / "bot.db") as app:
        fake_slack.reset()  # forget the auth.test made at start-up
        yield app


@pytest.fixture(scope="session")
def answerer() -> Answerer:
    """The core on the shipped knowledge base: tests compute what the Slack app should say from it."""
    return shipped_store().answerer()
