"""Fixtures for the Feishu tests: the real app over HTTP against the fake Open API, a tmp SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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
    answerer = shipped_store().answerer()
    for entry in answerer.kb.entries:
        answer = answerer.ask(entry.question)
        if answer.matched and answer.entry_id == entry.id and answer.sources:
            return entry.question, entry.id, answer.sources[0].quote
    raise AssertionError("no entry answers its own question")


@pytest.fixture(scope="session")
def refused() -> tuple[str, list[str]]:
    """(question, suggested entry ids) for a question the core refuses with suggestions."""
    answerer = shipped_store().answerer()
    for question in ["火星移民签证怎么办理", "明天北京下雨吗", "怎么申请去南极科考的补贴", "足球世界杯冠军是谁"]:
        answer = answerer.ask(question)
        if not answer.matched and answer.suggestions:
            return question, [item.id for item in answer.suggestions]
    raise AssertionError("no question is refused with suggestions")
