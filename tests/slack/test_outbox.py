"""Issue 9 end to end over HTTP: acks never wait for answers, a full queue says so, every reply goes
through the outbox (retried across failures and restarts, never twice), buttons are idempotent, and a
database outage loses nothing."""

from __future__ import annotations

import json
import shutil
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.answer import Answer
from bot.slack import blocks
from bot.slack.work import WorkQueue
from tests.support import slack_requests as sr
from tests.support.fake_slack import BOT_USER_ID, FakeSlack, Scripted
from tests.support.slack_app import RunningApp, running_app


def health(app: RunningApp) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(app.url + "/healthz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def delivered_per_thread(fake: FakeSlack) -> Counter:
    return Counter(
        (c.body["channel"], c.body.get("thread_ts")) for c in fake.calls_to("chat.postMessage", ok_only=True)
    )


# ---------------------------------------------------------------------------- a full queue


def test_a_full_queue_says_busy_and_commands_and_buttons_are_still_acked(
    fake_slack: FakeSlack, tmp_path: Path, answered_question: tuple[str, Answer]
) -> None:
    fake_slack.latency = 1.0
    with running_app(fake_slack, tmp_path / "bot.db", work=WorkQueue(workers=1, limit=1)) as app:
        fake_slack.reset()
        mentions = [sr.app_mention(answered_question[0], channel="C0BUSY0001") for _ in range(4)]
        assert [app.sender.event(m).status for m in mentions] == [200] * 4
        command = app.sender.command(sr.slash_command(answered_question[0], fake_slack.response_url("cmd")))
        assert command.status == 200 and blocks.BUSY in command.json()["text"]  # told at once, in the ack
        click = sr.block_actions(
            {"action_id": blocks.SUGGESTION, "value": "{}"}, response_url=fake_slack.response_url("click")
        )
        assert app.sender.action(click).status == 200
        modal = sr.view_submission(
            blocks.ASK_MODAL, {blocks.ASK_BLOCK: {blocks.ASK_INPUT: {"type": "plain_text_input", "value": "补贴"}}}
        )
        result = app.sender.action(modal)
        assert result.status == 200 and result.json()["response_action"] == "errors"
        [notice] = [c for c in fake_slack.wait_for("response_url", timeout=15) if c.path == "/response/click"]
        assert blocks.BUSY in sr.text_of(notice.body["blocks"])
        posts = fake_slack.wait_for("chat.postMessage", count=4, timeout=15)
        busy = [c for c in posts if blocks.BUSY in c.body["text"]]
        assert len(busy) == 2  # one answered, one queued, two told the bot is busy
        assert sorted(c.body["thread_ts"] for c in posts) == sorted(m["event"]["ts"] for m in mentions)
        fake_slack.assert_quiet("chat.postMessage", within=1.5)


# ---------------------------------------------------------------------------- no lost, no repeated answers


def test_30_mentions_through_429s_and_bursts_of_500s_are_answered_exactly_once(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    script = []
    for n in range(40):
        script.append(Scripted(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}))
        script.append(Scripted(200, None))  # every second call gets through (and is counted below)
        if n in (5, 20):
            script += [Scripted(500, {"ok": False, "error": "internal_error"})] * 8  # a burst of eight 500s
    for reply in script:
        fake_slack.script("chat.postMessage", reply)
    payloads = [sr.app_mention(answered_question[0], channel=f"C0FLAKY{n:03d}") for n in range(30)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda p: slack_app.sender.event(p).status, payloads))
    assert statuses == [200] * 30
    deadline = time.monotonic() + 90
    while len(delivered_per_thread(fake_slack)) < 30 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(2.0)  # anything still retrying would arrive now
    per_thread = delivered_per_thread(fake_slack)
    assert per_thread == Counter({(p["event"]["channel"], p["event"]["ts"]): 1 for p in payloads})


