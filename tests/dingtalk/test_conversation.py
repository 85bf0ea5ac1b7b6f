"""End to end over the SDK and the fake DingTalk: asked in a group or 1:1, answered once, via the webhook."""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import unquote

import pytest

from bot.chat.work import WorkQueue
from bot.dingtalk.ratelimit import RateLimiter
from bot.dingtalk.render import SEND_LINK
from bot.engine import Answerer
from bot.render_text import REFUSAL
from tests.dingtalk.conftest import database_urls
from tests.support.answers import own_question, refused_question
from tests.support.dingtalk_app import SHRUNK_WINDOW, running_dingtalk
from tests.support.fake_dingtalk import FakeDingTalk, chatbot_payload


def entry_question(answerer: Answerer) -> tuple[str, str, str]:
    """A question the core answers, with its answer text and first quote."""
    question, answer = own_question(answerer)
    return question, answer.text or "", answer.sources[0].quote


def unique(prefix: str) -> str:
    """Message ids unique across runs: the Postgres database is shared and never emptied."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.mark.parametrize("db", database_urls())
def test_a_group_mention_is_answered_once_with_the_quote_and_the_asker_mentioned(
    fake_dingtalk: FakeDingTalk, answerer: Answerer, db: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    question, text, quote = entry_question(answerer)
    with running_dingtalk(fake_dingtalk, db.replace("TMP", str(tmp_path))):
        fake_dingtalk.push(
            chatbot_payload(question, webhook=fake_dingtalk.webhook_url("g1"), sender="manager01", msg_id=unique("g"))
        )
        [call] = fake_dingtalk.wait_for("webhook", 1)
        fake_dingtalk.wait_acks(1)
    body = call.body
    assert body["msgtype"] == "markdown"
    assert text[:20] in body["markdown"]["text"] and quote.strip()[:20] in body["markdown"]["text"]
    assert body["at"]["atUserIds"] == ["manager01"] and "@manager01" in body["markdown"]["text"]
    assert len(fake_dingtalk.of("webhook")) == 1


def test_a_private_message_is_answered_without_a_mention(
    fake_dingtalk: FakeDingTalk, answerer: Answerer, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    question, text, _ = entry_question(answerer)
    with running_dingtalk(fake_dingtalk, f"sqlite:///{tmp_path / 'bot.db'}"):
        fake_dingtalk.push(chatbot_payload(question, webhook=fake_dingtalk.webhook_url("p1"), group=False))
        [call] = fake_dingtalk.wait_for("webhook", 1)
    assert text[:20] in call.body["markdown"]["text"] and "at" not in call.body


def test_an_off_topic_private_question_gets_the_refusal_with_suggestion_buttons(
    fake_dingtalk: FakeDingTalk, answerer: Answerer, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    question, answer = refused_question(answerer)
    with running_dingtalk(fake_dingtalk, f"sqlite:///{tmp_path / 'bot.db'}"):
        fake_dingtalk.push(chatbot_payload(question, webhook=fake_dingtalk.webhook_url("p1"), group=False))
        [call] = fake_dingtalk.wait_for("webhook", 1)
    card = call.body["actionCard"]
    assert REFUSAL in card["text"]
    assert [unquote(button["actionURL"].removeprefix(SEND_LINK)) for button in card["btns"]] == [
        item.question for item in answer.suggestions
    ]


def test_a_follow_up_in_a_group_is_read_after_what_the_bot_last_answered_its_sender(
    fake_dingtalk: FakeDingTalk, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """A DingTalk group has no threads: 那天津的呢？ follows the sender's own last question there."""
    with running_dingtalk(fake_dingtalk, f"sqlite:///{tmp_path / 'bot.db'}"):
        webhook = fake_dingtalk.webhook_url("g1")
        fake_dingtalk.push(chatbot_payload("平顶山绿色工厂有几家？", webhook=webhook, sender="manager01"))
        fake_dingtalk.wait_for("webhook", 1)
        fake_dingtalk.push(chatbot_payload("那天津的呢？", webhook=webhook, sender="manager01"))
        fake_dingtalk.wait_for("webhook", 2)
        fake_dingtalk.push(chatbot_payload("那天津的呢？", webhook=webhook, sender="manager02"))
        calls = fake_dingtalk.wait_for("webhook", 3)
    texts = [json.dumps(call.body, ensure_ascii=False) for call in calls]
    assert "474家" in texts[1], "the sender's follow-up is read after their question"
    assert "474家" not in texts[2], "another member's is not read after someone else's question"


