"""The slash command over real HTTP: acked at once, the answer follows privately via response_url with
a button to share it; admin commands for BOT_ADMINS only."""

from __future__ import annotations

import json
import time
from pathlib import Path

from bot.answer import Answer
from bot.kb.store import KnowledgeStore
from bot.slack import blocks
from bot.slack.mrkdwn import safe
from tests.support import slack_requests as sr
from tests.support.fake_slack import FakeSlack
from tests.support.kb_copy import copy_kb, first_faq_file
from tests.support.slack_app import ADMIN, RunningApp, running_app


def test_command_is_acked_fast_and_answered_privately_with_a_share_button(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    question, answer = answered_question
    started = time.monotonic()
    result = slack_app.sender.command(sr.slash_command(question, fake_slack.response_url("cmd1")))
    assert result.status == 200 and time.monotonic() - started < 3
    [call] = fake_slack.wait_for("response_url")
    assert call.path == "/response/cmd1"
    assert call.body["response_type"] == "ephemeral"
    assert call.body["text"]
    shown = sr.text_of(call.body["blocks"])
    assert safe(answer.text or "")[:40] in shown
    assert safe(question) in shown  # the asker's question is echoed (escaped) above the answer
    ids = [b["action_id"] for b in sr.buttons_in(call.body["blocks"])]
    assert ids == [blocks.SHARE, blocks.FEEDBACK_UP, blocks.FEEDBACK_DOWN]
    assert not fake_slack.calls_to("chat.postMessage")  # nothing public


def test_command_echo_cannot_ping_the_channel(slack_app: RunningApp, fake_slack: FakeSlack) -> None:
    slack_app.sender.command(sr.slash_command("<!channel> <@U0VICTIM1> 补贴 &", fake_slack.response_url()))
    [call] = fake_slack.wait_for("response_url")
    raw = json.dumps(call.body, ensure_ascii=False)
    assert "<!channel>" not in raw and "<@U0VICTIM1>" not in raw
    assert "@\u2060channel" in sr.text_of(call.body["blocks"])


def test_empty_command_gives_usage(slack_app: RunningApp, fake_slack: FakeSlack) -> None:
    slack_app.sender.command(sr.slash_command("", fake_slack.response_url()))
    [call] = fake_slack.wait_for("response_url")
    assert "@我" in sr.text_of(call.body["blocks"])


def test_stats_for_admins_only(
    slack_app: RunningApp,
    fake_slack: FakeSlack,
    answered_question: tuple[str, Answer],
    refused_question: tuple[str, Answer],
) -> None:
    for question in (answered_question[0], refused_question[0], refused_question[0]):
        slack_app.sender.event(sr.app_mention(question))
    fake_slack.wait_for("chat.postMessage", count=3)

    slack_app.sender.command(sr.slash_command("stats", fake_slack.response_url("user"), user="U0NOTADMIN"))
    [refusal] = fake_slack.wait_for("response_url")
    assert "只有管理员" in sr.text_of(refusal.body["blocks"])

    slack_app.sender.command(sr.slash_command("stats", fake_slack.response_url("admin"), user=ADMIN))
    stats = fake_slack.wait_for("response_url", count=2)[1]
    shown = sr.text_of(stats.body["blocks"])
    assert "已回答：1" in shown and "未回答（文件没有答案）：2" in shown
    assert f"{safe(refused_question[0])}  ×2" in shown


def test_reload_keeps_the_last_good_knowledge_base_and_shows_file_and_line(
    fake_slack: FakeSlack, tmp_path: Path, answered_question: tuple[str, Answer]
) -> None:
    kb_dir, seeds_dir = copy_kb(tmp_path)
    store = KnowledgeStore(kb_dir, seeds_dir, check_interval=3600)
    question, answer = answered_question
    with running_app(fake_slack, tmp_path / "bot.db", store=store) as app:
        faq = first_faq_file(kb_dir)
        good = faq.read_text(encoding="utf-8")
        faq.write_text(good + "\n  - id: [broken\n", encoding="utf-8")
        app.sender.command(sr.slash_command("reload", fake_slack.response_url("r1"), user=ADMIN))
        [call] = fake_slack.wait_for("response_url")
        shown = sr.text_of(call.body["blocks"])
        assert "仍在使用上一个有效版本" in shown
        assert f"{faq}:" in shown  # file:line of the error

        app.sender.event(sr.app_mention(question))  # still answering from the last good version
        [reply] = fake_slack.wait_for("chat.postMessage")
        assert json.loads(sr.buttons_in(reply.body["blocks"])[0]["value"])["e"] == answer.entry_id

        faq.write_text(good, encoding="utf-8")  # fixed
        app.sender.command(sr.slash_command("reload", fake_slack.response_url("r2"), user=ADMIN))
        second = fake_slack.wait_for("response_url", count=2)[1]
        assert "知识库已重新加载" in sr.text_of(second.body["blocks"])


def test_reload_refused_for_non_admins(slack_app: RunningApp, fake_slack: FakeSlack) -> None:
    slack_app.sender.event(sr.app_mention("reload", user="U0NOTADMIN"))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert "只有管理员" in sr.text_of(call.body["blocks"])


def test_renamed_command_still_works(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    slack_app.sender.command(sr.slash_command(answered_question[0], fake_slack.response_url(), command="/zhengce"))
    assert fake_slack.wait_for("response_url")


def test_the_echoed_question_is_shown_literally_without_control_or_bidi_characters(
    slack_app: RunningApp, fake_slack: FakeSlack
) -> None:
    asked = "*粗体* `代码` ```块``` > 引用 _斜体_ ~删~ \u202eevil\u202c \x07bell\u200b 补贴"
    slack_app.sender.command(sr.slash_command(asked, fake_slack.response_url()))
    [call] = fake_slack.wait_for("response_url")
    echoed = [
        element
        for block in call.body["blocks"]
        if block["type"] == "context"
        for element in block["elements"]
        if "你问" in element.get("text", "")
    ]
    assert len(echoed) == 1 and echoed[0]["type"] == "plain_text"  # Slack never formats plain_text
    text = echoed[0]["text"]
    assert "*粗体* `代码` ```块``` > 引用 _斜体_ ~删~" in text
    assert not any(ch in text for ch in "\u202e\u202c\x07\u200b")
    assert "evil" in text and "bell" in text