def test_a_reply_decided_before_a_restart_is_delivered_once_after_it(
    fake_slack: FakeSlack, tmp_path: Path, answered_question: tuple[str, Answer]
) -> None:
    payload = sr.app_mention(answered_question[0])
    with running_app(fake_slack, tmp_path / "bot.db") as app:
        fake_slack.fail("chat.postMessage", status=503, times=None)  # Slack down: decided, not delivered
        assert app.sender.event(payload).status == 200
        fake_slack.wait_for("chat.postMessage", count=4, ok_only=False, timeout=20)
        assert health(app)[1]["outbox"]["pending"] == 1
    fake_slack.reset()  # Slack is back
    with running_app(fake_slack, tmp_path / "bot.db") as app:
        [call] = fake_slack.wait_for("chat.postMessage", timeout=15)
        assert (call.body["channel"], call.body["thread_ts"]) == (payload["event"]["channel"], payload["event"]["ts"])
        app.sender.event(payload, retry_num=3)  # Slack's last retry arrives too: not a second answer
        fake_slack.assert_quiet("chat.postMessage", within=1.5)
        assert health(app)[1]["outbox"]["pending"] == 0


def test_a_slack_retry_while_the_reply_is_pending_is_not_answered_twice(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    fake_slack.fail("chat.postMessage", status=500, times=None)
    payload = sr.app_mention(answered_question[0])
    slack_app.sender.event(payload)
    fake_slack.wait_for("chat.postMessage", count=4, ok_only=False, timeout=20)
    assert slack_app.sender.event(payload, retry_num=1).status == 200
    fake_slack.reset()
    fake_slack.wait_for("chat.postMessage", timeout=15)
    fake_slack.assert_quiet("chat.postMessage", within=1.5)
    assert len(fake_slack.calls_to("chat.postMessage", ok_only=True)) == 1


def test_an_undeliverable_reply_is_given_up_and_the_thread_forgotten(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    fake_slack.error("chat.postMessage", "channel_not_found", times=None)
    payload = sr.app_mention(answered_question[0], channel="C0GONE0002")
    slack_app.sender.event(payload)
    fake_slack.wait_for("chat.postMessage", ok_only=False)
    fake_slack.assert_quiet("chat.postMessage", within=1.5)  # not retried: it can never work
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert health(slack_app)[1]["outbox"]["failed_last_day"] == 1
    assert not slack_app.runtime.db.in_thread("C0GONE0002", payload["event"]["ts"])


def test_with_the_database_down_events_are_refused_503_and_answered_once_when_it_is_back(
    fake_slack: FakeSlack, tmp_path: Path, answered_question: tuple[str, Answer]
) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    with running_app(fake_slack, folder / "bot.db") as app:
        fake_slack.reset()
        shutil.move(folder, tmp_path / "away")  # the database disappears
        app.runtime.engine.dispose()
        status, report = health(app)
        assert status == 503 and report["database"].startswith("unavailable")
        payloads = [sr.app_mention(answered_question[0]), sr.direct_message(answered_question[0])]
        assert [app.sender.event(p).status for p in payloads] == [503, 503]  # Slack will retry them
        shutil.move(tmp_path / "away", folder)  # back
        assert health(app)[0] == 200
        for retry in (1, 2):
            assert [app.sender.event(p, retry_num=retry).status for p in payloads] == [200, 200]
        fake_slack.wait_for("chat.postMessage", count=2, timeout=10)
        fake_slack.assert_quiet("chat.postMessage", within=1.0)
        assert len(fake_slack.calls_to("chat.postMessage")) == 2


# ---------------------------------------------------------------------------- buttons, once


def refusal_message(app: RunningApp, fake: FakeSlack, question: str) -> dict:
    app.sender.event(sr.app_mention(question, ts="1710000300.000100"))
    [call] = fake.wait_for("chat.postMessage")
    fake.reset()
    return {
        "type": "message",
        "ts": call.reply["ts"],
        "thread_ts": "1710000300.000100",
        "user": BOT_USER_ID,
        "bot_id": "BBOTFAKE01",
        "blocks": call.body["blocks"],
    }


def test_a_suggestion_clicked_three_times_is_posted_once(
    slack_app: RunningApp, fake_slack: FakeSlack, refused_question: tuple[str, Answer]
) -> None:
    message = refusal_message(slack_app, fake_slack, refused_question[0])
    button = next(b for b in sr.buttons_in(message["blocks"]) if b["action_id"] == blocks.SUGGESTION)
    for n in range(3):
        click = sr.button_click(button, response_url=fake_slack.response_url(f"c{n}"), message=message)
        assert slack_app.sender.action(click).status == 200
    fake_slack.wait_for("chat.postMessage")
    fake_slack.assert_quiet("chat.postMessage", within=1.0)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    other = sr.button_click(button, response_url=fake_slack.response_url("other"), message=message, user="U0OTHER001")
    slack_app.sender.action(other)  # another person clicking it is another click
    fake_slack.wait_for("chat.postMessage", count=2)


def test_a_replayed_share_posts_once(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    slack_app.sender.command(sr.slash_command(answered_question[0], fake_slack.response_url("cmd"), user="U0SHARE002"))
    [private] = fake_slack.wait_for("response_url")
    button = next(b for b in sr.buttons_in(private.body["blocks"]) if b["action_id"] == blocks.SHARE)
    click = sr.button_click(button, response_url=fake_slack.response_url("s"), user="U0SHARE002", ephemeral=True)
    for _ in range(2):
        assert slack_app.sender.action(click).status == 200
    fake_slack.wait_for("response_url", count=3)
    fake_slack.assert_quiet("response_url", within=1.0)
    shared = [c for c in fake_slack.calls_to("response_url") if c.body.get("response_type") == "in_channel"]
    assert len(shared) == 1


def test_feedback_on_messages_or_entries_that_do_not_exist_is_not_stored(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    real = refusal_message(slack_app, fake_slack, answered_question[0])
    up = next(b for b in sr.buttons_in(real["blocks"]) if b["action_id"] == blocks.FEEDBACK_UP)
    forged = [
        sr.button_click(
            {**up, "value": json.dumps({"e": "no-such-entry"})},
            response_url=fake_slack.response_url("a"),
            message={
                **real,
                "blocks": [{"type": "actions", "elements": [{**up, "value": json.dumps({"e": "no-such-entry"})}]}],
            },
        ),
        sr.button_click(
            up, response_url=fake_slack.response_url("b"), message={**real, "user": "U0SOMEONE1", "bot_id": None}
        ),
        sr.button_click(up, response_url=fake_slack.response_url("c"), message={**real, "blocks": []}),
        sr.button_click(up, response_url=fake_slack.response_url("d"), message=real, user=""),
        sr.button_click(up, response_url=fake_slack.response_url("e"), message=real, user="U" + "X" * 300),
        sr.button_click(up, response_url=fake_slack.response_url("f"), message={**real, "ts": "9" * 300}),
    ]
    for click in forged:
        assert slack_app.sender.action(click).status == 200
    fake_slack.wait_for("response_url", count=4)  # "not recorded", once per (message, button, user)
    time.sleep(0.5)
    assert (slack_app.runtime.db.stats().helpful, slack_app.runtime.db.stats().not_helpful) == (0, 0)
    slack_app.sender.action(sr.button_click(up, response_url=fake_slack.response_url("ok"), message=real))
    deadline = time.monotonic() + 5
    while slack_app.runtime.db.stats().helpful == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert slack_app.runtime.db.stats().helpful == 1


def test_replies_a_crashed_process_held_are_delivered_once_its_lease_runs_out(
    fake_slack: FakeSlack, tmp_path: Path, answered_question: tuple[str, Answer]
) -> None:
    """A process that wrote a reply (and an event it received but never decided) and died: no clean
    stop, its leases still held. The next process waits for the leases, then delivers each once."""
    from bot.db import make_engine
    from bot.slack.store import Reply, SlackStore, ensure_tables

    engine = make_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    ensure_tables(engine)
    dead = SlackStore(engine)
    message = {"text": "decided before the crash", "blocks": []}
    assert dead.add_replies(
        [Reply("event:EvCRASH1", "post", {"channel": "C0CRASH001", "thread_ts": "1.1"}, message)], lease=3
    )
    received = {
        "kind": "mention",
        "event_id": "EvCRASH2",
        "bot_user_id": BOT_USER_ID,
        "event": {"channel": "C0CRASH002", "ts": "2.2", "text": answered_question[0], "user": "U0ASKER001"},
    }
    assert dead.receive(["message:C0CRASH002:2.2"], "event:EvCRASH2", received, lease=3)
    engine.dispose()
    with running_app(fake_slack, tmp_path / "bot.db") as app:
        calls = fake_slack.wait_for("chat.postMessage", count=2, timeout=20)
        assert sorted(c.body["channel"] for c in calls) == ["C0CRASH001", "C0CRASH002"]
        app.sender.event(sr.event_callback(received["event"] | {"type": "app_mention"}, "EvCRASH2"), retry_num=2)
        fake_slack.assert_quiet("chat.postMessage", within=1.5)
        assert len(fake_slack.calls_to("chat.postMessage")) == 2
