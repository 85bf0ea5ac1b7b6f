"""Delivery: Feishu's rate limit honoured (x-ogw-ratelimit-reset), an undeliverable reply given up,
and deadline digests to a Feishu chat through the exactly-once ledger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.db import make_engine
from bot.schedule.deadlines_file import DeadlineStore
from bot.schedule.ledger import Ledger
from bot.schedule.runner import DigestRunner
from bot.schedule.settings import DigestSettings
from tests.schedule.helpers import SEEDS, at, deadline, write_deadlines
from tests.support import feishu_requests as fr
from tests.support.fake_feishu import FakeFeishu
from tests.support.feishu_app import RunningFeishu

DIGEST_CHAT = "oc_digest000000000000000000000000001"
NOW = at("2020-06-20T09:00")


def test_a_429_waits_for_x_ogw_ratelimit_reset_then_the_reply_is_sent_once(
    feishu_app: RunningFeishu, fake_feishu: FakeFeishu, answered: tuple[str, str, str]
) -> None:
    fake_feishu.rate_limit("reply", reset=2)
    feishu_app.sender.post(fr.message_event(answered[0]))
    [posted] = fake_feishu.wait_for_posts(kind="reply", timeout=15)
    [limited] = [call for call in fake_feishu.calls("reply") if call.status == 429]
    assert posted.at - limited.at >= 1.9  # the outbox's own first retry would be after 0.2 s
    assert posted.body["uuid"] == limited.body["uuid"]  # the same outbox row
    fake_feishu.assert_quiet(within=1.0)
    assert len(fake_feishu.posted("reply")) == 1


def test_a_reply_feishu_refuses_for_good_is_not_retried(
    feishu_app: RunningFeishu, fake_feishu: FakeFeishu, answered: tuple[str, str, str]
) -> None:
    fake_feishu.error("reply", code=230002)  # the bot was removed from the chat
    feishu_app.sender.post(fr.message_event(answered[0]))
    fake_feishu.assert_quiet(within=1.5)
    assert [call.status for call in fake_feishu.calls("reply")] == [400]
    assert feishu_app.services.core.db.outbox_report().failed_last_day == 1


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    ledger = Ledger(engine)
    ledger.ensure_tables()
    yield ledger
    engine.dispose()


def digest_runner(app: RunningFeishu, ledger: Ledger, tmp_path: Path) -> DigestRunner:
    path = write_deadlines(tmp_path / "deadlines.yaml", deadline("alpha", "{once: 2020-06-30}"))
    settings = DigestSettings(default_channel=f"feishu:{DIGEST_CHAT}")
    return DigestRunner(settings, DeadlineStore(path, SEEDS), ledger, app.services.digest_client())


def test_a_digest_reaches_a_feishu_chat_exactly_once_across_runs_and_instances(
    feishu_app: RunningFeishu, fake_feishu: FakeFeishu, ledger: Ledger, tmp_path: Path
) -> None:
    first = digest_runner(feishu_app, ledger, tmp_path).run(NOW)
    assert first.ok and len(first.posted) == 1
    [sent] = fake_feishu.wait_for_posts(kind="send")
    assert sent.query == {"receive_id_type": "chat_id"} and sent.body["receive_id"] == DIGEST_CHAT
    assert "alpha title" in sent.body["content"]
    again = digest_runner(feishu_app, ledger, tmp_path).run(NOW)  # a second instance, same moment
    assert again.posted == [] and again.skipped == 1
    assert len(fake_feishu.calls("send")) == 1
    assert {row["status"] for row in ledger.rows()} == {"sent"}


def test_a_rate_limited_digest_is_released_and_sent_once_by_the_next_run(
    feishu_app: RunningFeishu, fake_feishu: FakeFeishu, ledger: Ledger, tmp_path: Path
) -> None:
    fake_feishu.rate_limit("send", reset=1)
    first = digest_runner(feishu_app, ledger, tmp_path).run(NOW)
    assert first.posted == [] and first.retry_needed  # released, not lost, not marked sent
    second = digest_runner(feishu_app, ledger, tmp_path).run(NOW)
    assert len(second.posted) == 1
    assert len(fake_feishu.posted("send")) == 1
