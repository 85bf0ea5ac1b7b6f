"""Scheduling with controlled time: the last missed run, catch-up once, retries, two instances."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.config import Settings
from bot.db import make_engine
from bot.schedule.deadlines_file import DeadlineStore
from bot.schedule.ledger import Ledger
from bot.schedule.runner import DigestRunner
from bot.schedule.scheduler import JOB_ID, RETRY_JOB_ID, DigestService, last_fire_time
from bot.schedule.settings import DigestSettings
from bot.schedule.wiring import start_scheduler, upcoming_deadlines
from tests.schedule.helpers import SEEDS, SHANGHAI, Clock, at, deadline, write_deadlines
from tests.support.fake_slack import FakeSlack

SETTINGS = DigestSettings(default_channel="C0DEFAULT", channels={"arrears": "C0ARREARS"})


@pytest.mark.parametrize(
    ("now", "last"),
    [
        ("2020-06-20T10:00", "2020-06-19T09:00"),  # Saturday: Friday's run
        ("2020-06-22T08:59", "2020-06-19T09:00"),  # Monday before the run: still Friday's
        ("2020-06-22T09:00", "2020-06-22T09:00"),
        ("2020-06-24T23:00", "2020-06-24T09:00"),
    ],
)
def test_the_last_scheduled_time_is_the_latest_workday_run(now: str, last: str) -> None:
    assert last_fire_time(SETTINGS.trigger(), at(now)) == at(last)


def test_the_schedule_is_a_setting() -> None:
    settings = DigestSettings.from_settings(
        Settings(env={"BOT_DIGEST_TIME": "17:30", "BOT_DIGEST_DAYS": "sat", "BOT_DIGEST_TIMEZONE": "Europe/Berlin"})
    )
    berlin = settings.timezone
    assert last_fire_time(settings.trigger(), at("2020-06-24T12:00", berlin)) == at("2020-06-20T17:30", berlin)


@pytest.fixture
def deadlines_path(tmp_path: Path) -> Path:
    return write_deadlines(
        tmp_path / "deadlines.yaml",
        deadline("alpha", "{once: 2020-06-30}"),
        deadline("beta", "{once: 2020-06-24}", channels="[arrears]"),
    )


def service_for(
    path: Path, ledger: Ledger, client: WebClient, now: list[datetime], settings: DigestSettings = SETTINGS
) -> DigestService:
    runner = DigestRunner(settings, DeadlineStore(path, SEEDS), ledger, client)
    return DigestService(runner, settings, clock=lambda: now[0])


def posted_channels(fake: FakeSlack) -> list[str]:
    return sorted(call.body["channel"] for call in fake.calls_to("chat.postMessage", ok_only=True))


def test_after_downtime_the_missed_digest_is_sent_once_not_once_per_missed_run(
    deadlines_path: Path, ledger: Ledger, slack_client: WebClient, fake_slack: FakeSlack
) -> None:
    # Down from 1 June until Monday 22 June 08:30: fifteen workday runs were missed.
    now = [at("2020-06-22T08:30")]
    service = service_for(deadlines_path, ledger, slack_client, now)
    report = service.catch_up()
    assert report is not None
    assert posted_channels(fake_slack) == ["C0ARREARS", "C0DEFAULT"]
    # Each occurrence once, at the reminder due at the missed run (Friday 19 June), not every missed one.
    assert sorted((row["deadline_id"], row["offset_days"]) for row in ledger.rows()) == [("alpha", 30), ("beta", 7)]
    beta = next(item for result in report.posted for item in result.items if item.id == "beta")
    assert beta.days_left == 2  # the text is about today, the selection about the missed run

    assert service.catch_up() is not None and len(posted_channels(fake_slack)) == 2  # a restart: nothing new
    now[0] = at("2020-06-22T09:00")
    assert service.scheduled_run().posted == []  # Monday's own run has nothing new either
    now[0] = at("2020-06-23T09:00")
    assert [r.channel for r in service.scheduled_run().posted] == ["C0ARREARS", "C0DEFAULT"]


def test_a_failed_run_schedules_a_retry_that_sends_the_same_digest(
    deadlines_path: Path,
    ledger: Ledger,
    slack_client: WebClient,
    fake_slack: FakeSlack,
    retry_sleeps: list[float],
) -> None:
    now = [at("2020-06-22T09:00")]
    service = service_for(deadlines_path, ledger, slack_client, now)
    service.scheduler.start(paused=True)  # jobs are registered but nothing fires on the real clock
    try:
        fake_slack.fail("chat.postMessage", status=500, times=8)
        assert service.scheduled_run().retry_needed
        job = service.scheduler.get_job(RETRY_JOB_ID)
        assert job is not None and job.trigger.run_date == now[0] + timedelta(minutes=SETTINGS.retry_minutes)
        now[0] = job.trigger.run_date
        report = job.func(*job.args)
        assert report.ok and len(report.posted) == 2
    finally:
        service.shutdown()


def test_two_instances_firing_at_once_post_once(
    deadlines_path: Path, db_url: str, clock: Clock, slack_client: WebClient, fake_slack: FakeSlack
) -> None:
    """Two schedulers, each with its own job store and database connection, fire at 09:00 together."""
    engines = [make_engine(db_url) for _ in range(2)]
    ledgers = [Ledger(engine, clock=clock) for engine in engines]
    ledgers[0].ensure_tables()
    now = [at("2020-06-22T09:00")]
    services = [service_for(deadlines_path, ledger, slack_client, now) for ledger in ledgers]
    barrier = threading.Barrier(2)
    reports: list[Any] = []

    def fire(service: DigestService) -> None:
        barrier.wait()
        reports.append(service.scheduled_run())

    threads = [threading.Thread(target=fire, args=(service,)) for service in services]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for engine in engines:
        engine.dispose()
    assert posted_channels(fake_slack) == ["C0ARREARS", "C0DEFAULT"]
    assert sum(len(result.items) for report in reports for result in report.posted) == 2


def knowledge_with(tmp_path: Path, *entries: str) -> Settings:
    kb_dir = tmp_path / "knowledge"
    kb_dir.mkdir()
    write_deadlines(kb_dir / "deadlines.yaml", *entries)
    return Settings(
        kb_dir=kb_dir,
        seeds_dir=SEEDS,
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        bot_admins=frozenset({"UADMIN1"}),
        env={"BOT_DIGEST_CHANNEL": "C0DEFAULT"},
    )


def test_serve_starts_the_scheduler_with_the_workday_job(tmp_path: Path, slack_client: WebClient) -> None:
    settings = knowledge_with(tmp_path, deadline("far", "{once: 2099-12-31}"))
    scheduler = start_scheduler(settings, slack_client)
    assert scheduler is not None
    try:
        job = scheduler.get_job(JOB_ID)
        fire = job.next_run_time.astimezone(SHANGHAI)
        assert (fire.hour, fire.minute) == (9, 0) and fire.weekday() < 5
    finally:
        scheduler.shutdown(wait=True)


def test_serve_without_the_digest_when_disabled(tmp_path: Path) -> None:
    settings = knowledge_with(tmp_path, deadline("far", "{once: 2099-12-31}"))
    disabled = Settings(**{**settings.__dict__, "env": {"BOT_DIGEST_ENABLED": "false"}})
    assert start_scheduler(disabled, client=None) is None
    broken = Settings(**{**settings.__dict__, "env": {"BOT_DIGEST_TIME": "25:99"}})
    assert start_scheduler(broken, client=None) is None


def test_app_home_gets_the_upcoming_deadlines(tmp_path: Path) -> None:
    settings = knowledge_with(
        tmp_path,
        deadline("late", "{once: 2020-06-19}"),
        deadline("soon", "{once: 2020-06-30}"),
        deadline("monthly", "{monthly: 31, until: 2030-12-31}"),
    )
    items = upcoming_deadlines(settings, at("2020-06-20T09:00"), limit=3)
    assert [(i["id"], i["due"], i["days_left"], i["status"]) for i in items] == [
        ("late", date(2020, 6, 19), -1, "overdue"),
        ("monthly", date(2020, 6, 30), 10, "upcoming"),
        ("soon", date(2020, 6, 30), 10, "upcoming"),
    ]
    assert set(items[0]) == {"id", "title", "due", "days_left", "status"}
