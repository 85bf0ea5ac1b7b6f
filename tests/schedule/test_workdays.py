"""China's working days: no digest on a public holiday, one on a make-up working Saturday (调休), working
days left in the text, and a weekday fallback with an admins' warning for years the package lacks."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.config import Settings
from bot.schedule.blocks import when_text
from bot.schedule.deadlines_file import DeadlineStore
from bot.schedule.digest import due_reminders
from bot.schedule.ledger import Ledger
from bot.schedule.runner import DigestRunner
from bot.schedule.scheduler import last_fire_time
from bot.schedule.settings import DigestSettings
from bot.schedule.workdays import WorkdayCalendar
from tests.schedule.helpers import SEEDS, at, deadline, load, write_deadlines
from tests.schedule.test_cli import bot
from tests.support.fake_slack import FakeSlack

UNCOVERED = 2099  # a year chinesecalendar will not know for a long time


def test_holidays_are_off_and_make_up_saturdays_are_on() -> None:
    calendar = WorkdayCalendar()
    assert not calendar.is_workday(date(2026, 10, 1))  # National Day
    assert calendar.is_workday(date(2026, 10, 10))  # Saturday, make-up working day
    assert calendar.is_workday(date(2026, 9, 30)) and not calendar.is_workday(date(2026, 10, 3))
    assert calendar.uncovered == set()


def test_the_default_schedule_skips_the_national_day_week_and_runs_on_the_make_up_saturday() -> None:
    settings = DigestSettings()
    assert settings.days == "workdays"
    trigger = settings.trigger()
    fires = []
    fire = trigger.get_next_fire_time(None, at("2026-09-30T09:01"))
    while fire is not None and fire < at("2026-10-12T00:00"):
        fires.append(fire.date())
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    assert date(2026, 10, 1) not in fires and date(2026, 10, 10) in fires
    assert fires == [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]
    # catch-up after the holiday finds the last working day before it
    assert last_fire_time(trigger, at("2026-10-08T08:00")) == at("2026-09-30T09:00")


def test_plain_weekdays_are_still_a_setting() -> None:
    settings = DigestSettings.from_settings(Settings(env={"BOT_DIGEST_DAYS": "mon-fri"}))
    assert settings.is_digest_day(date(2026, 10, 1)) and not settings.is_digest_day(date(2026, 10, 10))


def test_due_in_n_working_days(tmp_path: Path) -> None:
    path = write_deadlines(tmp_path / "deadlines.yaml", deadline("after-holiday", "{once: 2026-10-09}"))
    [item] = due_reminders(load(path), DigestSettings(), at("2026-09-30T09:00"))
    assert (item.days_left, item.working_days_left) == (9, 2)  # 10-08 and 10-09
    assert when_text(item) == "还有 9 天（2 个工作日）"


def test_a_year_the_package_lacks_falls_back_to_weekdays_without_crashing() -> None:
    calendar = WorkdayCalendar()
    assert not calendar.covers(UNCOVERED)
    monday = date(UNCOVERED, 3, 2) - timedelta(days=date(UNCOVERED, 3, 2).weekday())
    assert calendar.is_workday(monday) and not calendar.is_workday(monday + timedelta(days=5))
    assert calendar.uncovered == {UNCOVERED}
    assert calendar.working_days_between(monday, monday + timedelta(days=7)) == 5


def test_the_admins_are_told_once_about_an_uncovered_year(
    tmp_path: Path, ledger: Ledger, slack_client: WebClient, fake_slack: FakeSlack
) -> None:
    path = write_deadlines(tmp_path / "deadlines.yaml", deadline("far", f"{{once: {UNCOVERED}-06-30}}"))
    runner = DigestRunner(
        DigestSettings(default_channel="C0DEFAULT"),
        DeadlineStore(path, SEEDS),
        ledger,
        slack_client,
        admins=frozenset({"UADMIN1"}),
    )
    runner.run(at(f"{UNCOVERED}-06-01T09:00"))
    runner.run(at(f"{UNCOVERED}-06-02T09:00"))
    warnings = [c.body for c in fake_slack.calls_to("chat.postMessage", ok_only=True) if c.body["channel"] == "UADMIN1"]
    assert len(warnings) == 1 and str(UNCOVERED) in warnings[0]["text"] and "chinesecalendar" in warnings[0]["text"]
    digests = [
        c.body for c in fake_slack.calls_to("chat.postMessage", ok_only=True) if c.body["channel"] == "C0DEFAULT"
    ]
    assert len(digests) == 1  # the digest itself still went out


@pytest.mark.parametrize(("moment", "sent"), [("2026-10-01T09:00", False), ("2026-10-10T09:00", True)])
def test_send_obeys_the_calendar(tmp_path: Path, fake_slack: FakeSlack, moment: str, sent: bool) -> None:
    path = write_deadlines(tmp_path / "deadlines.yaml", deadline("soon", "{once: 2026-10-12}"))
    slack = {"SLACK_API_URL": fake_slack.url, "SLACK_BOT_TOKEN": "xoxb-test"}
    result = bot(tmp_path, "digest", "--deadlines", str(path), "--now", moment, "--send", **slack)
    assert result.returncode == 0, result.stderr
    assert bool(fake_slack.calls_to("chat.postMessage", ok_only=True)) is sent
    if not sent:
        assert "not a digest day (National Day)" in result.stderr
