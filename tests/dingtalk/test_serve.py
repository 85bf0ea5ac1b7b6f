"""`python -m bot serve` with DingTalk settings, as an operator runs it: a real process on the fake DingTalk."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fake_dingtalk import CLIENT_ID, CLIENT_SECRET, FakeDingTalk, chatbot_payload
from tests.support.serve_process import wait_healthy

ROOT = Path(__file__).resolve().parents[2]
PLATFORM_ENV = ("SLACK_", "FEISHU_", "DINGTALK_", "DATABASE_URL", "PORT")


def env_for(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(PLATFORM_ENV)}
    return {**env, "PYTHONPATH": str(ROOT), **values}


def serve(**values: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--no-digests"],
        env=env_for(**values),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_with_only_dingtalk_settings_answers_over_stream_mode(
    fake_dingtalk: FakeDingTalk, tmp_path: Path
) -> None:
    port = free_port()
    process = serve(
        DINGTALK_CLIENT_ID=CLIENT_ID,
        DINGTALK_CLIENT_SECRET=CLIENT_SECRET,
        DINGTALK_OPENAPI_ENDPOINT=fake_dingtalk.url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
        PORT=str(port),
    )
    try:
        fake_dingtalk.wait_connected(timeout=60)
        fake_dingtalk.push(chatbot_payload("帮助", webhook=fake_dingtalk.webhook_url("g1")))
        [call] = fake_dingtalk.wait_for("webhook", 1, timeout=30)
        health = wait_healthy(process, port, timeout=60)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
    assert "怎么提问" in call.body["markdown"]["title"]
    assert health["ok"] and health["platforms"]["dingtalk"] == {"status": "ok", "mode": "stream", "connected": True}
    assert process.returncode == 0 and "Traceback" not in stderr


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"DINGTALK_CLIENT_ID": CLIENT_ID}, "DINGTALK_CLIENT_SECRET is missing"),
        ({"DINGTALK_CLIENT_ID": CLIENT_ID, "DINGTALK_CLIENT_SECRET": "wrong"}, "did not accept DINGTALK_CLIENT_ID"),
        (
            {"DINGTALK_CLIENT_ID": CLIENT_ID, "DINGTALK_CLIENT_SECRET": CLIENT_SECRET, "DINGTALK_DIGEST_GROUPS": "x"},
            "DINGTALK_DIGEST_GROUPS",
        ),
    ],
)
def test_missing_or_wrong_dingtalk_settings_are_one_line_and_a_non_zero_exit(
    fake_dingtalk: FakeDingTalk, tmp_path: Path, values: dict[str, str], expected: str
) -> None:
    process = serve(
        DINGTALK_OPENAPI_ENDPOINT=fake_dingtalk.url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
        PORT=str(free_port()),
        **values,
    )
    _, stderr = process.communicate(timeout=60)
    lines = stderr.strip().splitlines()
    assert process.returncode != 0
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], stderr
