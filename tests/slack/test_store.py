"""The Slack app's tables: exactly-once claims (threads, two instances, two processes), threads,
feedback votes, the unanswered log and stats. On SQLite, and on Postgres when TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.config import normalise_database_url
from bot.db import init_db, make_engine
from bot.slack.store import BotThread, Claim, Feedback, QuestionLog, SlackStore

ROOT = Path(__file__).resolve().parents[2]
SLACK_TABLES = (Claim.__table__, BotThread.__table__, QuestionLog.__table__, Feedback.__table__)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'slack.db'}"
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TEST_POSTGRES_URL is not set (bash .ci/postgres.sh starts a local server)")
    url = normalise_database_url(url)
    engine = make_engine(url)
    for table in SLACK_TABLES:  # only the Slack tables: other features' tables are left alone
        table.drop(engine, checkfirst=True)
    engine.dispose()
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[SlackStore]:
    engine = make_engine(db_url)
    init_db(engine)
    try:
        yield SlackStore(engine)
    finally:
        engine.dispose()


def test_a_key_is_claimed_once(store: SlackStore) -> None:
    assert store.claim(["event:Ev1"])
    assert not store.claim(["event:Ev1"])
    assert store.claim(["event:Ev2"])


def test_claiming_several_keys_is_all_or_nothing(store: SlackStore) -> None:
    assert store.claim(["event:A", "message:C1:1.1"])
    assert not store.claim(["event:B", "message:C1:1.1"])  # same message, another event: refused
    assert store.claim(["event:B"])  # ...and B was not half-claimed


def test_concurrent_claims_from_two_instances_let_exactly_one_through(db_url: str) -> None:
    engines = [make_engine(db_url), make_engine(db_url)]  # two app instances on one database
    init_db(engines[0])
    stores = [SlackStore(engine) for engine in engines]
    keys = [f"event:Ev{i}" for i in range(40)]
    wins: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker(n: int) -> None:
        barrier.wait()
        for key in keys:
            if stores[n % 2].claim([key]):
                with lock:
                    wins.append(key)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert sorted(wins) == sorted(keys)


def test_two_processes_claiming_the_same_events_never_both_win(db_url: str, tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys
        from bot.db import make_engine
        from bot.slack.store import SlackStore, ensure_tables
        engine = make_engine(sys.argv[1])
        ensure_tables(engine)
        store = SlackStore(engine)
        won = [str(i) for i in range(150) if store.claim([f"event:Ev{i}"])]
        print(",".join(won))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-c", script, db_url], stdout=subprocess.PIPE, text=True, env=env)
        for _ in range(2)
    ]
    outputs = [proc.communicate(timeout=60)[0].strip() for proc in procs]
    assert all(proc.returncode == 0 for proc in procs)
    won = [set(filter(None, out.split(","))) for out in outputs]
    assert not (won[0] & won[1])
    assert won[0] | won[1] == {str(i) for i in range(150)}


def test_old_claims_are_pruned(store: SlackStore) -> None:
    long_ago = datetime.now(timezone.utc) - timedelta(days=30)
    assert store.claim(["event:old"], now=long_ago)
    assert store.claim(["event:new"])
    assert store.prune_claims(older_than=timedelta(days=7)) == 1
    assert store.claim(["event:old"]) and not store.claim(["event:new"])


def test_threads_are_remembered(store: SlackStore) -> None:
    assert not store.in_thread("C1", "1.1")
    store.remember_thread("C1", "1.1")
    store.remember_thread("C1", "1.1")  # twice is fine
    assert store.in_thread("C1", "1.1") and not store.in_thread("C2", "1.1")


def test_a_second_click_changes_the_vote(store: SlackStore) -> None:
    store.record_feedback(channel="C1", message_ts="1.1", user="U1", entry_id="e1", vote=1)
    store.record_feedback(channel="C1", message_ts="1.1", user="U1", entry_id="e1", vote=-1)
    store.record_feedback(channel="C1", message_ts="1.1", user="U2", entry_id="e1", vote=-1)
    store.record_feedback(channel="C1", message_ts="2.2", user="U1", entry_id="e2", vote=1)
    stats = store.stats()
    assert (stats.helpful, stats.not_helpful) == (1, 2)
    assert stats.most_downvoted == [("e1", 2)]


def test_unanswered_are_grouped_by_wording_most_frequent_first(store: SlackStore) -> None:
    t0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
    for i, (text, channel) in enumerate(
        [("火星补贴？", "C1"), ("火星补贴", "C2"), ("火星 补贴!", "C1"), ("月球基地", "C1")]
    ):
        store.log_question(
            surface="mention", outcome="refused", channel=channel, user="U1", text=text, at=t0 + timedelta(i)
        )
    store.log_question(surface="mention", outcome="answered", channel="C1", user="U1", entry_id="e1")
    groups = store.unanswered()
    assert [(g.count, g.channels) for g in groups] == [(3, ("C1", "C2")), (1, ("C1",))]
    assert groups[0].text == "火星 补贴!"  # the latest wording
    assert groups[0].first_asked == t0 and groups[0].last_asked == t0 + timedelta(2)
    assert store.unanswered(since=t0 + timedelta(2, seconds=1))[0].text == "月球基地"
    stats = store.stats()
    assert (stats.answered, stats.refused) == (1, 4)
    assert stats.top_unanswered[0].count == 3


def test_answered_questions_keep_no_text(store: SlackStore, db_url: str) -> None:
    store.log_question(surface="dm", outcome="answered", channel="D1", user="U1", entry_id="e1")
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    with Session(store.engine) as session:
        [row] = session.scalars(select(QuestionLog)).all()
    assert row.text is None and row.entry_id == "e1"


def test_forged_long_ids_are_cut_to_the_columns_not_a_database_error(store: SlackStore) -> None:
    """On Postgres a value longer than its column raises DataError; the store cuts them first."""
    long = "X" * 5000
    store.record_feedback(channel=long, message_ts=long, user=long, entry_id=long, vote=1)
    store.log_question(surface="mention", outcome="answered", channel=long, user=long, entry_id=long)
    store.remember_thread(long, long)
    assert not store.in_thread(long, long)  # longer than any real id: never a bot thread
    assert store.stats().helpful == 1
