"""Requests that are not Feishu's never reach the SDK or the core: a forged, stale, missing or
replayed-elsewhere signature is refused with 401 and nothing is answered."""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.request

import pytest

from tests.support import feishu_requests as fr
from tests.support.fake_feishu import FakeFeishu
from tests.support.feishu_app import RunningFeishu


@pytest.mark.parametrize(
    "how",
    ["forged signature", "stale timestamp", "future timestamp", "unsigned", "signed with another key"],
)
def test_a_callback_that_is_not_feishus_is_rejected_and_not_answered(
    feishu_app: RunningFeishu, fake_feishu: FakeFeishu, answered: tuple[str, str, str], how: str
) -> None:
    event = fr.message_event(answered[0])
    sender = feishu_app.sender
    if how == "forged signature":
        response = sender.post(event, signature="0" * 64)
    elif how == "stale timestamp":
        response = sender.post(event, timestamp=int(time.time()) - 6 * 60)
    elif how == "future timestamp":
        response = sender.post(event, timestamp=int(time.time()) + 6 * 60)
    elif how == "unsigned":
        response = sender.post(event, signed=False)
    else:
        response = fr.FeishuSender(feishu_app.url, encrypt_key="not-the-key").post(event)
    assert response.status in (400, 401)
    fake_feishu.assert_quiet(within=1.0)
    assert fake_feishu.calls("reply") == []
    # the same event, properly signed, is still answered: nothing was claimed by the forgery
    assert sender.post(event).status == 200
    fake_feishu.wait_for_posts(kind="reply")


def test_a_signed_body_changed_in_transit_is_rejected(
    feishu_app: RunningFeishu, answered: tuple[str, str, str]
) -> None:
    body = feishu_app.sender.body(fr.message_event(answered[0]))
    ts, nonce = str(int(time.time())), "n1"
    good = hashlib.sha256((ts + nonce + fr.ENCRYPT_KEY).encode() + body).hexdigest()
    tampered = body.replace(b'"}', b'" }')
    request = urllib.request.Request(
        feishu_app.sender.url,
        data=tampered,
        headers={"X-Lark-Request-Timestamp": ts, "X-Lark-Request-Nonce": nonce, "X-Lark-Signature": good},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=10)
    assert error.value.code == 401


def test_an_oversized_body_is_refused_before_it_is_read(feishu_app: RunningFeishu) -> None:
    response = feishu_app.sender.post(body=b"{" + b" " * (2 * 1024 * 1024) + b"}", signed=False)
    assert response.status == 413
