"""Messages end to end: signed, encrypted callbacks into the real app; the fake Open API records what
Feishu would have posted."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import feishu_requests as fr
from tests.support.fake_feishu import FakeFeishu
from tests.support.feishu_app import RunningFeishu, running_feishu


def card_texts(card: dict) -> str:
    return json.dumps(card, ensure_ascii=False)


def test_a_group_mention_is_answered_once_in_its_thread_with_the_source_quote(
    feishu_app: RunningFeishu, fake_feishu: FakeFeishu, answered: tuple[str, str, str]
) -> None:
    question, entry_id, quote = answered
    event = fr.message_event(question)
    assert feishu_app.sender.post(event).status == 200
    [reply] = fake_feishu.wait_for_posts(kind="reply")
    message_id = event["event"]["message"]["message_id"]
    assert reply.path == f"/open-apis/im/v1/messages/{message_id}/reply"
    assert reply.body["msg_type"] == "interactive" and reply.body["reply_in_thread"] is True
    assert reply.body["uuid"]  # the outbox key's digest: Feishu drops a repeat
    text = card_texts(reply.card)
    assert quote.strip()[:40] in text
    buttons = [b for element in reply.card["elements"] if element["tag"] == "action" for b in element["actions"]]
    assert [b["value"]["a"] for b in buttons][:2] == ["up", "down"]
    assert all(b["value"]["e"] == entry_id for b in buttons[:2])
    fake_feishu.assert_quiet(within=1.0)


def test_a_direct_message_is_answered_without_a_thread(
    feishu_app: RunningFeishu, fake_feishu: FakeFeishu, answered: tuple[str, str, str]
) -> None:
    event = fr.message_event(
        answered[0], chat_type="p2p", chat_id="oc_p2p00000000000000000000000000001", mention_bot=False
    )
    assert feishu_app.sender.post(event).status == 200
    [reply] = fake_feishu.wait_for_posts(kind="reply")
    assert reply.body["reply_in_thread"] is False
    assert answered[2].strip()[:40] in card_texts(reply.card)


def test_the_url_verification_challenge_is_answered_only_with_the_right_token(feishu_app: RunningFeishu) -> None:
    ok = feishu_app.sender.post(fr.url_verification("c-1"), signed=False)
    assert (ok.status, ok.json()) == (200, {"challenge": "c-1"})
    wrong = feishu_app.sender.post(fr.url_verification("c-2", token="forged"), signed=False)
    assert wrong.status != 200 and b"c-2" not in wrong.body


def test_a_redelivered_message_is_answered_once(
    feishu_app: RunningFeishu, fake_feishu: FakeFeishu, answered: tuple[str, str, str]
) -> None:
    event = fr.message_event(answered[0])
    for _ in range(3):  # Feishu redelivers what it thinks was not received; same event id and message
        assert feishu_app.sender.post(event).status == 200
    again = fr.message_event(answered[0], message_id=event["event"]["message"]["message_id"])  # new event id
    assert feishu_app.sender.post(again).status == 200
    fake_feishu.wait_for_posts(kind="reply")
    fake_feishu.assert_quiet(within=1.5)
    assert len(fake_feishu.calls("reply")) == 1


def test_a_message_redelivered_to_another_instance_sharing_the_database_is_answered_once(
    fake_feishu: FakeFeishu, tmp_path: Path, answered: tuple[str, str, str]
) -> None:
    database = tmp_path / "shared.db"
    event = fr.message_event(answered[0])
    with running_feishu(fake_feishu, database) as first, running_feishu(fake_feishu, database) as second:
        assert first.sender.post(event).status == 200
        assert second.sender.post(event).status == 200
        fake_feishu.wait_for_posts(kind="reply")
        fake_feishu.assert_quiet(within=1.5)
    assert len(fake_feishu.calls("reply")) == 1


def test_people_talking_in_the_bots_thread_get_no_reply_but_a_question_there_does(
    feishu_app: RunningFeishu, fake_feishu: FakeFeishu, answered: tuple[str, str, str]
) -> None:
    event = fr.message_event(answered[0])
    root = event["event"]["message"]["message_id"]
    feishu_app.sender.post(event)
    fake_feishu.wait_for_posts(1, kind="reply")
    feishu_app.sender.post(fr.message_event("明天谁去开会？", root_id=root, mention_bot=False))
    feishu_app.sender.post(fr.message_event(answered[0], root_id=root, mention_bot=False))
    posts = fake_feishu.wait_for_posts(2, kind="reply")
    fake_feishu.assert_quiet(within=1.0)
    assert len(fake_feishu.posted("reply")) == 2
    assert answered[2].strip()[:40] in card_texts(posts[1].card)


def test_group_talk_outside_the_bots_threads_is_neither_answered_nor_stored(
    feishu_app: RunningFeishu, fake_feishu: FakeFeishu, answered: tuple[str, str, str]
) -> None:
    """With the scope to read every group message, Feishu sends all of them: only the bot's are kept."""
    plain = fr.message_event(answered[0], mention_bot=False)
    in_other_thread = fr.message_event(answered[0], mention_bot=False, root_id="om_someone_elses_thread")
    for event in (plain, in_other_thread):
        assert feishu_app.sender.post(event).status == 200
    fake_feishu.assert_quiet(within=1.0)
    assert fake_feishu.calls("reply") == []
    db = feishu_app.services.core.db
    for event in (plain, in_other_thread):
        assert db.claim([f"feishu:message:{event['event']['message']['message_id']}"], platform="feishu")
