"""Block Kit rendering: answers with sources and feedback, refusals with suggestion buttons, App Home."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from bot.answer import Answer, Outcome, SourceQuote, Suggestion
from bot.engine import Answerer
from bot.render_text import example_questions
from bot.slack import blocks
from tests.support.answers import answered, refused
from tests.support.slack_requests import buttons_in, text_of

HOSTILE = "<!channel> 请看 <@U0VICTIM1> & <https://evil.example|点这里>"


def test_answer_has_text_context_with_title_and_quote_and_feedback_buttons(answerer: Answerer) -> None:
    message = blocks.answer_message(answered(), answerer.kb)
    assert message["text"].startswith("答案正文")  # the plain fallback is always set
    shown = text_of(message["blocks"])
    assert "答案正文" in shown and "文件标题" in shown and "原文引用" in shown
    context = [b for b in message["blocks"] if b["type"] == "context" and "文件标题" in text_of([b])]
    assert context, "the source is shown in a context line"
    ids = [b["action_id"] for b in buttons_in(message["blocks"])]
    assert ids == [blocks.FEEDBACK_UP, blocks.FEEDBACK_DOWN]
    assert json.loads(buttons_in(message["blocks"])[0]["value"]) == {"e": "e-1", "t": 0}


def test_share_button_only_when_asked_for(answerer: Answerer) -> None:
    ids = [b["action_id"] for b in buttons_in(blocks.answer_message(answered(), answerer.kb, share=True)["blocks"])]
    assert ids[0] == blocks.SHARE


def test_knowledge_base_text_is_escaped(answerer: Answerer) -> None:
    message = blocks.answer_message(answered(text=HOSTILE, quote=HOSTILE), answerer.kb)
    everything = message["text"] + json.dumps(message["blocks"], ensure_ascii=False)
    assert "<!channel>" not in everything and "<@U0VICTIM1>" not in everything and "<https" not in everything
    assert "&lt;!channel&gt;" in text_of(message["blocks"])


def test_echoed_question_is_escaped(answerer: Answerer) -> None:
    message = blocks.answer_message(refused(), answerer.kb, asked=HOSTILE)
    shown = text_of(message["blocks"])
    assert "<" not in shown.replace("&lt;", "")
    assert "<!channel>" not in json.dumps(message, ensure_ascii=False)


def test_refusal_offers_each_suggestion_as_a_button(answerer: Answerer) -> None:
    message = blocks.answer_message(refused(Suggestion("a", "问题甲"), Suggestion("b", "问题乙")), answerer.kb)
    assert message["text"]
    buttons = buttons_in(message["blocks"])
    assert [b["action_id"] for b in buttons] == [blocks.SUGGESTION, blocks.SUGGESTION]
    assert [json.loads(b["value"])["e"] for b in buttons] == ["a", "b"]
    assert "问题甲" in text_of(message["blocks"])


def test_traditional_question_gets_traditional_labels(answerer: Answerer) -> None:
    message = blocks.answer_message(answered(traditional=True), answerer.kb)
    labels = [b["text"]["text"] for b in buttons_in(message["blocks"])]
    assert labels == ["👍 有幫助", "👎 沒幫助"]
    assert "來源" in text_of(message["blocks"])


def test_empty_answer_is_usage_with_examples_from_the_knowledge_base(answerer: Answerer) -> None:
    message = blocks.answer_message(Answer(Outcome.EMPTY), answerer.kb)
    for question in example_questions(answerer.kb):
        assert blocks.safe(question) in text_of(message["blocks"])


def test_long_texts_stay_within_block_kit_limits(answerer: Answerer) -> None:
    message = blocks.answer_message(answered(text="长" * 10_000, quote="引" * 10_000), answerer.kb)
    for block in message["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        for element in block.get("elements", []):
            if element.get("type") == "mrkdwn":
                assert len(element["text"]) <= 3000
            if element.get("type") == "button":
                assert len(element["text"]["text"]) <= 75 and len(element["value"]) <= 2000
    assert len(message["text"]) <= 4000


def test_button_value_tolerates_garbage() -> None:
    assert blocks.button_value("not json") == {}
    assert blocks.button_value("[1]") == {}
    assert blocks.button_value(None) == {}


def test_home_view_lists_documents_counts_examples_and_deadlines(answerer: Answerer) -> None:
    kb = answerer.kb
    deadlines = [
        {"id": "d1", "title": "清欠 <!here>", "due": date(2020, 6, 30), "days_left": 10, "status": "upcoming"},
        {"id": "d2", "title": "季报", "due": date(2020, 6, 20), "days_left": 0, "status": "due"},
        {"id": "d3", "title": "年报", "due": date(2020, 6, 1), "days_left": -19, "status": "overdue"},
    ]
    view = blocks.home_view(kb, deadlines)
    assert view["type"] == "home"
    shown = text_of(view["blocks"])
    for seed, count in kb.entries_per_seed().items():
        assert f"{blocks.safe(kb.document_title(seed))}：{count} 条" in shown
    assert blocks.safe(example_questions(kb)[0]) in shown
    assert "2020-06-30（还有 10 天）" in shown and "今天到期" in shown and "已逾期 19 天" in shown
    assert "<!here>" not in shown
    assert "暂无" in text_of(blocks.home_view(kb, [])["blocks"])


def test_reload_report_escapes_issues_and_says_the_old_version_is_kept() -> None:
    message = blocks.reload_message(["faq/x.yaml:3: [a<b] answer: bad <!channel>"], entries=10, documents=2)
    shown = text_of(message["blocks"])
    assert "仍在使用上一个有效版本" in shown and "faq/x.yaml:3" in shown and "<!channel>" not in shown
    assert "10 条" in text_of(blocks.reload_message([], entries=10, documents=2)["blocks"])


def not_stated() -> Answer:
    return Answer(
        Outcome.NOT_STATED,
        text="文件提到了这个话题（问题？），但没有写明您问的具体名单或名称。",
        score=0.8,
        sources=(SourceQuote("000-x.txt", "原文引用", "文件标题"),),
        related=Suggestion("e-1", "问题？"),
    )


def test_not_stated_says_so_shows_the_related_quote_and_offers_no_rating(answerer: Answerer) -> None:
    message = blocks.answer_message(not_stated(), answerer.kb)
    shown = text_of(message["blocks"])
    assert "没有写明" in shown and "原文引用" in shown and "文件标题" in shown
    assert blocks.REFUSAL not in shown
    assert not [
        b for b in buttons_in(message["blocks"]) if b["action_id"] in (blocks.FEEDBACK_UP, blocks.FEEDBACK_DOWN)
    ]


def test_several_questions_are_answered_in_one_reply_under_their_own_headings(answerer: Answerer) -> None:
    first = replace(answered("第一个答案"), asked="第一个问题")
    second = replace(not_stated(), asked="第二个问题")
    message = blocks.answer_message(replace(first, parts=(first, second)), answerer.kb)
    shown = text_of(message["blocks"])
    assert shown.index("第一个问题") < shown.index("第一个答案") < shown.index("第二个问题") < shown.index("没有写明")
    action_blocks = [b["block_id"] for b in message["blocks"] if b["type"] == "actions"]
    assert len(action_blocks) == len(set(action_blocks)) == 1  # the answered part only, ids unique


def test_a_refused_question_beside_an_answer_is_said_to_be_unanswered(answerer: Answerer) -> None:
    first = replace(answered("第一个答案"), asked="第一个问题")
    second = replace(refused(Suggestion("e-3", "也许是这个问题")), asked="第二个问题")
    message = blocks.answer_message(replace(first, parts=(first, second)), answerer.kb)
    shown = text_of(message["blocks"])
    assert shown.index("第一个答案") < shown.index("第二个问题") < shown.index(blocks.REFUSAL)
    assert blocks.REFUSAL in message["text"]
