"""Fixtures for the Feishu tests: the real app over HTTP against the fake Open API, a tmp SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.answers import own_question, refused_question
from tests.support.fake_feishu import FakeFeishu
from tests.support.feishu_app import RunningFeishu, running_feishu
from tests.support.slack_app import shipped_store


@pytest.fixture
def fake_feishu() -> Iterator[FakeFeishu]:
    fake = FakeFeishu().start()
    yield fake
    fake.stop()


@pytest.fixture
def feishu_app(fake_feishu: FakeFeishu, tmp_path: Path) -> Iterator[RunningFeishu]:
    with running_feishu(fake_feishu, tmp_path / "bot.db") as app:
        yield app


@pytest.fixture(scope="session")
def answered() -> tuple[str, str, str]:
    """(question, entry id, a verbatim quote of its source) for an entry that answers its own question."""
    question, answer = own_question(shipped_store().answerer())
    return question, answer.entry_id or "", answer.sources[0].quote


@pytest.fixture(scope="session")
def refused() -> tuple[str, list[str]]:
    """(question, suggested entry ids) for a question the core refuses with suggestions."""
    question, answer = refused_question(shipped_store().answerer())
    return question, [item.id for item in answer.suggestions]
