"""DingTalk rendering: markdown with the source quote and the asker @mentioned; ActionCards in 1:1 chats."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import unquote

from bot.answer import Answer, Outcome, SourceQuote, Suggestion
from bot.chat.messages import Reply
from bot.dingtalk import render
from bot.dingtalk.markdown import safe
from bot.engine import Answerer
from bot.render_text import REFUSAL, example_questions
from tests.support.answers import answered, refused

HOSTILE = "[点这里](https://evil.example) ![img](https://evil.example/x.png) <font color=red>大字</font>"


def test_a_group_answer_is_markdown_with_title_quote_and_the_asker_mentioned(answerer: Answerer) -> None:
    body = render.answer_body(answered(), answerer.kb, mention="user001", private=False)
    assert body["msgtype"] == "markdown"
    text = body["markdown"]["text"]
    assert "答案正文" in text and "文件标题" in text and "“原文引用”" in text
    assert text.rstrip().endswith("@user001")  # DingTalk shows the mention only if the text carries it
    assert body["at"] == {"atUserIds": ["user001"], "isAtAll": False}
    assert body["markdown"]["title"] == "问题？"


def test_a_private_answer_mentions_nobody_and_its_suggestions_send_the_question(answerer: Answerer) -> None:
    body = render.answer_body(answered(), answerer.kb, mention=None, private=True)
    assert "at" not in body and "@" not in body["markdown"]["text"]
    [link] = [line for line in body["markdown"]["text"].splitlines() if render.SEND_LINK in line]
    assert unquote(link.split(render.SEND_LINK)[1].rstrip(")")) == "相关的问题"


def test_a_refusal_in_a_private_chat_is_an_action_card_with_one_button_per_suggestion(answerer: Answerer) -> None:
    answer = refused(Suggestion("a", "第一个相近问题"), Suggestion("b", "第二个相近问题"))
    body = render.answer_body(answer, answerer.kb, mention=None, private=True)
    assert body["msgtype"] == "actionCard"
    card = body["actionCard"]
    assert REFUSAL in card["text"]
    assert [unquote(b["actionURL"].removeprefix(render.SEND_LINK)) for b in card["btns"]] == [
        "第一个相近问题",
        "第二个相近问题",
    ]


def test_a_refusal_in_a_group_lists_the_suggestions_without_links_and_mentions_the_asker(answerer: Answerer) -> None:
    answer = refused(Suggestion("a", "第一个相近问题"))
    body = render.answer_body(answer, answerer.kb, mention="user001", private=False)
    assert body["msgtype"] == "markdown"
    text = body["markdown"]["text"]
    assert REFUSAL in text and "- 第一个相近问题" in text and render.SEND_LINK not in text
    assert body["at"]["atUserIds"] == ["user001"]


def test_knowledge_base_and_user_text_cannot_make_links_images_or_html(answerer: Answerer) -> None:
    answer = replace(answered(text=HOSTILE, quote=HOSTILE), asked=HOSTILE)
    body = render.answer_body(replace(answer, parts=(answer,)), answerer.kb, mention="u", private=False)
    text = body["markdown"]["text"]
    assert "](" not in text and "<font" not in text
    assert "点这里" in text and "大字" in text  # the words are still shown


def test_safe_keeps_line_breaks_as_breaks_dingtalk_shows() -> None:
    assert safe("第一行\n第二行") == "第一行  \n第二行"


def test_traditional_questions_get_traditional_labels(answerer: Answerer) -> None:
    body = render.answer_body(answered(traditional=True), answerer.kb, mention=None, private=True)
    assert "來源" in body["markdown"]["text"] and "来源" not in body["markdown"]["text"]


def test_not_stated_shows_what_the_documents_say_and_no_refusal(answerer: Answerer) -> None:
    answer = Answer(
        Outcome.NOT_STATED,
        text="文件提到了这个话题，但没有写明您问的具体名单。",
        sources=(SourceQuote("000-x.txt", "原文引用", "文件标题"),),
        related=Suggestion("e-1", "问题？"),
    )
    text = render.answer_body(answer, answerer.kb, mention="u", private=False)["markdown"]["text"]
    assert "没有写明" in text and "原文引用" in text and REFUSAL not in text


def test_several_questions_each_under_its_own_heading(answerer: Answerer) -> None:
    first = replace(answered("第一个答案"), asked="第一个问题")
    second = replace(refused(), asked="第二个问题")
    body = render.answer_body(replace(first, parts=(first, second)), answerer.kb, mention="u", private=False)
    text = body["markdown"]["text"]
    assert text.index("第一个问题") < text.index("第一个答案") < text.index("第二个问题") < text.index(REFUSAL)


def test_an_empty_question_gets_usage_with_examples_from_the_knowledge_base(answerer: Answerer) -> None:
    body = render.answer_body(Answer(Outcome.EMPTY), answerer.kb, mention="u", private=False)
    assert example_questions(answerer.kb)[0] in body["markdown"]["text"]


def test_long_answers_stay_within_dingtalks_limits(answerer: Answerer) -> None:
    body = render.answer_body(answered(text="长" * 10000, quote="引" * 5000), answerer.kb, mention="u", private=False)
    assert len(body["markdown"]["text"]) <= render.TEXT_LIMIT
    assert body["markdown"]["text"].endswith("@u")  # the mention survives the cut
    assert len(body["markdown"]["title"]) <= render.TITLE_LIMIT


def test_what_is_due_is_a_markdown_list(answerer: Answerer) -> None:
    text = "截止事项提醒（2026-12-05）：1 项\n• 天津：每年新增100家智能工厂：2026-12-31，还有 26 天"
    body = render.reply_body(Reply("deadlines", text=text), answerer.kb, mention="u", private=False)
    assert body["markdown"]["title"] == "截止事项"
    assert "天津：每年新增100家智能工厂" in body["markdown"]["text"]
