"""A database the Slack-only version created keeps working: its rows become Slack's, and the tables take
other platforms' rows (longer ids included). On SQLite, and on Postgres when TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    text,
)

from bot.chat.migrate import TABLES, upgrade
from bot.chat.store import ChatStore, Outgoing, ensure_tables
from bot.config import normalise_database_url
from bot.db import make_engine

# The tables as the Slack-only version created them (no platform column, 32-character ids).
OLD = MetaData()
Table("slack_claims", OLD, Column("key", String(255), primary_key=True), Column("claimed_at", DateTime(True)))
Table(
    "slack_threads",
    OLD,
    Column("channel", String(32), primary_key=True),
    Column("thread_ts", String(32), primary_key=True),
    Column("created_at", DateTime(True)),
)
Table(
    "slack_questions",
    OLD,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("asked_at", DateTime(True)),
    Column("surface", String(16)),
    Column("channel", String(32)),
    Column("user", String(32)),
    Column("outcome", String(16)),
    Column("entry_id", String(128)),
    Column("score", Float),
    Column("text", Text),
    Column("norm", String(500)),
)
Table(
    "slack_feedback",
    OLD,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", String(32)),
    Column("message_ts", String(32)),
    Column("user", String(32)),
    Column("entry_id", String(128)),
    Column("vote", Integer),
    Column("created_at", DateTime(True)),
    Column("updated_at", DateTime(True)),
    UniqueConstraint("channel", "message_ts", "user", name="uq_slack_feedback_vote"),
)
Table(
    "slack_outbox",
    OLD,
    Column("key", String(255), primary_key=True),
    Column("status", String(16)),
    Column("request", Text),
    Column("kind", String(16)),
    Column("target", Text),
    Column("message", Text),
    Column("notice", Boolean),
    Column("attempts", Integer),
    Column("next_attempt_at", DateTime(True)),
    Column("lease_until", DateTime(True)),
    Column("error", String(255)),
    Column("sent_channel", String(32)),
    Column("sent_ts", String(32)),
    Column("entry_id", String(128)),
    Column("created_at", DateTime(True)),
    Column("updated_at", DateTime(True)),
)
FEISHU_CHAT = "oc_" + "a" * 32
FEISHU_MESSAGE = "om_" + "b" * 32


@pytest.fixture(params=["sqlite", "postgres"])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    else:
        url = os.environ.get("TEST_POSTGRES_URL")
        if not url:
            pytest.skip("TEST_POSTGRES_URL is not set (bash .ci/postgres.sh starts a local server)")
        engine = make_engine(normalise_database_url(url))
        with engine.begin() as connection:
            for table in TABLES:
                connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
    OLD.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO slack_outbox (key, status, kind, target, message, notice, attempts, next_attempt_at,"
                " created_at, updated_at) VALUES ('event:EvOLD', 'pending', 'post', '{\"channel\": \"C0OLD\"}',"
                " '{\"text\": \"old\"}', false, 0, '2020-01-01 00:00:00', '2020-01-01 00:00:00',"
                " '2020-01-01 00:00:00')"
            )
        )
        connection.execute(text("INSERT INTO slack_claims (key, claimed_at) VALUES ('event:EvOLD', '2020-01-01')"))
    try:
        yield engine
    finally:
        if request.param == "postgres":
            with engine.begin() as connection:
                for table in TABLES:
                    connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
        engine.dispose()


def test_an_old_database_is_upgraded_and_its_rows_stay_slacks(old_database: Engine) -> None:
    ensure_tables(old_database)
    for table in TABLES:
        assert "platform" in {column["name"] for column in inspect(old_database).get_columns(table)}, table
    store = ChatStore(old_database)
    assert store.due(platforms=["slack"]) == ["event:EvOLD"]
    assert store.due(platforms=["feishu"]) == []
    assert not store.claim(["event:EvOLD"])  # the old claim still stops a redelivery


def test_an_upgraded_database_takes_other_platforms_rows_with_their_longer_ids(old_database: Engine) -> None:
    ensure_tables(old_database)
    store = ChatStore(old_database)
    key = f"feishu:message:{FEISHU_MESSAGE}"
    assert store.receive([], key, {"text": "问题"}, lease=60, platform="feishu")
    assert not store.receive([], key, {"text": "问题"}, lease=60, platform="feishu")
    store.remember_thread(FEISHU_CHAT, FEISHU_MESSAGE, "feishu")
    assert store.in_thread(FEISHU_CHAT, FEISHU_MESSAGE)
    store.note_thread_answer(FEISHU_CHAT, FEISHU_MESSAGE, "天津再贷款利率多少", "tj-relending")  # added columns
    assert store.thread_answer(FEISHU_CHAT, FEISHU_MESSAGE) == ("天津再贷款利率多少", "tj-relending")
    store.record_feedback(
        channel=FEISHU_CHAT, message_ts=FEISHU_MESSAGE, user="ou_" + "c" * 32, entry_id="e", vote=-1, platform="feishu"
    )
    assert store.stats().not_helpful == 1
    reply = Outgoing("feishu:card:1", "reply", {"message_id": FEISHU_MESSAGE}, {"card": {}}, platform="feishu")
    assert store.add_replies([reply], lease=None)
    assert store.due(platforms=["feishu"]) == ["feishu:card:1"]
    store.delivered("feishu:card:1", FEISHU_CHAT, FEISHU_MESSAGE)
    assert store.sent_answer(FEISHU_MESSAGE) == (None,)


def test_upgrading_twice_changes_nothing_the_second_time(old_database: Engine) -> None:
    assert upgrade(old_database)
    assert upgrade(old_database) == []
