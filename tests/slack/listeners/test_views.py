"""The question modal: submitting closes it (ack) and the answer arrives in the user's DM."""

from __future__ import annotations

import json

from bot.answer import Answer
from bot.slack import blocks
from bot.slack.mrkdwn import safe
from tests.support import slack_requests as sr
from tests.support.fake_slack import FakeSlack
from tests.support.slack_app import RunningApp


def submission(question: str, user: str = "U0MODAL001") -> dict:
    values = {blocks.ASK_BLOCK: {blocks.ASK_INPUT: {"type": "plain_text_input", "value": question}}}
    return sr.view_submission(blocks.ASK_MODAL, values, user=user)


def test_modal_question_is_answered_in_the_users_dm(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    question, answer = answered_question
    result = slack_app.sender.action(submission(question))
    assert result.status == 200 and result.body == ""  # an empty ack closes the modal
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.body["channel"] == "U0MODAL001"
    shown = sr.text_of(call.body["blocks"])
    assert safe(question) in shown and safe(answer.text or "")[:40] in shown


def test_modal_echo_is_escaped(slack_app: RunningApp, fake_slack: FakeSlack) -> None:
    slack_app.sender.action(submission("<!here> 补贴多少？"))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert "<!here>" not in json.dumps(call.body, ensure_ascii=False)
