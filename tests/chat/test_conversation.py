"""The platform-neutral conversation rules, on the shipped knowledge base and a real SQLite file: the
same rules every adapter gets (Slack's end-to-end tests check them through Slack too)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.chat.conversation import Conversation
from bot.chat.deadlines import upcoming_text
from bot.chat.messages import Incoming
from bot.chat.store import ChatStore, ensure_tables
from bot.config import Settings
from bot.db import make_engine
from bot.schedule.ledger import Ledger
from tests.support.slack_app import shipped_store

ADMIN = "ou_admin"


@pytest.fixture
def conversation(tmp_path: Path) -> Iterator[Conversation]:
    url = f"sqlite:///{tmp_path / 'chat.db'}"
    engine = make_engine(url)
    ensure_tables(engine)
    core = Conversation(Settings(database_url=url), shipped_store(), ChatStore(engine))
    core.admins["feishu"] = frozenset({ADMIN})
    yield core
    engine.dispose()


@pytest.fixture(scope="module")
def question() -> str:
    answerer = shipped_store().answerer()
    for entry in answerer.kb.entries:
        if answerer.ask(entry.question).entry_id == entry.id:
            return entry.question
    raise AssertionError("no entry answers its own question")


def message(
    text: str,
    *,
    addressed: bool = True,
    direct: bool = False,
    thread: str | None = None,
    message_id: str = "om_1",
    sender: str = "ou_asker",
) -> Incoming:
    return Incoming("feishu", "tenant", "oc_group", message_id, sender, text, addressed, direct, thread)


def test_a_mention_is_answered_in_a_new_thread_the_bot_then_follows(conversation: Conversation, question: str) -> None:
    reply = conversation.respond(message(question))
    assert reply is not None and reply.answered
    assert (reply.thread, reply.new_thread) == ("om_1", True)
    assert [action.kind for action in reply.actions][:2] == ["up", "down"]
    followup = conversation.respond(message(question, addressed=False, thread="om_1", message_id="om_2"))
    assert followup is not None and followup.answered and followup.thread == "om_1"


def test_people_talking_in_the_bots_thread_get_no_reply(conversation: Conversation, question: str) -> None:
    conversation.respond(message(question))
    assert conversation.respond(message("明天谁去开会？", addressed=False, thread="om_1", message_id="om_2")) is None


def test_a_message_without_a_mention_outside_the_bots_threads_gets_no_reply(
    conversation: Conversation, question: str
) -> None:
    assert conversation.respond(message(question, addressed=False)) is None
    assert conversation.respond(message(question, addressed=False, thread="om_other")) is None


def test_a_direct_message_is_answered_without_a_thread(conversation: Conversation, question: str) -> None:
    reply = conversation.respond(message(question, direct=True))
    assert reply is not None and reply.answered and reply.thread is None and not reply.new_thread


def test_admin_commands_are_for_that_platforms_admins_only(conversation: Conversation) -> None:
    refused = conversation.respond(message("stats", direct=True))
    assert refused is not None and refused.kind == "not_admin"
    allowed = conversation.respond(message("统计", direct=True, sender=ADMIN))
    assert allowed is not None and allowed.kind == "stats" and allowed.stats is not None
    assert conversation.respond(message("help")).kind == "usage"  # type: ignore[union-attr]


def test_a_vote_is_one_per_person_and_message_and_a_suggestion_click_is_answered(
    conversation: Conversation, question: str
) -> None:
    reply = conversation.respond(message(question))
    assert reply is not None and reply.entry_id
    up = {"a": "up", "e": reply.entry_id, "t": 0}
    down = {"a": "down", "e": reply.entry_id, "t": 0}
    where = {"platform": "feishu", "channel": "oc_group", "message_id": "om_reply", "user": "ou_asker"}
    assert conversation.click(up, **where).vote == 1  # type: ignore[union-attr]
    assert conversation.click(down, **where).vote == -1  # type: ignore[union-attr]
    stats = conversation.db.stats()
    assert (stats.helpful, stats.not_helpful) == (0, 1)
    asked = conversation.click({"a": "ask", "e": reply.entry_id, "t": 0}, **where)
    assert asked is not None and asked.answer is not None and asked.answer.entry_id == reply.entry_id
    gone = conversation.click({"a": "ask", "e": "no-such-entry", "t": 0}, **where)
    assert gone is not None and gone.kind == "gone"
    assert conversation.click({"a": "rm -rf", "e": reply.entry_id}, **where) is None


@pytest.mark.parametrize("text", ["你能做什么？", "你是谁", "What can you do?", "怎么使用！"])
def test_asking_the_bot_what_it_does_gets_the_usage(conversation: Conversation, text: str) -> None:
    """These were matched against the FAQ and refused ("the documents do not say")."""
    reply = conversation.respond(message(text, direct=True))
    assert reply is not None and reply.kind == "usage"


def test_a_follow_up_in_the_bots_thread_is_read_with_the_answer_before_it(conversation: Conversation) -> None:
    """那天津的呢 alone names a place and asks nothing; after Pingdingshan's green factories it asks
    Tianjin's."""
    first = conversation.respond(message("平顶山绿色工厂有几家？"))
    assert first is not None and first.answer is not None and first.answer.entry_id == "pds-green-factory-list"
    assert conversation.db.thread_answer("oc_group", "om_1") == ("平顶山绿色工厂有几家？", "pds-green-factory-list")
    followup = conversation.respond(message("那天津的呢？", addressed=False, thread="om_1", message_id="om_2"))
    assert followup is not None and followup.answer is not None and followup.answer.entry_id == "tj-green-units"
    assert conversation.db.thread_answer("oc_group", "om_1") == ("平顶山绿色工厂有几家？", "tj-green-units")
    again = conversation.respond(message("那平顶山呢？", addressed=False, thread="om_1", message_id="om_3"))
    assert again is not None and again.answer is not None and again.answer.entry_id == "pds-green-factory-list"


