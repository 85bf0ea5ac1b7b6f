"""`python -m bot serve` and `python -m bot unanswered` as an operator runs them."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry import handler as retry_handler

from bot.__main__ import main
from bot.db import make_engine
from bot.slack.store import SlackStore, ensure_tables
from tests.support import slack_requests as sr
from tests.support.fake_slack import FakeSlack
from tests.support.slack_app import shipped_store

ROOT = Path(__file__).resolve().parents[2]
SLACK_ENV = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "PORT", "DATABASE_URL", "SLACK_API_URL")


def bot_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SLACK_ENV}
    return {**env, "PYTHONPATH": str(ROOT), **values}


def run_serve(timeout: float = 60, **values: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        env=bot_env(**values),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


BAD_SETTINGS = [
    ({}, "SLACK_BOT_TOKEN is not set"),
    ({"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_SIGNING_SECRET": "s"}, "must be a bot token"),
    ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is not set"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN must be an app-level token"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": "http"}, "PORT must be a number"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "slack.com"}, "SLACK_API_URL"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "BOT_ADMINS": "U012AB3CDE,@alice"}, "BOT_ADMINS"),
]


def serve_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str]
) -> tuple[int, list[str]]:
    """`python -m bot serve` in this process (the knowledge base already loaded); (exit code, stderr lines)."""
    from bot.cli import serve

    for name in SLACK_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in ("", "slack_bolt", "slack_sdk", "bm25s", "jieba"):  # serve sets log levels; restore them after
        logger = logging.getLogger(name or None)
        monkeypatch.setattr(logger, "level", logger.level)
    monkeypatch.setattr(serve, "open_store", lambda settings: shipped_store())
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--no-digests"])
    return int(exited.value.code or 0), capsys.readouterr().err.strip().splitlines()


@pytest.mark.parametrize(("env", "expected"), BAD_SETTINGS)
def test_bad_settings_give_one_error_line_and_a_non_zero_exit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str], expected: str
) -> None:
    code, lines = serve_in_process(monkeypatch, capsys, env)
    assert code != 0
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and expected in lines[0]


@pytest.mark.parametrize(("env", "expected"), [BAD_SETTINGS[0], BAD_SETTINGS[4]])
def test_bad_settings_in_a_real_process_print_no_traceback(env: dict[str, str], expected: str) -> None:
    result = run_serve(**env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], result.stderr


def test_unusable_database_and_rejected_token_give_one_line(
    fake_slack: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": fake_slack.url}
    code, lines = serve_in_process(
        monkeypatch, capsys, {**base, "DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/bot.db"}
    )
    assert code != 0 and len(lines) == 1 and "cannot use the database" in lines[0], lines

    fake_slack.error("auth.test", "invalid_auth", times=None)
    code, lines = serve_in_process(monkeypatch, capsys, {**base, "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db"})
    assert code != 0 and len(lines) == 1 and "invalid_auth" in lines[0], lines

    # Nobody listening: the client retries connection errors with back-off (not slept here), then gives up.
    no_sleep = SimpleNamespace(sleep=lambda seconds: None)
    monkeypatch.setattr(builtin_handlers, "time", no_sleep)
    monkeypatch.setattr(retry_handler, "time", no_sleep)
    code, lines = serve_in_process(
        monkeypatch,
        capsys,
        {
            **base,
            "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/",
            "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db",
        },
    )
    assert code != 0 and len(lines) == 1 and "cannot reach the Slack Web API" in lines[0], lines


def test_serve_runs_http_with_healthz_and_answers_signed_events(fake_slack: FakeSlack, tmp_path: Path) -> None:
    port = free_port()
    env = bot_env(
        SLACK_BOT_TOKEN=sr.BOT_TOKEN,
        SLACK_SIGNING_SECRET=sr.SIGNING_SECRET,
        SLACK_API_URL=fake_slack.url,
        PORT=str(port),
        DATABASE_URL=f"sqlite:///{tmp_path}/bot.db",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--no-digests"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200 and json.loads(response.read())["ok"] is True
                    break
            except OSError:
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline, "serve did not come up"
                time.sleep(0.1)
        sender = sr.SlackSender(f"http://127.0.0.1:{port}")
        assert "chal" in sender.post_json({"type": "url_verification", "challenge": "chal"}).body
        sender.event(sr.direct_message("help"))
        fake_slack.wait_for("chat.postMessage", timeout=10)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=15)
    assert proc.returncode == 0, stderr
    assert f"listening on http://127.0.0.1:{port}/slack/events" in stderr


def test_unanswered_lists_most_frequent_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/bot.db"
    engine = make_engine(url)
    ensure_tables(engine)
    store = SlackStore(engine)
    for text, channel in [("月球补贴？", "C1"), ("火星补贴", "C1"), ("火星补贴？", "C2"), ("火星 补贴", "C1")]:
        store.log_question(surface="mention", outcome="refused", channel=channel, user="U1", text=text)
    store.log_question(surface="mention", outcome="answered", channel="C1", user="U1", entry_id="e1")
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)

    assert main(["unanswered", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(row["count"], row["channels"]) for row in rows] == [(3, ["C1", "C2"]), (1, ["C1"])]
    assert rows[1]["text"] == "月球补贴？"

    assert main(["unanswered", "--limit", "1"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert len(table) == 2 and table[1].split()[0] == "3" and "[C1, C2]" in table[1]


def test_unanswered_on_an_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/empty.db")
    assert main(["unanswered"]) == 0
    assert "No unanswered questions" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("env", "args", "mode"),
    [
        ({"SLACK_APP_TOKEN": "xapp-1-A1-1-abc"}, [], "socket"),
        ({"SLACK_APP_TOKEN": "xapp-1-A1-1-abc", "SLACK_SIGNING_SECRET": "s"}, ["--http"], "http"),
        ({"SLACK_SIGNING_SECRET": "s"}, [], "http"),
    ],
)
def test_serve_uses_socket_mode_when_an_app_token_is_set(
    fake_slack: FakeSlack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    args: list[str],
    mode: str,
) -> None:
    from bot.slack import server

    for name in SLACK_ENV:
        monkeypatch.delenv(name, raising=False)
    values = {
        "SLACK_BOT_TOKEN": sr.BOT_TOKEN,
        "SLACK_API_URL": fake_slack.url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db",
        **env,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    for name in ("", "slack_bolt", "slack_sdk", "bm25s", "jieba"):
        logger = logging.getLogger(name or None)
        monkeypatch.setattr(logger, "level", logger.level)
    monkeypatch.setattr("bot.cli.serve.open_store", lambda settings: shipped_store())
    chosen: list[str] = []
    monkeypatch.setattr(server, "serve_socket_mode", lambda runtime: chosen.append("socket"))
    monkeypatch.setattr(server, "serve_http", lambda runtime, host, port: chosen.append("http"))
    monkeypatch.setattr(shipped_store(), "watch", lambda interval=2.0: None)
    assert main(["serve", "--no-digests", *args]) == 0
    assert chosen == [mode]


def test_unreachable_slack_in_a_real_process_prints_one_line(tmp_path: Path) -> None:
    result = run_serve(
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=f"http://127.0.0.1:{free_port()}/api/",
        DATABASE_URL=f"sqlite:///{tmp_path}/bot.db",
        BOT_DIGEST_ENABLED="false",
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Slack Web API" in lines[0], result.stderr
