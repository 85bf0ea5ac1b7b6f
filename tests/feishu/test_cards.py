"""Card buttons end to end: `card.action.trigger` answered within Feishu's 3 seconds; a vote recorded
once per person and message; a suggested question answered under the card, once however often clicked."""

from __future__ import annotations

import time

from bot.chat.messages import Reply
from bot.feishu.cards import render
from tests.support import feishu_requests as fr
from tests.support.fake_feishu import FakeFeishu
from tests.support.feishu_app import RunningFeishu
from tests.support.kb import shipped_answerer

CHAT = "oc_group0000000000000000000000000001"
USER = "ou_asker00000000000000000000000001"


def buttons(card: dict) -> list[dict]:
    return [b for element in card["elements"] if element["tag"] == "action" for b in element["actions"]]


def test_a_vote_is_acknowledged_at_once_and_counted_once_per_person(
    feishu_app: RunningFeishu, fake_feishu: FakeFeishu, answered: tuple[str, str, str]
) -> None:
    feishu_app.sender.post(fr.message_event(answered[0]))
    [reply] = fake_feishu.wait_for_posts(kind="reply")
    up, down = buttons(reply.card)[:2]
    click = fr.card_action(up["value"], message_id=reply.message_id or "", chat_id=CHAT, user=USER)
    started = time.monotonic()
    response = feishu_app.sender.post(click)
    assert time.monotonic() - started < 3.0
    assert response.status == 200 and response.json()["toast"]["type"] == "success"
    feishu_app.sender.post(click)  # the same click again
    feishu_app.sender.post(fr.card_action(down["value"], message_id=reply.message_id or "", chat_id=CHAT, user=USER))
    stats = feishu_app.services.core.db.stats()
    assert (stats.helpful, stats.not_helpful) == (0, 1)  # one vote, changed by the other button


def test_a_suggested_question_clicked_is_answered_under_the_card_once(
    feishu_app: RunningFeishu, fake_feishu: FakeFeishu, refused: tuple[str, list[str]]
) -> None:
    question, suggested = refused
    feishu_app.sender.post(fr.message_event(question))
    [refusal] = fake_feishu.wait_for_posts(kind="reply")
    asks = [b for b in buttons(refusal.card) if b["value"]["a"] == "ask"]
    assert [b["value"]["e"] for b in asks] == suggested
    click = fr.card_action(asks[0]["value"], message_id=refusal.message_id or "", chat_id=CHAT, user=USER)
    for _ in range(2):
        started = time.monotonic()
        response = feishu_app.sender.post(click)
        assert response.status == 200 and time.monotonic() - started < 3.0
    posts = fake_feishu.wait_for_posts(2, kind="reply")
    fake_feishu.assert_quiet(within=1.0)
    assert len(fake_feishu.posted("reply")) == 2
    assert posts[1].path == f"/open-apis/im/v1/messages/{refusal.message_id}/reply"
    assert any(b["value"] == {"a": "up", "e": suggested[0], "t": 0} for b in buttons(posts[1].card))


def test_a_forged_button_for_no_entry_records_nothing(feishu_app: RunningFeishu) -> None:
    click = fr.card_action({"a": "up", "e": "no-such-entry"}, message_id="om_x", chat_id=CHAT, user=USER)
    assert feishu_app.sender.post(click).status == 200
    stats = feishu_app.services.core.db.stats()
    assert (stats.helpful, stats.not_helpful) == (0, 0)


def test_what_is_due_is_a_card_with_the_list() -> None:
    text = "截止事项提醒（2026-12-05）：1 项\n• 天津：每年新增100家智能工厂：2026-12-31"
    card = render(Reply("deadlines", text=text), shipped_answerer().kb)
    assert "天津：每年新增100家智能工厂" in str(card)
