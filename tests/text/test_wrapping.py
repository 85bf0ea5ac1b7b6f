"""Chat wrapping is removed and a message is split into its questions, with the shipped vocabulary."""

from __future__ import annotations

import pytest

from bot.kb.schema import WrappingGroup
from bot.text.wrapping import MAX_QUESTIONS, MessageCleaner, has_control_characters, without_surrogates
from tests.support.kb import shipped_answerer


def cleaner() -> MessageCleaner:
    return shipped_answerer().cleaner


def test_slack_message_wrapping_is_removed():
    message = (
        "<@U07ABC123> 各位好！\n麻烦问下 *天津技改项目* 补贴比例是多少？🙏 :pray:\n"
        "<https://example.gov.cn/a.html|文件链接> https://example.gov.cn/b\n写汇报材料要用，感谢"
    )
    assert cleaner().questions(message) == ["天津技改项目 补贴比例是多少"]


@pytest.mark.parametrize(
    "message",
    [
        "@政策助手 早上好，请问商丘的三换是什么？急用，周五前要回复",
        "請問商丘的三換是什麼？謝謝！",
        "> 商丘的三换是什么\n`谢谢`",
        # a link labelled "this document" says where the user read it, not what they ask about
        "想确认一下：<https://example.gov.cn/a.html|这个文件>里商丘的三换是什么？",
        # struck-out words were taken back
        "~平顶山~ 商丘的三换是什么？",
        # what the answer is for, in a clause of its own
        "@小智 商丘的三换是什么？\n标题要用 😂",
    ],
)
def test_greetings_politeness_urgency_and_quotes_leave_only_the_question(message):
    assert [q.replace(" ", "") for q in cleaner().questions(message)] == ["商丘的三换是什么"]


def test_a_range_written_with_tildes_is_not_struck_out():
    assert "5 10万元" in cleaner().clean("补贴5~10万元的项目有哪些")


def test_two_questions_are_split_and_at_most_three_kept():
    assert cleaner().questions("天津再贷款利率多少？商丘三换是什么？") == ["天津再贷款利率多少", "商丘三换是什么"]
    many = "？".join(f"问题{i}" for i in range(6))
    assert len(cleaner().questions(many)) == MAX_QUESTIONS


def test_only_wrapping_leaves_nothing():
    assert cleaner().questions("大家好！谢谢🙏") == [""]


def test_vocabulary_comes_from_the_yaml_groups():
    custom = MessageCleaner([WrappingGroup(kind="thanks", phrases=["感恩"], patterns=[r"第\d+次问"])])
    assert custom.clean("感恩 第3次问 天津补贴").strip() == "天津补贴"


def test_control_characters_and_surrogates_are_recognised():
    assert has_control_characters("\x02技改\x1a")
    assert not has_control_characters("技改\n补贴\t多少")
    assert without_surrogates("\ud800技改") == "技改"


def test_a_line_that_asks_nothing_is_context_for_the_one_that_asks():
    assert cleaner().questions("我们厂在天津，投了600万\n能补多少？") == ["我们厂在天津,投了600万 能补多少"]
    assert cleaner().questions("平顶山企业上云每家能补贴多少钱？\n俺们厂准备报") == [
        "平顶山企业上云每家能补贴多少钱 俺们厂准备报"
    ]


def test_numbered_topics_without_question_words_are_separate_questions():
    assert cleaner().questions("1. 天津技改补贴比例\n2. 商丘三换") == ["天津技改补贴比例", "商丘三换"]


@pytest.mark.parametrize("bullet", ["•", "-", "·", "●", "▶"])
def test_bulleted_topics_are_separate_questions_and_lose_their_bullets(bullet):
    message = f"{bullet} 天津技改补贴比例\n{bullet} 商丘三换"
    assert cleaner().questions(message) == ["天津技改补贴比例", "商丘三换"]


@pytest.mark.parametrize("message", ["5-10万元的项目有补贴吗", "天津技改 - 贴息多少"])
def test_a_dash_inside_a_line_is_no_bullet(message):
    assert cleaner().questions(message) == [message]


@pytest.mark.parametrize(
    "message",
    [
        "早上好～商丘的三换是什么？ 多谢~",  # a greeting's tilde and a closing one are no strike
        "早上好~商丘的三换是什么~",
        "hi bot，商丘的三换是什么",
        "商丘的三换是什么？周五前要，急",
        "急！！商丘的三换是什么",
        "商丘的三换是什么？？急！！！",
        "【急】商丘的三换是什么",
        "商丘的三换是什么（写汇报材料要用，感谢）",  # no empty brackets left behind
        "商丘的三换是什么？官网上没翻到",  # where the asker already looked
        "商丘的三换是什么？网上搜了半天没找到",
        "没找到。商丘的三换是什么",
    ],
)
def test_tildes_and_urgency_around_a_question_leave_it_whole(message):
    assert cleaner().questions(message) == ["商丘的三换是什么"]


def test_bold_inside_a_chinese_word_does_not_split_it():
    assert cleaner().questions("商丘*智能化*改造的补贴是多少") == ["商丘智能化改造的补贴是多少"]


def test_a_question_about_what_something_is_for_keeps_its_words():
    assert [q.replace(" ", "") for q in cleaner().questions("贴息资金要用在哪些方面")] == ["贴息资金要用在哪些方面"]


def test_english_wrapping_is_removed_only_as_whole_words():
    # "hi" is a greeting, not the middle of "Which"; "thx" ends a message, "this" stays
    assert cleaner().clean("Which city? thx").split() == ["Which", "city?"]
    assert cleaner().clean("Hi，this policy").replace(",", " ").split() == ["this", "policy"]


@pytest.mark.parametrize(
    "question",
    [
        "申报要准备材料吗",
        "申报技改项目手续麻烦吗",
        "领导要求怎么干",
        "各地党政主要领导要亲自干哪几件事",
        "每个县区要尽快打造什么样的场景",
        "这个试点马上要启动了吗",
        "东莞用机器人替代工人补贴多少",
        "企业急需解决哪些问题",
        "准备申报材料要用什么模板",
        "找不到供应商怎么办",
        "融资难,企业找不到",
    ],
)
def test_wrapping_words_inside_a_question_are_its_words(question):
    """准备材料, 麻烦, 领导要, 尽快 and 马上要 wrap a question only as a clause of their own (领导要数据，急):
    inside one they are what is asked (要准备材料吗 asks for the materials)."""
    assert cleaner().questions(question) == [question]


@pytest.mark.parametrize(
    "message",
    [
        "麻烦，天津技改补贴多少",
        "天津技改补贴多少？领导要数据，急",
        "天津技改补贴多少，请尽快回复",
        "天津技改补贴多少，尽快",
        "天津技改补贴多少？急需，谢谢",
    ],
)
def test_wrapping_clauses_are_still_removed(message):
    assert cleaner().questions(message) == ["天津技改补贴多少"]


def test_what_a_removed_link_leaves_is_one_space():
    """The question is shown back to the asker above its answer (【…】)."""
    assert cleaner().questions("天津这期访谈 <https://news.enorth.com.cn/> 上节目的副局长是谁？") == [
        "天津这期访谈 上节目的副局长是谁"
    ]
