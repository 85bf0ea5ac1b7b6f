"""The HTTP surface: Slack's signature is checked, /healthz answers, unknown paths are 404, and every
kind of request is acknowledged at once even when the Web API is slow."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

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