@pytest.mark.parametrize("text", ["那你呢？", "明天谁去开会？", "那我们下午再说"])
def test_chatter_in_the_bots_thread_is_not_answered_from_the_answer_before_it(
    conversation: Conversation, text: str
) -> None:
    conversation.respond(message("平顶山绿色工厂有几家？"))
    assert conversation.respond(message(text, addressed=False, thread="om_1", message_id="om_2")) is None


@pytest.mark.parametrize("text", ["截止日期", "deadlines", "最近有哪些截止日期？"])
def test_asking_what_is_due_gets_the_digests_list(conversation: Conversation, text: str) -> None:
    """It used to go to the FAQ (截止时间 was answered with Shangqiu's timeline)."""
    reply = conversation.respond(message(text, direct=True))
    assert reply is not None and reply.kind == "deadlines"
    assert reply.text.startswith(("截止事项提醒", "未来90天没有截止事项"))


def test_the_list_of_what_is_due_is_the_digests_own(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'chat.db'}")
    text = upcoming_text(settings, now=datetime(2026, 12, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert text.startswith("截止事项提醒（2026-12-05）")
    assert "2026-12-31" in text and "还有 26 天" in text
    assert upcoming_text(settings, now=datetime(2099, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))).startswith("未来90天")
    assert not (tmp_path / "chat.db").exists(), "asking what is due creates no database"
    ledger = Ledger(make_engine(settings.database_url))
    ledger.ensure_tables()
    ledger.mark_done("tj-yearly-smart-factories", date(2026, 12, 31), "U0ADMIN")
    done = upcoming_text(settings, now=datetime(2026, 12, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert "2026-12-31" not in done, "an occurrence marked done is left out, as in the digest"


def test_a_follow_up_in_a_direct_message_is_read_with_the_answer_before_it(conversation: Conversation) -> None:
    first = conversation.respond(message("平顶山绿色工厂有几家？", direct=True))
    assert first is not None and first.answer is not None and first.answer.entry_id == "pds-green-factory-list"
    followup = conversation.respond(message("那天津的呢？", direct=True, message_id="om_2"))
    assert followup is not None and followup.answer is not None and followup.answer.entry_id == "tj-green-units"


def test_a_follow_up_in_a_thread_of_a_direct_message_is_read_with_the_answer_before_it(
    conversation: Conversation,
) -> None:
    conversation.respond(message("平顶山绿色工厂有几家？", direct=True))
    followup = conversation.respond(message("那天津的呢？", direct=True, thread="om_1", message_id="om_2"))
    assert followup is not None and followup.answer is not None and followup.answer.entry_id == "tj-green-units"
    assert followup.thread == "om_1", "the reply stays in the thread"
    kept = conversation.db.thread_answer("oc_group", "om_1")
    assert kept is not None and kept[1] == "tj-green-units", "the thread keeps its own context from then on"
    assert conversation.db.thread_answer("oc_group", "dm") == ("平顶山绿色工厂有几家？", "pds-green-factory-list")


def test_a_new_mention_from_a_sender_with_a_long_id_is_still_read_after_their_last_question(
    conversation: Conversation,
) -> None:
    sender = "ou_" + "x" * 80  # longer than the database keeps
    conversation.respond(message("平顶山绿色工厂有几家？", sender=sender))
    followup = conversation.respond(message("那天津的呢？", message_id="om_2", sender=sender))
    assert followup is not None and followup.answer is not None and followup.answer.entry_id == "tj-green-units"


def test_a_mention_in_the_bots_thread_is_read_with_the_answer_before_it(conversation: Conversation) -> None:
    conversation.respond(message("平顶山绿色工厂有几家？"))
    followup = conversation.respond(message("那天津的呢？", thread="om_1", message_id="om_2"))
    assert followup is not None and followup.answer is not None and followup.answer.entry_id == "tj-green-units"


@pytest.mark.parametrize("text", ["\ud800呢", "\x02那天津呢", "呢", "？？"])
def test_a_broken_follow_up_in_the_bots_thread_gets_no_reply_and_no_error(
    conversation: Conversation, text: str
) -> None:
    conversation.respond(message("平顶山绿色工厂有几家？"))
    assert conversation.respond(message(text, addressed=False, thread="om_1", message_id="om_2")) is None


def test_a_question_with_a_lone_surrogate_is_still_kept_as_the_threads_context(conversation: Conversation) -> None:
    conversation.respond(message("平顶山绿色工厂有几家？\ud800"))
    assert conversation.db.thread_answer("oc_group", "om_1") == ("平顶山绿色工厂有几家？", "pds-green-factory-list")
