"""Fixtures for the digest tests: a ledger on SQLite and (when TEST_POSTGRES_URL is set) Postgres,
a Web API client pointed at the fake Slack, and retry back-off that records instead of sleeping."""

from __future__ import annotations

import os
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry import builtin_handlers, handler

from bot.config import Settings, normalise_database_url
from bot.db import make_engine
from bot.schedule.ledger import DoneOccurrence, Ledger, SentReminder
from bot.slack.client import make_web_client
from tests.schedule.helpers import Clock
from tests.support.fake_slack import FakeSlack

POSTGRES_SKIP = "TEST_POSTGRES_URL is not set (bash .ci/postgres.sh starts a local server and writes it)"


def postgres_url() -> str | None:
    url = os.environ.get("TEST_POSTGRES_URL")
    return normalise_database_url(url) if url else None


def fresh_postgres(url: str) -> None:
    """Drop the digest tables so each test starts empty (other features' tables are left alone)."""
    engine = make_engine(url)
    try:
        for table in (SentReminder.__table__, DoneOccurrence.__table__):
            table.drop(engine, checkfirst=True)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The ledger's database: a fresh SQLite file, and the same tests again on Postgres."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    url = postgres_url()
    if url is None:
        pytest.skip(POSTGRES_SKIP)
    fresh_postgres(url)
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ledger(db_url: str, clock: Clock) -> Iterator[Ledger]:
    engine = make_engine(db_url)
    ledger = Ledger(engine, lease_seconds=600, clock=clock)
    ledger.ensure_tables()
    try:
        yield ledger
    finally:
        engine.dispose()


@pytest.fixture
def retry_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The Web API client's retry waits, recorded instead of slept (controlled time)."""
    slept: list[float] = []
    fake_time = SimpleNamespace(sleep=slept.append)
    monkeypatch.setattr(builtin_handlers, "time", fake_time)
    monkeypatch.setattr(handler, "time", fake_time)
    return slept


@pytest.fixture
def slack_client(fake_slack: FakeSlack, retry_sleeps: list[float]) -> WebClient:
    return make_web_client(Settings(slack_bot_token="xoxb-test", slack_api_url=fake_slack.url))
