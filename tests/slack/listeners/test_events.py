"""Events over real HTTP: @mentions answered in the thread, usage, App Home, bots and edits ignored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answer import Answer
from bot.engine import Answerer
from bot.kb.store import KnowledgeStore
from bot.render_text import example_questions
from bot.schedule import wiring
from bot.slack import blocks
from bot.slack.mrkdwn import safe
from tests.support import slack_requests as sr
from tests.support.fake_slack import BOT_ID, BOT_USER_ID, FakeSlack
from tests.support.kb_copy import copy_kb, edit_yaml, first_faq_file
from tests.support.slack_app import RunningApp, running_app


def test_url_verification_echoes_the_challenge(slack_app: RunningApp) -> None:
    result = slack_app.sender.post_json({"type": "url_verification", "token": "t", "challenge": "abc123"})
    assert result.status == 200 and "abc123" in result.body


def test_mention_in_a_channel_is_answered_in_a_new_thread_under_it(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    question, answer = answered_question
    result = slack_app.sender.event(sr.app_mention(question, channel="C0GENERAL1", ts="1710000001.000100"))
    assert result.status == 200
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.body["channel"] == "C0GENERAL1"
    assert call.body["thread_ts"] == "1710000001.000100"
    assert call.token == sr.BOT_TOKEN
    assert call.body["text"]  # plain fallback
    shown = sr.text_of(call.body["blocks"])
    assert safe(answer.text or "")[:50] in shown
    assert safe(answer.sources[0].title) in shown
    feedback = [b for b in sr.buttons_in(call.body["blocks"]) if b["action_id"] == blocks.FEEDBACK_UP]
    assert json.loads(feedback[0]["value"])["e"] == answer.entry_id


def test_mention_inside_a_thread_is_answered_in_that_thread(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    question, _ = answered_question
    slack_app.sender.event(sr.app_mention(question, ts="1710000002.000200", thread_ts="1710000000.000001"))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == "1710000000.000001"


def test_refusal_shows_suggestions_as_buttons(
    slack_app: RunningApp, fake_slack: FakeSlack, refused_question: tuple[str, Answer]
) -> None:
    question, answer = refused_question
    slack_app.sender.event(sr.app_mention(question))
    [call] = fake_slack.wait_for("chat.postMessage")
    buttons = [b for b in sr.buttons_in(call.body["blocks"]) if b["action_id"] == blocks.SUGGESTION]
    assert [json.loads(b["value"])["e"] for b in buttons] == [s.id for s in answer.suggestions]


@pytest.mark.parametrize("text", ["", "help", "  帮助 "])
def test_empty_mention_or_help_gives_usage_with_examples(
    slack_app: RunningApp, fake_slack: FakeSlack, answerer: Answerer, text: str
) -> None:
    slack_app.sender.event(sr.app_mention(text))
    [call] = fake_slack.wait_for("chat.postMessage")
    shown = sr.text_of(call.body["blocks"])
    assert "@我" in shown
    for question in example_questions(answerer.kb):
        assert safe(question) in shown


def test_knowledge_base_text_cannot_ping_anyone(fake_slack: FakeSlack, tmp_path: Path) -> None:
    """Whatever an entry's answer or a document's title says, `<!channel>` and `<@U…>` reach Slack escaped."""
    kb_dir, seeds_dir = copy_kb(tmp_path)
    faq = first_faq_file(kb_dir)
    hostile = "<!channel> <!here> <@U0VICTIM1> & <https://x.example|点>"

    def poison_answer(data: dict) -> None:
        data["entries"][0]["answer"] = hostile + " " + data["entries"][0]["answer"]

    def poison_titles(data: dict) -> None:
        for document in data["documents"]:
            document["title"] = "<!here> " + document["title"]

    edit_yaml(faq, poison_answer)
    edit_yaml(kb_dir / "documents.yaml", poison_titles)
    store = KnowledgeStore(kb_dir, seeds_dir)
    question = store.answerer().kb.entries[0].question
    with running_app(fake_slack, tmp_path / "bot.db", store=store) as app:
        app.sender.event(sr.app_mention(question))
        [call] = fake_slack.wait_for("chat.postMessage")
    raw = json.dumps(call.body, ensure_ascii=False)
    for live in ("<!channel>", "<!here>", "<@U0VICTIM1>", "<https://"):
        assert live not in raw
    shown = sr.text_of(call.body["blocks"])
    assert "&lt;!channel&gt;" in shown and "&lt;!here&gt;" in shown


@pytest.mark.parametrize(
    "event",
    [
        {"user": BOT_USER_ID},  # the bot itself
        {"bot_id": "B0OTHER001"},  # another bot
        {"bot_id": BOT_ID},
    ],
)
def test_mentions_from_bots_are_ignored(slack_app: RunningApp, fake_slack: FakeSlack, event: dict) -> None:
    payload = sr.app_mention("天津的补贴是多少")
    payload["event"].update(event)
    assert slack_app.sender.event(payload).status == 200
    fake_slack.assert_quiet("chat.postMessage")


def test_app_home_shows_documents_examples_and_deadlines(
    slack_app: RunningApp, fake_slack: FakeSlack, answerer: Answerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    monkeypatch.setattr(
        wiring,
        "upcoming_deadlines",
        lambda settings, now, limit=5: [
            {"id": "d1", "title": "季度报告", "due": date(2030, 3, 31), "days_left": 7, "status": "upcoming"}
        ],
    )
    slack_app.sender.event(sr.app_home_opened(user="U0HOME0001"))
    [call] = fake_slack.wait_for("views.publish")
    assert call.body["user_id"] == "U0HOME0001"
    view = call.body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home"
    shown = sr.text_of(view["blocks"])
    kb = answerer.kb
    for seed, count in kb.entries_per_seed().items():
        assert f"{safe(kb.document_title(seed))}：{count} 条" in shown
    assert safe(example_questions(kb)[0]) in shown
    assert "季度报告 — 2030-03-31（还有 7 天）" in shown


def test_app_home_still_renders_when_deadlines_fail(
    slack_app: RunningApp, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("deadlines file unreadable")

    monkeypatch.setattr(wiring, "upcoming_deadlines", broken)
    slack_app.sender.event(sr.app_home_opened())
    [call] = fake_slack.wait_for("views.publish")
    assert "暂无" in json.dumps(call.body, ensure_ascii=False)


def test_messages_tab_open_does_not_publish_home(slack_app: RunningApp, fake_slack: FakeSlack) -> None:
    slack_app.sender.event(sr.app_home_opened(tab="messages"))
    fake_slack.assert_quiet("views.publish")
