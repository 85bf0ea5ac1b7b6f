"""Exactly once and robust: retries, duplicate deliveries, two instances and Socket Mode never answer
twice; 429 and 5xx from the Web API still deliver; a failure is logged with the event id and the app
keeps answering."""

from __future__ import annotations

import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from slack_bolt.request import BoltRequest

from bot.answer import Answer
from tests.support import slack_requests as sr
from tests.support.fake_slack import FakeSlack
from tests.support.slack_app import RunningApp, running_app


def test_retry_with_x_slack_retry_num_yields_one_answer(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    payload = sr.app_mention(answered_question[0])
    assert slack_app.sender.event(payload).status == 200
    assert slack_app.sender.event(payload, retry_num=1).status == 200
    assert slack_app.sender.event(payload, retry_num=2).status == 200
    fake_slack.wait_for("chat.postMessage")
    fake_slack.assert_quiet("chat.postMessage", within=0.5)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_retry_arriving_while_the_first_is_still_being_answered_yields_one_answer(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    payload = sr.app_mention(answered_question[0])
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda n: slack_app.sender.event(payload, retry_num=n or None), range(8)))
    assert all(result.status == 200 for result in results)
    fake_slack.wait_for("chat.postMessage")
    fake_slack.assert_quiet("chat.postMessage", within=0.5)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_retry_after_a_restart_is_not_answered_again(
    fake_slack: FakeSlack, tmp_path: Path, answered_question: tuple[str, Answer]
) -> None:
    payload = sr.app_mention(answered_question[0])
    with running_app(fake_slack, tmp_path / "bot.db") as app:
        app.sender.event(payload)
        fake_slack.wait_for("chat.postMessage")
    with running_app(fake_slack, tmp_path / "bot.db") as app:
        app.sender.event(payload, retry_num=1)
        fake_slack.assert_quiet("chat.postMessage", within=0.5)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_two_instances_on_one_database_answer_an_event_once(
    fake_slack: FakeSlack, tmp_path: Path, answered_question: tuple[str, Answer]
) -> None:
    with running_app(fake_slack, tmp_path / "bot.db") as first, running_app(fake_slack, tmp_path / "bot.db") as second:
        payloads = [sr.app_mention(answered_question[0]) for _ in range(10)]
        jobs = [(app, payload) for payload in payloads for app in (first, second)]
        with ThreadPoolExecutor(max_workers=10) as pool:
            list(pool.map(lambda job: job[0].sender.event(job[1]), jobs))
        calls = fake_slack.wait_for("chat.postMessage", count=10)
        fake_slack.assert_quiet("chat.postMessage", within=0.5)
    threads = [call.body["thread_ts"] for call in fake_slack.calls_to("chat.postMessage")]
    assert sorted(threads) == sorted(p["event"]["ts"] for p in payloads)
    assert len(calls) == 10


def test_socket_mode_redelivery_is_answered_once(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    """Socket Mode delivers the same envelope payload again when an ack is late; same event_id."""
    payload = sr.app_mention(answered_question[0])
    for _ in range(2):
        response = slack_app.runtime.app.dispatch(BoltRequest(body=json.dumps(payload), mode="socket_mode"))
        assert response.status == 200
    fake_slack.wait_for("chat.postMessage")
    fake_slack.assert_quiet("chat.postMessage", within=0.5)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_rate_limited_answer_is_delivered_after_retry_after(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    fake_slack.rate_limit("chat.postMessage", retry_after=1)
    slack_app.sender.event(sr.app_mention(answered_question[0]))
    [delivered] = fake_slack.wait_for("chat.postMessage", timeout=10)
    attempts = fake_slack.calls_to("chat.postMessage")
    assert [c.status for c in attempts] == [429, 200]
    assert delivered.at - attempts[0].at >= 0.9  # Retry-After honoured


def test_server_errors_are_retried_until_delivered(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    fake_slack.fail("chat.postMessage", status=500)
    fake_slack.fail("chat.postMessage", status=503)
    slack_app.sender.event(sr.app_mention(answered_question[0]))
    fake_slack.wait_for("chat.postMessage", timeout=15)
    assert [c.status for c in fake_slack.calls_to("chat.postMessage")] == [500, 503, 200]


def test_a_failed_post_is_logged_with_the_event_id_and_the_app_keeps_answering(
    slack_app: RunningApp,
    fake_slack: FakeSlack,
    answered_question: tuple[str, Answer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_slack.error("chat.postMessage", "channel_not_found")
    failing = sr.app_mention(answered_question[0], channel="C0GONE0001")
    with caplog.at_level(logging.ERROR):
        slack_app.sender.event(failing)
        fake_slack.wait_for("chat.postMessage", ok_only=False)
        ok = sr.app_mention(answered_question[0])
        slack_app.sender.event(ok)
        [delivered] = fake_slack.wait_for("chat.postMessage")
        assert delivered.body["channel"] == ok["event"]["channel"]

        def failure_logged() -> bool:
            return any(
                failing["event_id"] in r.getMessage() and "channel_not_found" in r.getMessage() for r in caplog.records
            )

        # the failing post's listener logs after the fake answered it, on its own thread
        deadline = time.monotonic() + 5
        while not failure_logged() and time.monotonic() < deadline:
            time.sleep(0.02)
    assert failure_logged()
    # the bot never got into that thread, so it does not treat replies there as follow-ups
    assert not slack_app.runtime.db.in_thread("C0GONE0001", failing["event"]["ts"])


def test_an_exception_inside_a_listener_is_logged_and_the_app_keeps_answering(
    slack_app: RunningApp,
    fake_slack: FakeSlack,
    answered_question: tuple[str, Answer],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    policy = slack_app.policy
    original = policy.reply
    calls = {"n": 0}

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom")
        return original(*args, **kwargs)

    monkeypatch.setattr(policy, "reply", flaky)
    with caplog.at_level(logging.ERROR):
        first = sr.app_mention(answered_question[0])
        assert slack_app.sender.event(first).status == 200
        slack_app.sender.event(sr.app_mention(answered_question[0]))
        fake_slack.wait_for("chat.postMessage")
    assert any(first["event_id"] in r.getMessage() and "boom" in r.getMessage() for r in caplog.records)
