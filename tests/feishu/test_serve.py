"""`python -m bot serve` with Feishu's settings, as an operator runs it: one line per bad setting; a
real process that serves Feishu's callbacks and reports each platform on /healthz."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support import feishu_requests as fr
from tests.support.fake_feishu import FakeFeishu
from tests.support.serve_process import wait_healthy

ROOT = Path(__file__).resolve().parents[2]
PLATFORM_ENV = ("SLACK_", "FEISHU_", "DINGTALK_", "BOT_ADMINS", "DATABASE_URL", "PORT")


def env_with(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(PLATFORM_ENV)}
    return {**env, "PYTHONPATH": str(ROOT), **values}


def feishu_env(fake: FakeFeishu, tmp_path: Path) -> dict[str, str]:
    return {
        "FEISHU_APP_ID": "cli_serve0000000001",
        "FEISHU_APP_SECRET": "secret",
        "FEISHU_VERIFICATION_TOKEN": fr.VERIFICATION_TOKEN,
        "FEISHU_ENCRYPT_KEY": fr.ENCRYPT_KEY,
        "FEISHU_API_URL": fake.url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db",
    }


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"FEISHU_APP_ID": "cli_1"}, ["FEISHU_APP_SECRET is not set"]),
        (
            {
                "FEISHU_APP_ID": "app",
                "FEISHU_APP_SECRET": "s",
                "FEISHU_VERIFICATION_TOKEN": "t",
                "FEISHU_ENCRYPT_KEY": "k",
            },
            ["FEISHU_APP_ID must be an app id starting with cli_"],
        ),
        (
            {
                "FEISHU_APP_ID": "cli_1",
                "FEISHU_APP_SECRET": "s",
                "FEISHU_VERIFICATION_TOKEN": "t",
                "FEISHU_ENCRYPT_KEY": "k",
                "FEISHU_API_URL": "https://open.feishu.cn/open-apis",
            },
            ["FEISHU_API_URL must be an origin"],
        ),
        ({"FEISHU_APP_ID": "cli_1", "SLACK_BOT_TOKEN": "xoxb-1"}, ["SLACK_SIGNING_SECRET", "FEISHU_APP_SECRET"]),
    ],
)
def test_bad_feishu_settings_give_one_line_each_and_a_non_zero_exit(
    values: dict[str, str], expected: list[str]
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        env=env_with(**values),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0
    assert len(lines) == len(expected), result.stderr
    assert all(line.startswith("error: ") and words in line for line, words in zip(lines, expected, strict=True))


def test_wrong_feishu_credentials_give_one_line(tmp_path: Path) -> None:
    fake = FakeFeishu().start()
    fake.error("bot_info", code=10003, msg="invalid param")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "serve", "--no-digests"],
            env=env_with(**feishu_env(fake, tmp_path)),
            capture_output=True,
            text=True,
            timeout=90,
            cwd=ROOT,
        )
    finally:
        fake.stop()
    lines = [line for line in result.stderr.strip().splitlines() if line.startswith("error: ")]
    assert result.returncode != 0 and len(lines) == 1 and "FEISHU_APP_ID/FEISHU_APP_SECRET" in lines[0], result.stderr


def test_serve_runs_feishu_with_healthz_per_platform_and_answers_signed_callbacks(
    tmp_path: Path, answered: tuple[str, str, str]
) -> None:
    fake = FakeFeishu().start()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--no-digests"],
        env=env_with(**feishu_env(fake, tmp_path), PORT=str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    report = json.loads(response.read())
                    break
            except OSError:
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline, "serve did not come up"
                time.sleep(0.2)
        assert report["ok"] is True and report["database"] == "ok"
        assert report["platforms"]["feishu"]["status"] == "ok" and "slack" not in report["platforms"]
        sender = fr.FeishuSender(f"http://127.0.0.1:{port}")
        assert sender.post(fr.url_verification("c-9"), signed=False).json() == {"challenge": "c-9"}
        assert sender.post(fr.message_event(answered[0])).status == 200
        [reply] = fake.wait_for_posts(kind="reply", timeout=15)
        assert answered[2].strip()[:40] in json.dumps(reply.card, ensure_ascii=False)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        fake.stop()


def start_serve(fake: FakeFeishu, tmp_path: Path) -> tuple[subprocess.Popen[str], int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--no-digests"],
        env=env_with(**feishu_env(fake, tmp_path), PORT=str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    return proc, port


def test_a_message_redelivered_to_two_serve_processes_sharing_the_database_is_answered_once(
    tmp_path: Path, answered: tuple[str, str, str]
) -> None:
    fake = FakeFeishu().start()
    servers = [start_serve(fake, tmp_path), start_serve(fake, tmp_path)]  # one SQLite file for both
    try:
        for proc, port in servers:
            wait_healthy(proc, port)
        event = fr.message_event(answered[0])
        for _, port in servers:  # Feishu redelivers; a load balancer sends the copy to the other process
            assert fr.FeishuSender(f"http://127.0.0.1:{port}").post(event).status == 200
        fake.wait_for_posts(kind="reply", timeout=15)
        fake.assert_quiet(within=2.0)
        assert len(fake.calls("reply")) == 1
    finally:
        for proc, _ in servers:
            proc.terminate()
        for proc, _ in servers:
            proc.wait(timeout=30)
        fake.stop()
