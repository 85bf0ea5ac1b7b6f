"""`python -m bot digest` and `python -m bot deadlines` as real processes: the external contract,
clear errors, and two processes sending at once against one database and the fake Web API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.config import PROJECT_ROOT
from tests.schedule.conftest import POSTGRES_SKIP, fresh_postgres, postgres_url
from tests.schedule.helpers import deadline, write_deadlines
from tests.support.fake_slack import FakeSlack

ITEM_KEYS = {"id", "title", "due", "days_left", "status"}


def bot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BOT_", "SLACK_", "DATABASE"))}
    env.update(
        PYTHONPATH=str(PROJECT_ROOT),
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
        BOT_DIGEST_CHANNEL="C0DEFAULT",
        BOT_ADMINS="UADMIN1",
    )
    env.update(extra)
    return env


def bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=bot_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_dry_run_json_is_the_contract_and_writes_nothing(tmp_path: Path) -> None:
    result = bot(tmp_path, "digest", "--now", "2020-06-20T09:00", "--dry-run", "--json", BOT_DIGEST_CHANNEL="")
    assert result.returncode == 0, result.stderr
    digest = json.loads(result.stdout)
    assert [group["channel"] for group in digest] == ["#policy-deadlines"]
    for group in digest:
        assert set(group) == {"channel", "items"}
        for item in group["items"]:
            assert set(item) == ITEM_KEYS
            assert isinstance(item["days_left"], int) and item["status"] in {"upcoming", "due", "overdue"}
    assert {item["id"] for item in digest[0]["items"]} == {
        "sw-h1-small-arrears",
        "sw-city-first-target",
        "sw-weekly-dispatch",
    }
    assert not (tmp_path / "bot.db").exists()


def test_in_2031_no_recurring_deadline_whose_period_ended_is_listed(tmp_path: Path) -> None:
    result = bot(tmp_path, "digest", "--now", "2031-03-03T09:00", "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["digest", "--now", "yesterday"], 2, "error: --now must be a date-time such as 2020-06-20T09:00"),
        (["digest", "--deadlines", "missing.yaml"], 1, "error: deadlines file not found: missing.yaml"),
        (["deadlines", "--ics", "--now", "2020-02-30"], 2, "error: --now must be a date-time"),
        (["digest", "--send"], 2, "error: --send needs SLACK_BOT_TOKEN"),
    ],
)
def test_bad_input_is_one_clear_line_and_a_non_zero_exit(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    result = bot(tmp_path, *args)
    assert result.returncode == code
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(message) and "Traceback" not in result.stderr


def test_an_invalid_deadlines_file_lists_its_errors_with_lines(tmp_path: Path) -> None:
    path = write_deadlines(tmp_path / "deadlines.yaml", deadline("bad", "{once: 2020-06-30}", quote="不在原文里"))
    result = bot(tmp_path, "digest", "--deadlines", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{path}:" in result.stderr and "quote not found verbatim" in result.stderr


def test_a_bad_setting_is_one_clear_line(tmp_path: Path) -> None:
    result = bot(tmp_path, "digest", BOT_DEADLINE_SW_ARREARS_FIRST_TARGET="June")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: BOT_DEADLINE_SW_ARREARS_FIRST_TARGET must be a date YYYY-MM-DD, got 'June'"


def test_send_twice_for_the_same_moment_posts_once(tmp_path: Path, fake_slack: FakeSlack) -> None:
    slack = {"SLACK_API_URL": fake_slack.url, "SLACK_BOT_TOKEN": "xoxb-test"}
    first = bot(tmp_path, "digest", "--now", "2020-06-20T09:00", "--force", "--send", "--json", **slack)
    assert first.returncode == 0, first.stderr
    assert [group["channel"] for group in json.loads(first.stdout)] == ["C0DEFAULT"]
    second = bot(tmp_path, "digest", "--now", "2020-06-20T09:00", "--force", "--send", **slack)
    assert second.returncode == 0, second.stderr
    assert "nothing to send" in second.stdout
    [call] = fake_slack.calls_to("chat.postMessage", ok_only=True)
    assert call.token == "xoxb-test" and call.body["channel"] == "C0DEFAULT"


def _two_processes_at_once(tmp_path: Path, fake_slack: FakeSlack, database_url: str) -> None:
    fake_slack.latency = 0.2  # a slow Slack keeps both processes in flight together
    env = bot_env(
        tmp_path,
        DATABASE_URL=database_url,
        SLACK_API_URL=fake_slack.url,
        SLACK_BOT_TOKEN="xoxb-test",
        BOT_DIGEST_CHANNEL_ARREARS="C0ARREARS",
    )
    command = [sys.executable, "-m", "bot", "digest", "--now", "2020-06-20T09:00", "--force", "--send", "--json"]
    processes = [
        subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=60) for process in processes]
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    calls = fake_slack.calls_to("chat.postMessage", ok_only=True)
    assert sorted(call.body["channel"] for call in calls) == ["C0ARREARS", "C0DEFAULT"]
    sent = [group for out, _err in outputs for group in json.loads(out)]
    assert sorted(item["id"] for group in sent for item in group["items"]) == [
        "sw-city-first-target",
        "sw-h1-small-arrears",
        "sw-weekly-dispatch",
    ]


def test_two_processes_sending_at_once_on_one_sqlite_file_post_once(tmp_path: Path, fake_slack: FakeSlack) -> None:
    db = tmp_path / "shared.db"
    _two_processes_at_once(tmp_path, fake_slack, f"sqlite:///{db}")


def test_two_processes_sending_at_once_on_postgres_post_once(tmp_path: Path, fake_slack: FakeSlack) -> None:
    url = postgres_url()
    if url is None:
        pytest.skip(POSTGRES_SKIP)
    fresh_postgres(url)
    _two_processes_at_once(tmp_path, fake_slack, os.environ["TEST_POSTGRES_URL"])


def test_deadlines_ics_is_a_calendar_of_the_upcoming_occurrences(tmp_path: Path) -> None:
    result = bot(tmp_path, "deadlines", "--ics", "--now", "2027-11-01T09:00", "--days", "90")
    assert result.returncode == 0, result.stderr
    calendar = Calendar.from_ical(result.stdout)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert "tj-2027-techrev-investment-2027-12-31@policy-bot.deadlines" in events
    event = events["tj-2027-techrev-investment-2027-12-31@policy-bot.deadlines"]
    assert event.decoded("DTSTART").isoformat() == "2027-12-31"
    assert "1500" in str(event["SUMMARY"])
    assert "来源：" in str(event["DESCRIPTION"]) and "累計達到1500億元" in str(event["DESCRIPTION"])
    assert "-P30D" in result.stdout  # an alarm per reminder day
    assert all(str(e.decoded("DTSTART")) >= "2027-11-01" for e in events.values())

    out = tmp_path / "deadlines.ics"
    written = bot(tmp_path, "deadlines", "--ics", "--now", "2027-11-01T09:00", "--days", "90", "-o", str(out))
    assert written.returncode == 0 and out.read_text(encoding="utf-8") == result.stdout


def test_deadlines_lists_masked_dates_as_local_settings(tmp_path: Path) -> None:
    result = bot(tmp_path, "deadlines", "--json", "--now", "2020-06-01", "--days", "60")
    rows = json.loads(result.stdout)
    assert {row["id"]: row["local_setting"] for row in rows}["sw-city-first-target"] is True
    assert {row["id"]: row["local_setting"] for row in rows}["sw-h1-small-arrears"] is False


@pytest.mark.parametrize("command", ["digest", "deadlines"])
def test_help_explains_the_command(tmp_path: Path, command: str) -> None:
    result = bot(tmp_path, command, "--help")
    assert result.returncode == 0 and "--now" in result.stdout and "examples:" in result.stdout
