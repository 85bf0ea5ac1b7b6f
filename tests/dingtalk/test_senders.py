"""Sending to DingTalk: webhooks and the robot OpenAPI, DingTalk's "too fast" honoured, 20 a minute kept."""

from __future__ import annotations

import time

import pytest

from bot.config import DingTalkSettings
from bot.dingtalk.api import SEND_TOO_FAST, DingTalkError
from bot.dingtalk.ratelimit import RateLimiter
from bot.dingtalk.robot import RobotApi
from bot.dingtalk.webhook import WebhookSender
from tests.support.dingtalk_app import SHRUNK_WINDOW
from tests.support.fake_dingtalk import FakeDingTalk

BODY = {"msgtype": "markdown", "markdown": {"title": "t", "text": "正文"}}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limiter_gives_20_slots_a_minute_then_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(20, 60.0, clock=clock)
    assert [limiter.try_acquire("robot") for _ in range(20)] == [0.0] * 20
    assert limiter.try_acquire("robot") == pytest.approx(60.0)
    assert limiter.try_acquire("other robot") == 0.0
    clock.now += 30
    assert limiter.try_acquire("robot") == pytest.approx(30.0)
    clock.now += 30
    assert limiter.try_acquire("robot") == 0.0


def test_a_pause_holds_the_key_back_for_the_time_dingtalk_asked() -> None:
    clock = Clock()
    limiter = RateLimiter(20, 60.0, clock=clock)
    limiter.pause("robot", 600)
    assert limiter.try_acquire("robot") == pytest.approx(600)
    clock.now += 600
    assert limiter.try_acquire("robot") == 0.0


def test_a_webhook_reply_is_posted_as_is(fake_dingtalk: FakeDingTalk) -> None:
    WebhookSender().send(fake_dingtalk.webhook_url("s1"), BODY, limit_key="k")
    [call] = fake_dingtalk.of("webhook")
    assert call.body == BODY


def test_errcode_130101_is_a_retryable_rate_limit_and_pauses_the_conversation(fake_dingtalk: FakeDingTalk) -> None:
    sender = WebhookSender()
    fake_dingtalk.too_fast(1)
    with pytest.raises(DingTalkError) as error:
        sender.send(fake_dingtalk.webhook_url("s1"), BODY, limit_key="k")
    assert error.value.code == str(SEND_TOO_FAST) and error.value.retryable and error.value.rate_limited
    with pytest.raises(DingTalkError) as held:
        sender.send(fake_dingtalk.webhook_url("s1"), BODY, limit_key="k")
    assert held.value.rate_limited and held.value.retry_after > 30
    assert len(fake_dingtalk.of("webhook")) == 1  # the second never reached DingTalk


def test_the_21st_webhook_reply_within_a_minute_waits_instead_of_being_sent(fake_dingtalk: FakeDingTalk) -> None:
    sender = WebhookSender()
    for _ in range(20):
        sender.send(fake_dingtalk.webhook_url("s1"), BODY, limit_key="k")
    with pytest.raises(DingTalkError) as error:
        sender.send(fake_dingtalk.webhook_url("s1"), BODY, limit_key="k")
    assert error.value.retryable and 50 < error.value.retry_after <= 62
    assert len(fake_dingtalk.of("webhook", ok=True)) == 20 and not fake_dingtalk.of("webhook", ok=False)


def test_an_expired_webhook_is_not_called() -> None:
    with pytest.raises(DingTalkError) as error:
        WebhookSender().send("http://127.0.0.1:9/never", BODY, limit_key="k", expires_at=time.time() - 1)
    assert error.value.code == "webhook_expired" and not error.value.retryable


def test_the_robot_api_fetches_one_token_and_sends_markdown_to_the_group(
    fake_dingtalk: FakeDingTalk, dingtalk_settings: DingTalkSettings
) -> None:
    api = RobotApi(dingtalk_settings)
    key = api.send_group_markdown("cidGroup==", "截止事项提醒", "正文")
    api.send_group_markdown("cidGroup==", "截止事项提醒", "正文二")
    assert key.startswith("pqk-")
    assert len(fake_dingtalk.of("token")) == 1
    first = fake_dingtalk.of("group_send")[0].body
    assert first["robotCode"] == dingtalk_settings.robot_code and first["msgKey"] == "sampleMarkdown"
    assert first["openConversationId"] == "cidGroup=="


def test_the_robot_apis_429_is_honoured_as_a_pause(
    fake_dingtalk: FakeDingTalk, dingtalk_settings: DingTalkSettings
) -> None:
    api = RobotApi(dingtalk_settings)
    fake_dingtalk.too_fast(1)
    with pytest.raises(DingTalkError) as error:
        api.send_group_markdown("cidGroup==", "t", "x")
    assert error.value.rate_limited
    with pytest.raises(DingTalkError):
        api.send_group_markdown("cidGroup==", "t", "x", max_wait=1)  # paused: no slot within a second
    assert len(fake_dingtalk.of("group_send")) == 1


def test_the_robot_api_keeps_to_n_a_window_by_waiting(dingtalk_settings: DingTalkSettings) -> None:
    fake = FakeDingTalk(window=1.0).start()  # DingTalk's minute, shrunk to a second
    try:
        settings = DingTalkSettings.from_env(
            {
                "DINGTALK_CLIENT_ID": fake.client_id,
                "DINGTALK_CLIENT_SECRET": fake.client_secret,
                "DINGTALK_OPENAPI_ENDPOINT": fake.url,
            }
        )
        assert settings is not None
        api = RobotApi(settings, RateLimiter(20, SHRUNK_WINDOW))
        started = time.monotonic()
        for number in range(45):
            api.send_group_markdown("cidGroup==", "t", f"第{number}条")
        elapsed = time.monotonic() - started
    finally:
        fake.stop()
    assert len(fake.of("group_send", ok=True)) == 45 and not fake.of("group_send", ok=False)
    assert elapsed >= 2.0  # 45 messages at 20 a window need three windows


def test_wrong_credentials_are_an_error_that_names_dingtalks_code(dingtalk_settings: DingTalkSettings) -> None:
    from dataclasses import replace

    with pytest.raises(DingTalkError) as error:
        RobotApi(replace(dingtalk_settings, client_secret="wrong")).access_token()
    assert error.value.code == "invalidClientIdOrSecret" and not error.value.retryable
