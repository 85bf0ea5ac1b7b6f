"""The HTTP surface: Slack's signature is checked, /healthz answers, unknown paths are 404, and every
kind of request is acknowledged at once even when the Web API is slow."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.answer import Answer
from bot.slack import blocks
from tests.support import slack_requests as sr
from tests.support.fake_slack import FakeSlack
from tests.support.slack_app import RunningApp


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_bad_signature_is_rejected_with_401(slack_app: RunningApp, fake_slack: FakeSlack) -> None:
    result = slack_app.sender.event(sr.app_mention("天津技改补贴"), signature="v0=" + "0" * 64)
    assert result.status == 401
    fake_slack.assert_quiet("chat.postMessage")


def test_signature_with_another_secret_is_rejected(slack_app: RunningApp, fake_slack: FakeSlack) -> None:
    body = json.dumps(sr.app_mention("天津技改补贴"))
    now = int(time.time())
    result = slack_app.sender.post_raw(body, "application/json", timestamp=now, signature=sr.sign(body, now, "wrong"))
    assert result.status == 401


def test_stale_timestamp_is_rejected_with_401(slack_app: RunningApp, fake_slack: FakeSlack) -> None:
    result = slack_app.sender.event(sr.app_mention("天津技改补贴"), timestamp=int(time.time()) - 10 * 60)
    assert result.status == 401
    fake_slack.assert_quiet("chat.postMessage")


def test_unsigned_slash_command_is_rejected(slack_app: RunningApp, fake_slack: FakeSlack) -> None:
    result = slack_app.sender.command(sr.slash_command("补贴", fake_slack.response_url()), signature="")
    assert result.status == 401


def test_healthz_reports_the_knowledge_base_and_database(slack_app: RunningApp) -> None:
    status, body = get(slack_app.url + "/healthz")
    assert status == 200
    report = json.loads(body)
    assert report["ok"] is True and report["database"] == "ok"
    assert report["entries"] == len(slack_app.store.answerer().kb.entries)


def test_unknown_paths_are_404(slack_app: RunningApp) -> None:
    assert get(slack_app.url + "/")[0] == 404
    assert get(slack_app.url + "/slack/events")[0] == 404  # Slack only POSTs


def test_every_path_is_acked_at_once_even_when_the_web_api_is_slow(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    fake_slack.latency = 1.5  # each Web API call (and response_url post) takes 1.5 s
    question = answered_question[0]
    values = {blocks.ASK_BLOCK: {blocks.ASK_INPUT: {"type": "plain_text_input", "value": question}}}
    sender = slack_app.sender
    requests = {
        "mention": lambda: sender.event(sr.app_mention(question)),
        "command": lambda: sender.command(sr.slash_command(question, fake_slack.response_url("command"))),
        "action": lambda: sender.action(
            sr.block_actions(
                {"action_id": blocks.FEEDBACK_UP, "value": "{}"}, response_url=fake_slack.response_url("a")
            )
        ),
        "modal": lambda: sender.action(sr.view_submission(blocks.ASK_MODAL, values)),
    }

    def timed(kind: str) -> tuple[str, int, float]:
        started = time.monotonic()
        status = requests[kind]().status
        return kind, status, time.monotonic() - started

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        results = list(pool.map(timed, requests))
    for kind, status, acked_in in results:
        assert status == 200, kind
        assert acked_in < 1.0, f"{kind}: ack took {acked_in:.2f}s"
    fake_slack.wait_for("chat.postMessage", count=2, timeout=10)  # mention and modal answers
    fake_slack.wait_for("response_url", count=2, timeout=10)  # command answer and feedback thanks


# ---------------------------------------------------------------------------- hostile and malformed requests


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_20_mb_unsigned_body_is_refused_with_413_at_once_and_never_logged(
    slack_app: RunningApp, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    size = 20 * 1024 * 1024
    marker = b"SECRET-BODY-MARKER"
    chunk = (marker + b"x" * 65518)[:65536]
    host, port = slack_app.url.rsplit("/", 1)[-1].split(":")
    before = rss_kb()
    with caplog.at_level(logging.DEBUG):
        sock = socket.create_connection((host, int(port)), timeout=10)
        head = (
            f"POST /slack/events HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {size}\r\nX-Slack-Request-Timestamp: {int(time.time())}\r\n"
            f"X-Slack-Signature: v0={'0' * 64}\r\n\r\n"
        ).encode()

        def send() -> None:
            try:
                sock.sendall(head)
                for _ in range(size // len(chunk)):
                    sock.sendall(chunk)
            except OSError:
                pass  # answered and closed before the body was sent

        started = time.monotonic()
        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        status_line = sock.recv(100).decode("latin-1").split("\r\n")[0]
        elapsed = time.monotonic() - started
        sock.close()
        sender.join(timeout=10)
    assert status_line.split()[1] == "413", status_line
    assert elapsed < 1.0
    assert rss_kb() - before < 20 * 1024
    assert not [r for r in caplog.records if "SECRET-BODY-MARKER" in r.getMessage()]
    fake_slack.assert_quiet("chat.postMessage")


def test_a_large_body_with_a_bad_signature_is_refused_without_the_body_in_any_log_line(
    slack_app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    body = json.dumps(sr.app_mention("MARKER-IN-BODY " + "补贴" * 20000))
    with caplog.at_level(logging.DEBUG):
        result = slack_app.sender.post_raw(body, "application/json", signature="v0=" + "1" * 64)
    assert result.status == 401
    assert not [r for r in caplog.records if "MARKER-IN-BODY" in r.getMessage()]


def signed_raw(app: RunningApp, body: bytes, content_type: str = "application/json", **headers: str) -> int:
    ts = str(int(time.time()))
    signature = (
        "v0=" + hmac.new(sr.SIGNING_SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    )
    all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
    all_headers.update(headers)
    request = urllib.request.Request(app.url + "/slack/events", data=body, headers=all_headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


MALFORMED = [
    b"{not json",
    b"null",
    b"[1]",
    b'"a string"',
    b"\xff\xfe{}",
    b'{"type": "event_callback", "event": null, "event_id": "Ev1"}',
    b'{"type": "event_callback", "event": {"type": "app_mention", "text": 5}, "event_id": "Ev2"}',
    b'{"type": "event_callback", "event": {"type": "message"}}',
    b'{"type": "url_verification"}',
    b'{"no": "type"}',
]


@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_signed_bodies_get_400_and_no_traceback(
    slack_app: RunningApp, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    with caplog.at_level(logging.DEBUG):
        assert signed_raw(slack_app, body) == 400
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "form", [b"payload=%7Bnot+json", b"payload=null", b"payload=%5B1%5D", b"text=hi", b"payload=%7B%22type%22%3A1%7D"]
)
def test_malformed_signed_forms_get_400(slack_app: RunningApp, form: bytes) -> None:
    assert signed_raw(slack_app, form, "application/x-www-form-urlencoded") == 400


@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_unsigned_bodies_get_401_before_any_parsing(slack_app: RunningApp, body: bytes) -> None:
    request = urllib.request.Request(
        slack_app.url + "/slack/events", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=10)
    assert error.value.code == 401


@pytest.mark.parametrize("timestamp", ["abc", "", "-1", "1e9", "99999999999999999999", "12.5"])
def test_malformed_timestamps_get_401(slack_app: RunningApp, timestamp: str) -> None:
    body = json.dumps(sr.app_mention("补贴"))
    result = slack_app.sender.post_raw(body, "application/json", headers={"X-Slack-Request-Timestamp": timestamp})
    assert result.status == 401


def test_half_sent_requests_hold_no_thread_and_others_are_still_answered(slack_app: RunningApp) -> None:
    host, port = slack_app.url.rsplit("/", 1)[-1].split(":")
    sockets = []
    for _ in range(300):
        sock = socket.create_connection((host, int(port)), timeout=10)
        sock.sendall(b'POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{"type":')
        sockets.append(sock)
    try:
        started = time.monotonic()
        status, _ = get(slack_app.url + "/healthz")
        assert status == 200 and time.monotonic() - started < 2
        result = slack_app.sender.post_json({"type": "url_verification", "challenge": "still-here"})
        assert result.status == 200 and "still-here" in result.body
    finally:
        for sock in sockets:
            sock.close()
