"""Digests to DingTalk groups: the robot API, the shared exactly-once ledger, DingTalk's rate limit."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path

import pytest

from bot.config import DingTalkSettings
from bot.db import make_engine
from bot.dingtalk.digest import DingTalkDigestRunner, group_channel
from bot.dingtalk.digest_client import DingTalkDigestClient
from bot.dingtalk.ratelimit import RateLimiter
from bot.dingtalk.robot import RobotApi
from bot.schedule.clients import RoutingClient
from bot.schedule.deadlines_file import DeadlineStore
from bot.schedule.digest import due_reminders
from bot.schedule.ledger import Ledger
from bot.schedule.runner import DigestRunner
from bot.schedule.settings import DigestSettings
from tests.dingtalk.conftest import database_urls
from tests.schedule.helpers import SEEDS, at, deadline, load, write_deadlines
from tests.support.dingtalk_app import dingtalk_settings_for
from tests.support.fake_dingtalk import FakeDingTalk

NOW = at("2020-06-20T09:00")


@pytest.fixture
def deadlines_path(tmp_path: Path) -> Path:
    return write_deadlines(
        tmp_path / "deadlines.yaml",
        deadline("alpha", "{once: 2020-06-30}"),
        deadline("beta", "{once: 2020-06-27}", channels="[arrears]"),
        deadline("gamma", "{once: 2020-06-21}", channels="[default, arrears]"),
    )


@pytest.fixture(params=database_urls())
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Ledger:
    url = request.param.replace("TMP", str(tmp_path))
    ledger = Ledger(make_engine(url))
    ledger.ensure_tables()
    return ledger


def groups(fake: FakeDingTalk) -> tuple[DingTalkSettings, str, str]:
    """Settings with two groups unique to this test (the Postgres ledger is shared, never emptied)."""
    default, arrears = (f"cid{uuid.uuid4().hex[:16]}==" for _ in range(2))
    return (
        dingtalk_settings_for(fake, DINGTALK_DIGEST_GROUPS=default, DINGTALK_DIGEST_GROUPS_ARREARS=arrears),
        default,
        arrears,
    )


def runner(path: Path, ledger: Ledger, settings: DingTalkSettings, limiter: RateLimiter | None = None):  # type: ignore[no-untyped-def]
    return DingTalkDigestRunner(
        DigestSettings(), settings, DeadlineStore(path, SEEDS), ledger, RobotApi(settings, limiter)
    )


def sent_to(fake: FakeDingTalk, group: str) -> list[str]:
    return [
        call.body["msgParam"] for call in fake.of("group_send", ok=True) if call.body["openConversationId"] == group
    ]


def test_a_digest_reaches_each_group_once_with_its_items(
    fake_dingtalk: FakeDingTalk, deadlines_path: Path, ledger: Ledger
) -> None:
    settings, default, arrears = groups(fake_dingtalk)
    report = runner(deadlines_path, ledger, settings).run(NOW)
    assert report.ok and sorted(result.channel for result in report.posted) == sorted(
        [group_channel(default), group_channel(arrears)]
    )
    [to_arrears] = sent_to(fake_dingtalk, arrears)
    assert "gamma title" in to_arrears and "beta title" in to_arrears and "alpha title" not in to_arrears
    assert "2020-06-21" in to_arrears and "来源" in to_arrears
    call = fake_dingtalk.of("group_send")[0]
    assert call.body["msgKey"] == "sampleMarkdown" and call.body["robotCode"] == settings.robot_code

    again = runner(deadlines_path, ledger, settings).run(NOW)  # a restart, or the catch-up run
    assert again.posted == [] and again.skipped == 4
    assert len(sent_to(fake_dingtalk, default)) == len(sent_to(fake_dingtalk, arrears)) == 1


def test_two_instances_running_the_digest_at_once_send_it_once(
    fake_dingtalk: FakeDingTalk, deadlines_path: Path, ledger: Ledger
) -> None:
    settings, default, arrears = groups(fake_dingtalk)
    runners = [runner(deadlines_path, Ledger(ledger.engine), settings) for _ in range(4)]
    start = threading.Barrier(len(runners))

    def run(one: DingTalkDigestRunner) -> None:
        start.wait()
        one.run(NOW)

    threads = [threading.Thread(target=run, args=(one,)) for one in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(sent_to(fake_dingtalk, default)) == 1 and len(sent_to(fake_dingtalk, arrears)) == 1
    rows = [row for row in ledger.rows() if row["channel"] in (group_channel(default), group_channel(arrears))]
    assert len(rows) == 4 and {row["status"] for row in rows} == {"sent"}


def test_dingtalks_rate_limit_releases_the_reminders_for_the_retry(
    fake_dingtalk: FakeDingTalk, deadlines_path: Path, ledger: Ledger
) -> None:
    settings, default, arrears = groups(fake_dingtalk)
    fake_dingtalk.too_fast(1)  # the first send is refused: 429 "send too fast"
    first = runner(deadlines_path, ledger, settings).run(NOW)
    assert first.retry_needed and first.posted == [] and len(first.failed) == 2
    assert len(fake_dingtalk.of("group_send")) == 1  # after "too fast", the run sent nothing more
    mine = (group_channel(default), group_channel(arrears))
    assert all(row["channel"] not in mine for row in ledger.rows())  # released, not lost
    retry = runner(deadlines_path, ledger, settings).run(NOW)  # the scheduler's retry, minutes later
    assert retry.ok and len(sent_to(fake_dingtalk, default)) == len(sent_to(fake_dingtalk, arrears)) == 1


def test_a_slack_channel_and_a_dingtalk_group_each_get_their_own_reminder(
    fake_dingtalk: FakeDingTalk, deadlines_path: Path, ledger: Ledger
) -> None:
    settings, default, _ = groups(fake_dingtalk)
    slack_channel = f"C{uuid.uuid4().hex[:10].upper()}"
    # Slack's runner has claimed (and sent) its channel's reminders in the same table first.
    items = due_reminders(load(deadlines_path), DigestSettings(), NOW)
    slack_keys = [item.key(slack_channel) for item in items]
    assert len(ledger.claim(slack_keys, "slack-run")) == len(slack_keys)
    report = runner(deadlines_path, ledger, settings).run(NOW)
    assert report.ok and len(sent_to(fake_dingtalk, default)) == 1


def test_bot_digest_channel_dingtalk_goes_through_the_shared_runner_and_the_same_ledger_keys(
    fake_dingtalk: FakeDingTalk, deadlines_path: Path, ledger: Ledger
) -> None:
    settings, default, arrears = groups(fake_dingtalk)
    client = RoutingClient({"dingtalk": DingTalkDigestClient(RobotApi(settings))})
    digest = DigestSettings(default_channel=f"dingtalk:{default}", channels={"arrears": f"dingtalk:{arrears}"})
    report = DigestRunner(digest, DeadlineStore(deadlines_path, SEEDS), ledger, client).run(NOW)
    assert report.ok and len(report.posted) == 2
    [to_arrears] = sent_to(fake_dingtalk, arrears)
    text = json.loads(to_arrears)["text"]
    assert "**gamma title**" in text and "**beta title**" in text and "> 来源" in text and "标记完成" not in text
    # The groups are in DINGTALK_DIGEST_GROUPS too: DingTalk's own runner finds every reminder sent.
    again = runner(deadlines_path, ledger, settings).run(NOW)
    assert again.posted == [] and again.skipped == 4
    assert len(fake_dingtalk.of("group_send")) == 2
