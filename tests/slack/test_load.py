"""Load: 500 @mentions at concurrency 20 over real HTTP (plus 50 retries of some of them) get exactly
500 answers, one per thread, no duplicates, no errors."""

from __future__ import annotations

import logging
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.engine import Answerer
from tests.support import slack_requests as sr
from tests.support.fake_slack import FakeSlack
from tests.support.slack_app import RunningApp

EVENTS = 500
CONCURRENCY = 20


def test_500_mentions_at_concurrency_20(
    slack_app: RunningApp, fake_slack: FakeSlack, answerer: Answerer, caplog: pytest.LogCaptureFixture
) -> None:
    questions = [entry.question for entry in answerer.kb.entries]
    payloads = [
        sr.app_mention(questions[i % len(questions)], channel=f"C0LOAD{i % 7:04d}", ts=f"1720000000.{i:06d}")
        for i in range(EVENTS)
    ]
    retries = [(payload, 1) for payload in payloads[::10]]  # Slack retrying every tenth event
    jobs = [(payload, None) for payload in payloads] + retries

    started = time.monotonic()
    with caplog.at_level(logging.ERROR), ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        statuses = list(pool.map(lambda job: slack_app.sender.event(job[0], retry_num=job[1]).status, jobs))
        fake_slack.wait_for("chat.postMessage", count=EVENTS, timeout=60)
    elapsed = time.monotonic() - started
    fake_slack.assert_quiet("chat.postMessage", within=0.5)

    assert Counter(statuses) == {200: len(jobs)}
    posted = fake_slack.calls_to("chat.postMessage")
    assert len(posted) == EVENTS and all(call.ok for call in posted)
    threads = Counter((call.body["channel"], call.body["thread_ts"]) for call in posted)
    assert max(threads.values()) == 1, "an event was answered twice"
    assert set(threads) == {(p["event"]["channel"], p["event"]["ts"]) for p in payloads}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    print(
        f"\n{EVENTS} mentions (+{len(retries)} retries) at concurrency {CONCURRENCY}: {elapsed:.1f}s, "
        f"{EVENTS / elapsed:.0f} events/s"
    )
