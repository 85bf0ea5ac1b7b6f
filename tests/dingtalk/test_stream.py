"""The SDK's Stream client against the fake gateway: connection, frames, ACKs."""

from __future__ import annotations

import json
import threading

from bot.config import DingTalkSettings
from bot.dingtalk.message import DingTalkMessage
from bot.dingtalk.stream import StreamRunner
from tests.support.fake_dingtalk import FakeDingTalk, chatbot_payload


def test_the_sdk_opens_a_connection_with_our_credentials_and_acks_a_chatbot_message(
    fake_dingtalk: FakeDingTalk, dingtalk_settings: DingTalkSettings
) -> None:
    received: list[DingTalkMessage] = []
    runner = StreamRunner(dingtalk_settings, received.append).start()
    try:
        fake_dingtalk.wait_connected()
        [opened] = fake_dingtalk.of("open")
        assert opened.body["clientId"] == dingtalk_settings.client_id
        assert {"type": "CALLBACK", "topic": "/v1.0/im/bot/messages/get"} in opened.body["subscriptions"]
        frame_id = fake_dingtalk.push(chatbot_payload("天津技改补贴多少", webhook=fake_dingtalk.webhook_url("s1")))
        [ack] = fake_dingtalk.wait_acks(1)
    finally:
        runner.stop()
    assert not runner.running
    assert ack["code"] == 200 and ack["headers"]["messageId"] == frame_id
    [message] = received
    assert message.text == "天津技改补贴多少" and message.is_group and message.addressed


def test_a_message_that_cannot_be_recorded_is_acked_500_so_dingtalk_redelivers_it(
    fake_dingtalk: FakeDingTalk, dingtalk_settings: DingTalkSettings
) -> None:
    def broken(message: DingTalkMessage) -> None:
        raise RuntimeError("database is down")

    runner = StreamRunner(dingtalk_settings, broken).start()
    try:
        fake_dingtalk.wait_connected()
        fake_dingtalk.push(chatbot_payload("问题", webhook=fake_dingtalk.webhook_url("s1")))
        [ack] = fake_dingtalk.wait_acks(1)
    finally:
        runner.stop()
    assert ack["code"] == 500
    assert "retry" in json.loads(ack["data"])["response"]


def test_wrong_credentials_never_connect(fake_dingtalk: FakeDingTalk, dingtalk_settings: DingTalkSettings) -> None:
    from dataclasses import replace

    called = threading.Event()
    runner = StreamRunner(replace(dingtalk_settings, client_secret="wrong"), lambda m: called.set()).start()
    try:
        fake_dingtalk.wait_for("open", 1, ok=False)
    finally:
        runner.stop()
    assert fake_dingtalk.connections == [] and not called.is_set()
