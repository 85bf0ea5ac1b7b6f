"""Fixtures for the Slack tests: the real app over HTTP against the fake Web API, a tmp SQLite file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.answer import Answer
from bot.engine import Answerer
from tests.support import answers
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


@pytest.fixture(scope="session")
def answered_question(answerer: Answerer) -> tuple[str, Answer]:
    """A question the core answers (an entry's own canonical question)."""
    return answers.own_question(answerer)


@pytest.fixture(scope="session")
def refused_question(answerer: Answerer) -> tuple[str, Answer]:
    """A question the core refuses, with at least one suggestion."""
    return answers.refused_question(answerer)
