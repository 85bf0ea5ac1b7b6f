"""Fixtures for the DingTalk tests: a fake DingTalk on 127.0.0.1 and settings pointed at it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from bot.config import DingTalkSettings, normalise_database_url
from bot.engine import Answerer
from tests.support.fake_dingtalk import CLIENT_ID, CLIENT_SECRET, FakeDingTalk
from tests.support.kb import shipped_answerer


@pytest.fixture
def fake_dingtalk() -> Iterator[FakeDingTalk]:
    fake = FakeDingTalk().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def dingtalk_settings(fake_dingtalk: FakeDingTalk) -> DingTalkSettings:
    settings = DingTalkSettings.from_env(
        {
            "DINGTALK_CLIENT_ID": CLIENT_ID,
            "DINGTALK_CLIENT_SECRET": CLIENT_SECRET,
            "DINGTALK_OPENAPI_ENDPOINT": fake_dingtalk.url,
            "DINGTALK_DIGEST_GROUPS": "cidDigestGroup01==",
        }
    )
    assert settings is not None
    return settings


@pytest.fixture(scope="session")
def answerer() -> Answerer:
    """The core on the shipped knowledge base (built once)."""
    return shipped_answerer()


def database_urls() -> list:  # type: ignore[type-arg]
    """SQLite (a file under the test's tmp_path: "TMP" is replaced) and, when TEST_POSTGRES_URL is set,
    Postgres; tests there use unique message ids instead of emptying tables others share."""
    postgres = os.environ.get("TEST_POSTGRES_URL")
    return [
        "sqlite:///TMP/bot.db",
        pytest.param(
            normalise_database_url(postgres) if postgres else "",
            marks=pytest.mark.skipif(not postgres, reason="TEST_POSTGRES_URL is not set (bash .ci/postgres.sh)"),
            id="postgres",
        ),
    ]
