"""Message events over real HTTP: DMs answered in the DM; follow-ups in the bot's threads; bots, edits
and deletions ignored; a mention that also arrives as a message event is answered once."""

from __future__ import annotations

import pytest

from bot.answer import Answer
from bot.slack.mrkdwn import safe
from tests.support import slack_requests as sr
from tests.support.fake_slack import BOT_USER_ID, FakeSlack
from tests.support.slack_app import RunningApp, running_app


def test_direct_message_is_answered_in_the_dm(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    question, answer = answered_question
    slack_app.sender.event(sr.direct_message(question, channel="D0DIRECT01"))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.body["channel"] == "D0DIRECT01"
    assert "thread_ts" not in call.body or call.body["thread_ts"] is None
    assert safe(answer.text or "")[:40] in sr.text_of(call.body["blocks"])


def test_direct_message_help_gives_usage(slack_app: RunningApp, fake_slack: FakeSlack) -> None:
    slack_app.sender.event(sr.direct_message("help"))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert "@我" in sr.text_of(call.body["blocks"])


def test_direct_message_asking_what_is_due_gets_the_deadlines(slack_app: RunningApp, fake_slack: FakeSlack) -> None:
    slack_app.sender.event(sr.direct_message("截止日期"))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert sr.text_of(call.body["blocks"]).startswith(("截止事项提醒", "未来90天没有截止事项"))


@pytest.mark.parametrize(
    ("channel", "thread"),
    [("D0DIRECT02", None), ("D0DIRECT03", "1700000100.000100")],
    ids=["in the DM", "in a thread of the DM"],
)
def test_a_follow_up_in_a_direct_message_is_read_with_the_answer_before_it(
    slack_app: RunningApp, fake_slack: FakeSlack, channel: str, thread: str | None
) -> None:
    """A reply in a thread of the DM too: its first follows up on the DM's last answered question."""
    slack_app.sender.event(sr.direct_message("平顶山绿色工厂有几家？", channel=channel, ts=thread))
    fake_slack.wait_for("chat.postMessage")
    fake_slack.reset()
    slack_app.sender.event(sr.direct_message("那天津的呢？", channel=channel, thread_ts=thread))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.body.get("thread_ts") == thread, "the reply stays where it was asked"
    assert "474家" in sr.text_of(call.body["blocks"])


def test_a_new_mention_that_follows_up_is_read_after_what_the_bot_last_answered_its_sender(
    slack_app: RunningApp, fake_slack: FakeSlack
) -> None:
    slack_app.sender.event(sr.app_mention("平顶山绿色工厂有几家？", channel="C0FOLLOW01"))
    fake_slack.wait_for("chat.postMessage")
    fake_slack.reset()
    slack_app.sender.event(sr.app_mention("那天津的呢？", channel="C0FOLLOW01"))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert "474家" in sr.text_of(call.body["blocks"])
    fake_slack.reset()
    slack_app.sender.event(sr.app_mention("那天津的呢？", channel="C0FOLLOW01", user="U0OTHER001"))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert "474家" not in sr.text_of(call.body["blocks"]), "not read after another member's question"


def answer_in_thread(app: RunningApp, fake: FakeSlack, question: str, thread: str) -> None:
    """The bot answers a mention, which starts its thread `thread`."""
    app.sender.event(sr.app_mention(question, ts=thread))
    fake.wait_for("chat.postMessage")
    fake.reset()


def test_follow_up_in_the_bots_thread_is_answered_without_a_mention(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    question, _ = answered_question
    answer_in_thread(slack_app, fake_slack, question, "1710000100.000100")
    slack_app.sender.event(sr.message(question, ts="1710000101.000100", thread_ts="1710000100.000100"))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == "1710000100.000100"


def test_a_follow_up_that_names_only_a_place_asks_the_threads_question_about_it(
    slack_app: RunningApp, fake_slack: FakeSlack
) -> None:
    """那天津的呢 alone asks nothing; in the thread of Pingdingshan's green factories it asks Tianjin's."""
    answer_in_thread(slack_app, fake_slack, "平顶山绿色工厂有几家？", "1710000105.000100")
    slack_app.sender.event(sr.message("那天津的呢？", ts="1710000106.000100", thread_ts="1710000105.000100"))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == "1710000105.000100"
    assert "474家" in sr.text_of(call.body["blocks"])


def test_refused_follow_up_without_a_mention_gets_no_reply(
    slack_app: RunningApp,
    fake_slack: FakeSlack,
    answered_question: tuple[str, Answer],
    refused_question: tuple[str, Answer],
) -> None:
    """Issue 9: a question the knowledge base does not answer, asked in the thread without a mention, is
    as likely meant for a colleague; the bot stays quiet (an @mention still gets the honest refusal)."""
    answer_in_thread(slack_app, fake_slack, answered_question[0], "1710000110.000100")
    slack_app.sender.event(sr.message(refused_question[0], thread_ts="1710000110.000100"))
    fake_slack.assert_quiet("chat.postMessage", within=0.5)
    slack_app.sender.event(sr.app_mention(refused_question[0], thread_ts="1710000110.000100"))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert "没有找到" in sr.text_of(call.body["blocks"])


# Issue 9's examples and more ("你吃饭了吗" shares 吃饭 with an entry's quote, "靠煤吃饭").
PEOPLE_TALKING = [
    "你吃饭了吗",
    "明天谁去开会？",
    "@张三 你看一下",
    "<@U0ZHANGSAN> 这个补贴你看一下",
    "好的，我下午问问",
    "谁有会议室的钥匙？",
    "哈哈哈",
    "那你呢？",  # elliptical, as a follow-up is, but it asks nothing of the thread's question
    "你们那边呢？",
]


@pytest.mark.parametrize("text", PEOPLE_TALKING)
def test_people_talking_to_each_other_in_a_bot_thread_get_no_reply(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer], text: str
) -> None:
    answer_in_thread(slack_app, fake_slack, answered_question[0], "1710000115.000100")
    assert slack_app.sender.event(sr.message(text, thread_ts="1710000115.000100")).status == 200
    fake_slack.assert_quiet("chat.postMessage", within=0.7)


def test_a_knowledge_base_question_that_mentions_a_colleague_is_left_to_them(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    answer_in_thread(slack_app, fake_slack, answered_question[0], "1710000116.000100")
    slack_app.sender.event(sr.message(f"<@U0COLLEAG1> {answered_question[0]}", thread_ts="1710000116.000100"))
    fake_slack.assert_quiet("chat.postMessage", within=0.5)


@pytest.mark.parametrize("chatter", ["谢谢！", "👍", "好的 收到"])
def test_chatter_in_the_bots_thread_gets_no_reply(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer], chatter: str
) -> None:
    answer_in_thread(slack_app, fake_slack, answered_question[0], "1710000120.000100")
    slack_app.sender.event(sr.message(chatter, thread_ts="1710000120.000100"))
    fake_slack.assert_quiet("chat.postMessage")


def test_follow_up_in_a_thread_the_bot_is_not_in_is_ignored(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    slack_app.sender.event(sr.message(answered_question[0], thread_ts="1710000130.000100"))
    slack_app.sender.event(sr.message(answered_question[0]))  # top level, no thread
    fake_slack.assert_quiet("chat.postMessage")


def test_follow_ups_can_be_switched_off(
    fake_slack: FakeSlack,
    tmp_path,
    answered_question: tuple[str, Answer],  # type: ignore[no-untyped-def]
) -> None:
    with running_app(fake_slack, tmp_path / "bot.db", thread_followups=False) as app:
        answer_in_thread(app, fake_slack, answered_question[0], "1710000140.000100")
        app.sender.event(sr.message(answered_question[0], thread_ts="1710000140.000100"))
        fake_slack.assert_quiet("chat.postMessage")


def test_follow_ups_survive_a_restart(
    fake_slack: FakeSlack,
    tmp_path,
    answered_question: tuple[str, Answer],  # type: ignore[no-untyped-def]
) -> None:
    with running_app(fake_slack, tmp_path / "bot.db") as app:
        answer_in_thread(app, fake_slack, answered_question[0], "1710000150.000100")
    with running_app(fake_slack, tmp_path / "bot.db") as app:
        app.sender.event(sr.message(answered_question[0], thread_ts="1710000150.000100"))
        [call] = fake_slack.wait_for("chat.postMessage")
        assert call.body["thread_ts"] == "1710000150.000100"


def test_mention_in_the_bots_thread_arriving_as_two_events_is_answered_once(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer]
) -> None:
    question = answered_question[0]
    answer_in_thread(slack_app, fake_slack, question, "1710000160.000100")
    ts = "1710000161.000100"
    slack_app.sender.event(sr.app_mention(question, ts=ts, thread_ts="1710000160.000100"))
    slack_app.sender.event(sr.message(f"<@{BOT_USER_ID}> {question}", ts=ts, thread_ts="1710000160.000100"))
    fake_slack.wait_for("chat.postMessage")
    fake_slack.assert_quiet("chat.postMessage", within=0.5)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize(
    "variant",
    [
        {"subtype": "message_changed"},
        {"subtype": "message_deleted"},
        {"subtype": "bot_message", "bot_id": "B0OTHER001", "user": None},
        {"subtype": "channel_join"},
        {"bot_id": "B0OTHER001"},
        {"user": BOT_USER_ID},
    ],
)
def test_bots_edits_and_deletions_are_ignored(
    slack_app: RunningApp, fake_slack: FakeSlack, answered_question: tuple[str, Answer], variant: dict
) -> None:
    answer_in_thread(slack_app, fake_slack, answered_question[0], "1710000170.000100")
    kwargs = {"user": "U0ASKER001", **variant}
    assert slack_app.sender.event(sr.direct_message(answered_question[0], **kwargs)).status == 200
    assert (
        slack_app.sender.event(sr.message(answered_question[0], thread_ts="1710000170.000100", **kwargs)).status == 200
    )
    fake_slack.assert_quiet("chat.postMessage")
