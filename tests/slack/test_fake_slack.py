"""The fake Web API behaves like Slack for the shared client: records calls, replays scripted failures."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.slack.client import make_web_client
from tests.support.fake_slack import BOT_USER_ID, FakeSlack


def client_for(fake: FakeSlack):
    return make_web_client(Settings(slack_bot_token="xoxb-test", slack_api_url=fake.url))


def test_post_message_is_recorded_with_its_body(fake_slack: FakeSlack) -> None:
    reply = client_for(fake_slack).chat_postMessage(channel="C1", text="hi", thread_ts="1.2", blocks=[])
    assert reply["ok"] and reply["channel"] == "C1" and reply["ts"]
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.body == {"channel": "C1", "text": "hi", "thread_ts": "1.2", "blocks": []}
    assert call.token == "xoxb-test"


def test_auth_test_names_the_bot(fake_slack: FakeSlack) -> None:
    assert client_for(fake_slack).auth_test()["user_id"] == BOT_USER_ID


def test_rate_limit_then_success_is_retried_after_retry_after(fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", retry_after=1)
    assert client_for(fake_slack).chat_postMessage(channel="C1", text="x")["ok"]
    calls = fake_slack.calls_to("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 0.9


def test_server_error_then_success_is_retried(fake_slack: FakeSlack) -> None:
    fake_slack.fail("chat.postMessage", status=500)
    assert client_for(fake_slack).chat_postMessage(channel="C1", text="x")["ok"]
    assert [c.status for c in fake_slack.calls_to("chat.postMessage")] == [500, 200]


def test_scripted_error_reaches_the_client(fake_slack: FakeSlack) -> None:
    fake_slack.error("chat.postMessage", "channel_not_found")
    with pytest.raises(SlackApiError) as raised:
        client_for(fake_slack).chat_postMessage(channel="CNOPE", text="x")
    assert raised.value.response["error"] == "channel_not_found"
    assert client_for(fake_slack).chat_postMessage(channel="C1", text="x")["ok"]  # only once


def test_missing_token_is_not_authed(fake_slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError):
        make_web_client(Settings(slack_api_url=fake_slack.url)).auth_test()


def test_response_url_posts_are_recorded(fake_slack: FakeSlack) -> None:
    import json
    import urllib.request

    request = urllib.request.Request(
        fake_slack.response_url("abc"),
        data=json.dumps({"text": "hello", "response_type": "ephemeral"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
    [call] = fake_slack.wait_for("response_url")
    assert call.body["text"] == "hello" and call.path == "/response/abc"
