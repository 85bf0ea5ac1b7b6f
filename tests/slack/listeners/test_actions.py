"""Button clicks over real HTTP: feedback stored, suggestions answered where the refusal was, a private
answer shared to the channel, the App Home's ask button opening the modal."""

from __future__ import annotations

import json

from bot.answer import Answer
from bot.slack import blocks
from tests.support import slack_requests as sr
from tests.support.fake_slack import BOT_USER_ID, FakeSlack
from tests.support.slack_app import RunningApp


def posted_answer(app: RunningApp, fake: FakeSlack, question: str) -> dict:
    app.sender.event(sr.app_mention(question, ts="1710000200.000100"))
    [call] = fake.wait_for("chat.postMessage")
    fake.reset()
    return {
        "type": "message",
        "ts": call.reply["ts"],
        "thread_ts": "1710000200.000100",
        "user": BOT_USER_ID,
        "blocks": call.body["blocks"],
    }


def button(message_blocks: list, action_id: str) -> dict:
    return next(b for b in sr.buttons_in(message_blocks) if b["action_id"] == action_id)


def test_feedback_is_stored_and_acknowledged_privately(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    message = posted_answer(slack_app, fake_slack, answered_question[0])
    for user, action_id in [("U1", blocks.FEEDBACK_UP), ("U2", blocks.FEEDBACK_DOWN), ("U2", blocks.FEEDBACK_UP)]:
        payload = sr.button_click(
            button(message["blocks"], action_id),
            response_url=fake_slack.response_url(user),
            user=user,
            message=message,
        )
        assert slack_app.sender.action(payload).status == 200
    calls = fake_slack.wait_for("response_url", count=3)
    assert all(c.body["response_type"] == "ephemeral" and c.body["replace_original"] is False for c in calls)
    assert "谢谢" in sr.text_of(calls[0].body["blocks"])
    stats = slack_app.runtime.db.stats()
    assert (stats.helpful, stats.not_helpful) == (2, 0)  # U2 changed their vote


def test_thumbs_down_counts_against_the_entry(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    message = posted_answer(slack_app, fake_slack, answered_question[0])
    slack_app.sender.action(
        sr.button_click(
            button(message["blocks"], blocks.FEEDBACK_DOWN), response_url=fake_slack.response_url(), message=message
        )
    )
    fake_slack.wait_for("response_url")
    assert slack_app.runtime.db.stats().most_downvoted == [(answered_question[1].entry_id, 1)]


def test_clicking_a_suggestion_answers_it_in_the_same_thread(
    slack_app: RunningApp, fake_slack: FakeSlack, refused_question: tuple[str, Answer]
) -> None:
    question, refusal = refused_question
    message = posted_answer(slack_app, fake_slack, question)
    click = sr.button_click(
        button(message["blocks"], blocks.SUGGESTION), response_url=fake_slack.response_url(), message=message
    )
    assert slack_app.sender.action(click).status == 200
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.body["channel"] == "C0GENERAL1" and call.body["thread_ts"] == "1710000200.000100"
    value = json.loads(button(call.body["blocks"], blocks.FEEDBACK_UP)["value"])
    assert value["e"] == refusal.suggestions[0].id


def test_suggestion_under_a_private_answer_replaces_it_privately(
    slack_app: RunningApp, fake_slack: FakeSlack, refused_question: tuple[str, Answer]
) -> None:
    question, refusal = refused_question
    slack_app.sender.command(sr.slash_command(question, fake_slack.response_url("cmd")))
    [private] = fake_slack.wait_for("response_url")
    click = sr.button_click(
        button(private.body["blocks"], blocks.SUGGESTION), response_url=fake_slack.response_url("click"), ephemeral=True
    )
    slack_app.sender.action(click)
    replaced = fake_slack.wait_for("response_url", count=2)[1]
    assert replaced.path == "/response/click"
    assert replaced.body["replace_original"] is True and replaced.body["response_type"] == "ephemeral"
    assert json.loads(button(replaced.body["blocks"], blocks.SHARE)["value"])["e"] == refusal.suggestions[0].id
    assert not fake_slack.calls_to("chat.postMessage")


def test_share_posts_the_answer_to_the_channel_and_removes_the_private_copy(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    question, answer = answered_question
    slack_app.sender.command(sr.slash_command(question, fake_slack.response_url("cmd"), user="U0SHARER01"))
    [private] = fake_slack.wait_for("response_url")
    click = sr.button_click(
        button(private.body["blocks"], blocks.SHARE),
        response_url=fake_slack.response_url("s"),
        user="U0SHARER01",
        ephemeral=True,
    )
    slack_app.sender.action(click)
    shared, cleanup = fake_slack.wait_for("response_url", count=3)[1:]
    assert shared.body["response_type"] == "in_channel"
    shown = sr.text_of(shared.body["blocks"])
    assert "<@U0SHARER01> 分享了这条答案" in shown
    assert json.loads(button(shared.body["blocks"], blocks.FEEDBACK_UP)["value"])["e"] == answer.entry_id
    assert [b["action_id"] for b in sr.buttons_in(shared.body["blocks"])] == [blocks.FEEDBACK_UP, blocks.FEEDBACK_DOWN]
    assert cleanup.body["delete_original"] is True


def test_forged_or_stale_button_values_are_handled(slack_app: RunningApp, fake_slack: FakeSlack) -> None:
    click = sr.block_actions(
        {"action_id": blocks.SUGGESTION, "value": "{not json"}, response_url=fake_slack.response_url()
    )
    assert slack_app.sender.action(click).status == 200
    [call] = fake_slack.wait_for("response_url")
    assert "不在知识库" in sr.text_of(call.body["blocks"])


def test_home_ask_button_opens_the_question_modal(slack_app: RunningApp, fake_slack: FakeSlack) -> None:
    click = sr.block_actions({"action_id": blocks.HOME_ASK, "value": "{}"}, response_url=fake_slack.response_url())
    click["container"] = {"type": "view", "view_id": "VHOME"}
    assert slack_app.sender.action(click).status == 200
    [call] = fake_slack.wait_for("views.open")
    assert call.body["trigger_id"] == click["trigger_id"]
    view = call.body["view"]
    assert view["callback_id"] == blocks.ASK_MODAL
