"""Parsing what DingTalk delivers into the small dataclass the bot uses."""

from __future__ import annotations

from bot.dingtalk.message import parse
from tests.support.fake_dingtalk import chatbot_payload

HOOK = "https://oapi.dingtalk.com/robot/sendBySession?session=abc"


def test_a_group_mention_is_addressed_and_keeps_the_askers_staff_id() -> None:
    message = parse(chatbot_payload("  天津技改补贴多少", webhook=HOOK, sender="manager01", msg_id="msgA"))
    assert message is not None
    assert (message.msg_id, message.sender_id, message.text) == ("msgA", "manager01", "天津技改补贴多少")
    assert message.is_group and message.addressed
    assert message.session_webhook == HOOK and message.webhook_expires_at is not None


def test_other_mentions_before_the_question_are_removed_in_a_group() -> None:
    message = parse(chatbot_payload("@李四 @王五 技改贴息多少", webhook=HOOK))
    assert message is not None and message.text == "技改贴息多少"


def test_a_private_chat_is_always_addressed() -> None:
    message = parse(chatbot_payload("@李四 说的对吗", webhook=HOOK, group=False))
    assert message is not None
    assert not message.is_group and message.addressed
    assert message.text == "@李四 说的对吗"  # in a 1:1 chat nothing is addressing but the chat itself


def test_a_group_message_without_the_bot_in_its_at_list_is_not_addressed() -> None:
    message = parse(chatbot_payload("大家好", webhook=HOOK, at_bot=False))
    assert message is not None and not message.addressed


def test_rich_text_parts_are_joined_and_pictures_carry_no_text() -> None:
    data = chatbot_payload("", webhook=HOOK)
    data.pop("text")
    data["msgtype"] = "richText"
    data["content"] = {"richText": [{"text": "技改"}, {"downloadCode": "pic"}, {"text": "补贴多少"}]}
    message = parse(data)
    assert message is not None and message.text == "技改补贴多少"


def test_a_frame_without_a_message_id_or_with_a_broken_body_is_not_a_message() -> None:
    data = chatbot_payload("问题", webhook=HOOK)
    del data["msgId"]
    assert parse(data) is None
    assert parse({"msgtype": "text"}) is None  # text missing: the SDK's parser raises; we say "not a message"


def test_a_webhook_that_is_not_http_is_dropped() -> None:
    message = parse(chatbot_payload("问题", webhook="file:///etc/passwd"))
    assert message is not None and message.session_webhook is None