def test_a_group_message_not_addressed_to_the_bot_is_acked_and_not_answered(
    fake_dingtalk: FakeDingTalk, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    with running_dingtalk(fake_dingtalk, f"sqlite:///{tmp_path / 'bot.db'}"):
        fake_dingtalk.push(chatbot_payload("大家好", webhook=fake_dingtalk.webhook_url("g1"), at_bot=False))
        fake_dingtalk.push(chatbot_payload("帮助", webhook=fake_dingtalk.webhook_url("g1")))
        fake_dingtalk.wait_for("webhook", 1)
        fake_dingtalk.wait_acks(2)
    [call] = fake_dingtalk.of("webhook")
    assert "怎么提问" in call.body["markdown"]["title"]  # the second message (help), not the first


@pytest.mark.parametrize("db", database_urls())
def test_a_redelivered_message_is_answered_once(
    fake_dingtalk: FakeDingTalk, answerer: Answerer, db: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    question, _, _ = entry_question(answerer)
    payload = chatbot_payload(question, webhook=fake_dingtalk.webhook_url("g1"), msg_id=unique("redelivered"))
    with running_dingtalk(fake_dingtalk, db.replace("TMP", str(tmp_path))):
        fake_dingtalk.push(payload)
        fake_dingtalk.push(payload)  # DingTalk thought the first was slow
        fake_dingtalk.push(payload, message_id="another-frame-same-message")
        fake_dingtalk.wait_acks(3)
        fake_dingtalk.wait_for("webhook", 1)
        later = chatbot_payload(question, webhook=fake_dingtalk.webhook_url("g1"), msg_id=unique("later"))
        fake_dingtalk.push(later)  # a marker: once its reply is in, the redeliveries had their chance
        fake_dingtalk.wait_for("webhook", 2)
    assert len(fake_dingtalk.of("webhook")) == 2
    assert all(ack["code"] == 200 for ack in fake_dingtalk.acks)


@pytest.mark.parametrize("db", database_urls())
def test_two_bot_instances_sharing_one_database_answer_a_redelivered_message_once(
    fake_dingtalk: FakeDingTalk, answerer: Answerer, db: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    question, _, _ = entry_question(answerer)
    url = db.replace("TMP", str(tmp_path))
    payloads = [
        chatbot_payload(question, webhook=fake_dingtalk.webhook_url(f"g{n}"), msg_id=unique(f"two-{n}"))
        for n in range(10)
    ]
    with running_dingtalk(fake_dingtalk, url), running_dingtalk(fake_dingtalk, url, connections=2):
        for payload in payloads:
            fake_dingtalk.push(payload, connection=0)
            fake_dingtalk.push(payload, connection=1)  # the redelivery reaches the other instance
        fake_dingtalk.wait_acks(20)
        fake_dingtalk.wait_for("webhook", 10)
        marker = chatbot_payload(question, webhook=fake_dingtalk.webhook_url("m"), msg_id=unique("marker"))
        fake_dingtalk.push(marker, connection=1)
        fake_dingtalk.wait_for("webhook", 11)
    sessions = sorted(call.path for call in fake_dingtalk.of("webhook"))
    assert len(sessions) == 11 and len(set(sessions)) == 11  # each message once


def test_replies_in_one_group_keep_to_20_a_minute_and_the_rest_follow(answerer: Answerer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    question, _, _ = entry_question(answerer)
    fake = FakeDingTalk(window=1.0).start()  # DingTalk's minute, shrunk to a second
    try:
        with running_dingtalk(fake, f"sqlite:///{tmp_path / 'bot.db'}", limiter=RateLimiter(20, SHRUNK_WINDOW)):
            started = time.monotonic()
            for number in range(25):
                fake.push(chatbot_payload(question, webhook=fake.webhook_url("busy-group"), sender=f"u{number}"))
            replies = fake.wait_for("webhook", 25, timeout=30)
    finally:
        fake.stop()
    assert not fake.of("webhook", ok=False)  # DingTalk never had to say "too fast"
    assert sorted(call.body["at"]["atUserIds"][0] for call in replies) == sorted(f"u{n}" for n in range(25))
    assert max(call.at for call in replies) - started >= 1.0  # five of them waited for the next window


@pytest.mark.parametrize("group", [True, False])
def test_a_reply_that_outlived_its_webhook_goes_through_the_robot_api(
    fake_dingtalk: FakeDingTalk, answerer: Answerer, tmp_path, group: bool
) -> None:  # type: ignore[no-untyped-def]
    question, text, _ = entry_question(answerer)
    expired = chatbot_payload(
        question, webhook=fake_dingtalk.webhook_url("old"), group=group, sender="manager01", expires_in=-60
    )
    with running_dingtalk(fake_dingtalk, f"sqlite:///{tmp_path / 'bot.db'}"):
        fake_dingtalk.push(expired)
        [call] = fake_dingtalk.wait_for("group_send" if group else "private_send", 1)
    assert not fake_dingtalk.of("webhook")
    assert text[:20] in json.loads(call.body["msgParam"])["text"]
    if group:
        assert call.body["openConversationId"] == expired["conversationId"]
    else:
        assert call.body["userIds"] == ["manager01"]


def test_a_message_a_stopped_process_had_received_is_answered_by_the_next(
    fake_dingtalk: FakeDingTalk, answerer: Answerer, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    question, text, _ = entry_question(answerer)
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    payload = chatbot_payload(question, webhook=fake_dingtalk.webhook_url("g1"), msg_id=unique("orphan"))
    stalled = WorkQueue(workers=0)  # it receives (claims and stores) but never gets to answer
    with running_dingtalk(fake_dingtalk, url, work=stalled):
        fake_dingtalk.push(payload)
        [ack] = fake_dingtalk.wait_acks(1)
    assert ack["code"] == 200 and not fake_dingtalk.of("webhook")
    with running_dingtalk(fake_dingtalk, url):  # a restart (or another instance): once the lease runs out
        fake_dingtalk.push(payload)  # DingTalk redelivers too: still one answer
        [call] = fake_dingtalk.wait_for("webhook", 1, timeout=30)
    assert text[:20] in call.body["markdown"]["text"]
    assert len(fake_dingtalk.of("webhook")) == 1


@pytest.mark.parametrize(("sender", "allowed"), [("boss01", True), ("user001", False)])
def test_admin_commands_follow_dingtalk_admins(
    fake_dingtalk: FakeDingTalk, tmp_path, sender: str, allowed: bool
) -> None:  # type: ignore[no-untyped-def]
    with running_dingtalk(fake_dingtalk, f"sqlite:///{tmp_path / 'bot.db'}", DINGTALK_ADMINS="boss01"):
        fake_dingtalk.push(chatbot_payload("统计", webhook=fake_dingtalk.webhook_url("p"), group=False, sender=sender))
        [call] = fake_dingtalk.wait_for("webhook", 1)
    text = call.body["markdown"]["text"]
    assert ("已回答" in text) is allowed and ("只有管理员" in text) is not allowed
