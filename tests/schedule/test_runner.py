"""Posting digests through the fake Web API: exactly once, crash recovery, 429/5xx, channel errors."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.schedule.deadlines_file import DeadlineStore
from bot.schedule.ledger import Claim, Ledger
from bot.schedule.runner import DigestRunner
from bot.schedule.settings import DigestSettings
from tests.schedule.helpers import SEEDS, Clock, at, deadline, write_deadlines
from tests.support.fake_slack import FakeSlack

SETTINGS = DigestSettings(default_channel="C0DEFAULT", channels={"arrears": "C0ARREARS"})
NOW = at("2020-06-20T09:00")


class Crash(BaseException):
    """A process dying at a chosen point (not an Exception: nothing in the runner may catch it)."""


@pytest.fixture
def deadlines_path(tmp_path: Path) -> Path:
    return write_deadlines(
        tmp_path / "deadlines.yaml",
        deadline("alpha", "{once: 2020-06-30}"),
        deadline("beta", "{once: 2020-06-27}", channels="[arrears]"),
        deadline("gamma", "{once: 2020-06-21}", channels="[default, arrears]"),
    )


def make_runner(path: Path, ledger: Ledger, client: WebClient, **kwargs: Any) -> DigestRunner:
    return DigestRunner(SETTINGS, DeadlineStore(path, SEEDS), ledger, client, admins=frozenset({"UADMIN1"}), **kwargs)


def posted(fake: FakeSlack, channel: str | None = None) -> list[dict[str, Any]]:
    return [
        call.body
        for call in fake.calls_to("chat.postMessage", ok_only=True)
        if channel is None or call.body["channel"] == channel
    ]


def item_ids(body: dict[str, Any]) -> list[str]:
    return [block["block_id"].split(":")[1] for block in body["blocks"] if block.get("block_id")]


def test_a_run_posts_one_message_per_channel(
    deadlines_path: Path, ledger: Ledger, slack_client: WebClient, fake_slack: FakeSlack
) -> None:
    report = make_runner(deadlines_path, ledger, slack_client).run(NOW)
    assert report.ok and len(report.posted) == 2
    assert report.to_json() == [
        {
            "channel": "C0ARREARS",
            "items": [
                {"id": "gamma", "title": "gamma title", "due": "2020-06-21", "days_left": 1, "status": "upcoming"},
                {"id": "beta", "title": "beta title", "due": "2020-06-27", "days_left": 7, "status": "upcoming"},
            ],
        },
        {
            "channel": "C0DEFAULT",
            "items": [
                {"id": "gamma", "title": "gamma title", "due": "2020-06-21", "days_left": 1, "status": "upcoming"},
                {"id": "alpha", "title": "alpha title", "due": "2020-06-30", "days_left": 10, "status": "upcoming"},
            ],
        },
    ]
    [arrears] = posted(fake_slack, "C0ARREARS")
    assert item_ids(arrears) == ["gamma", "beta"]
    assert arrears["metadata"]["event_payload"]["keys"] == [
        "gamma|2020-06-21|1|C0ARREARS",
        "beta|2020-06-27|7|C0ARREARS",
    ]
    assert "截止事项提醒" in arrears["text"]
    assert {row["status"] for row in ledger.rows()} == {"sent"}


def test_running_twice_for_the_same_moment_posts_once(
    deadlines_path: Path, ledger: Ledger, slack_client: WebClient, fake_slack: FakeSlack
) -> None:
    runner = make_runner(deadlines_path, ledger, slack_client)
    runner.run(NOW)
    second = runner.run(NOW)
    assert second.posted == [] and second.skipped == 4
    assert len(posted(fake_slack)) == 2
    # A later run the same day (a restart, a second instance) finds nothing new either.
    assert make_runner(deadlines_path, ledger, slack_client).run(at("2020-06-20T17:00")).posted == []
    assert len(posted(fake_slack)) == 2


def test_the_next_reminder_point_is_posted_once_more(
    deadlines_path: Path, ledger: Ledger, slack_client: WebClient, fake_slack: FakeSlack
) -> None:
    runner = make_runner(deadlines_path, ledger, slack_client)
    runner.run(NOW)
    report = runner.run(at("2020-06-23T09:00"))  # alpha reaches its 7-day point; gamma is 2 days overdue
    assert [(r.channel, [i.id for i in r.items]) for r in report.posted] == [
        ("C0ARREARS", ["gamma"]),
        ("C0DEFAULT", ["gamma", "alpha"]),
    ]


def test_a_crash_between_claim_and_post_is_retried_after_the_lease_not_lost_nor_doubled(
    deadlines_path: Path, ledger: Ledger, clock: Clock, slack_client: WebClient, fake_slack: FakeSlack
) -> None:
    def die(_claims: list[Claim]) -> None:
        raise Crash

    with pytest.raises(Crash):  # dies holding the claims of its first message (C0ARREARS)
        make_runner(deadlines_path, ledger, slack_client, before_post=die).run(NOW)
    assert posted(fake_slack) == []
    assert {(row["channel"], row["status"]) for row in ledger.rows()} == {("C0ARREARS", "claimed")}

    clock.advance(60)  # within the lease (600 s) the dead claim still blocks; other channels go out
    early = make_runner(deadlines_path, ledger, slack_client).run(NOW)
    assert [result.channel for result in early.posted] == ["C0DEFAULT"] and early.skipped == 2

    clock.advance(600)
    recovered = make_runner(deadlines_path, ledger, slack_client).run(NOW)
    assert [(r.channel, [i.id for i in r.items]) for r in recovered.posted] == [("C0ARREARS", ["gamma", "beta"])]
    assert make_runner(deadlines_path, ledger, slack_client).run(NOW).posted == []
    assert sorted(body["channel"] for body in posted(fake_slack)) == ["C0ARREARS", "C0DEFAULT"]


def test_a_crash_after_the_post_is_found_in_the_history_and_not_posted_again(
    deadlines_path: Path, ledger: Ledger, clock: Clock, slack_client: WebClient, fake_slack: FakeSlack
) -> None:
    def history(call: Any) -> dict[str, Any]:
        messages = [
            {"ts": c.reply["ts"], "text": c.body["text"], "metadata": c.body.get("metadata")}
            for c in fake_slack.calls_to("chat.postMessage", ok_only=True)
            if c.body["channel"] == call.body["channel"]
        ]
        return {"messages": messages, "has_more": False}

    fake_slack.on("conversations.history", history)

    def die(_claims: list[Claim]) -> None:
        raise Crash

    with pytest.raises(Crash):  # dies after Slack accepted the first message, before marking it
        make_runner(deadlines_path, ledger, slack_client, after_post=die).run(NOW)
    assert len(posted(fake_slack)) == 1

    clock.advance(700)
    report = make_runner(deadlines_path, ledger, slack_client).run(NOW)
    assert report.recovered == 2  # the two reminders of the message that did go out
    assert [result.channel for result in report.posted] == ["C0DEFAULT"]
    assert sorted(body["channel"] for body in posted(fake_slack)) == ["C0ARREARS", "C0DEFAULT"]
    assert {row["status"] for row in ledger.rows()} == {"sent"}


def test_a_429_then_success_posts_once_after_retry_after(
    deadlines_path: Path,
    ledger: Ledger,
    slack_client: WebClient,
    fake_slack: FakeSlack,
    retry_sleeps: list[float],
) -> None:
    fake_slack.rate_limit("chat.postMessage", retry_after=3)
    report = make_runner(deadlines_path, ledger, slack_client).run(NOW)
    assert report.ok and len(report.posted) == 2
    statuses = [call.status for call in fake_slack.calls_to("chat.postMessage")]
    assert statuses == [429, 200, 200]
    assert len(retry_sleeps) == 1 and 3 <= retry_sleeps[0] < 4  # Retry-After honoured, not slept
    assert len(posted(fake_slack)) == 2


def test_slack_down_releases_the_claims_and_a_later_run_sends_them(
    deadlines_path: Path,
    ledger: Ledger,
    slack_client: WebClient,
    fake_slack: FakeSlack,
    retry_sleeps: list[float],
) -> None:
    fake_slack.fail("chat.postMessage", status=503, times=8)  # the client's 3 retries per call run out
    report = make_runner(deadlines_path, ledger, slack_client).run(NOW)
    assert report.retry_needed and report.posted == []
    assert ledger.rows() == []  # released: nothing is stuck as claimed
    assert len(retry_sleeps) == 6
    later = make_runner(deadlines_path, ledger, slack_client).run(at("2020-06-20T09:10"))
    assert later.ok and sum(len(result.items) for result in later.posted) == 4


def test_a_missing_channel_is_reported_to_admins_and_other_channels_still_get_theirs(
    deadlines_path: Path,
    ledger: Ledger,
    slack_client: WebClient,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_slack.error("chat.postMessage", "channel_not_found")  # the first post (C0ARREARS) fails
    with caplog.at_level(logging.ERROR, logger="bot.schedule.runner"):
        report = make_runner(deadlines_path, ledger, slack_client).run(NOW)
    assert [(result.channel, result.error, result.retryable) for result in report.failed] == [
        ("C0ARREARS", "channel_not_found", False)
    ]
    assert [result.channel for result in report.posted] == ["C0DEFAULT"]
    assert "C0ARREARS" in caplog.text and "channel_not_found" in caplog.text
    [to_admin] = posted(fake_slack, "UADMIN1")
    assert "C0ARREARS" in to_admin["text"] and "BOT_DIGEST_CHANNEL_ARREARS" in to_admin["text"]
    # Nothing was lost: once the bot is in the channel, the next run delivers it.
    retry = make_runner(deadlines_path, ledger, slack_client).run(at("2020-06-20T10:00"))
    assert [result.channel for result in retry.posted] == ["C0ARREARS"]


def test_an_edit_to_the_deadlines_file_takes_effect_at_the_next_run(
    deadlines_path: Path, ledger: Ledger, slack_client: WebClient, fake_slack: FakeSlack
) -> None:
    runner = make_runner(deadlines_path, ledger, slack_client)
    runner.run(NOW)
    write_deadlines(deadlines_path, deadline("delta", "{once: 2020-06-25}"))
    stat = deadlines_path.stat()
    os.utime(deadlines_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    report = runner.run(NOW)
    assert [item.id for result in report.posted for item in result.items] == ["delta"]

    deadlines_path.write_text("deadlines: [oops", encoding="utf-8")  # invalid: keep the last good
    os.utime(deadlines_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000))
    report = runner.run(at("2020-06-24T09:00"))
    assert report.deadline_errors and [i.id for r in report.posted for i in r.items] == ["delta"]
