"""A space typed inside a word is taken out; a space between keywords stays."""

from __future__ import annotations

import pytest

from bot.match.rank import prepare
from bot.text.spacing import BOUNDARY, join_split_figures, join_split_words
from tests.support.kb import shipped_answerer

WORDS = {"部门", "三千", "资金"}


def test_a_space_inside_a_dictionary_word_is_removed():
    assert join_split_words("科技部 门帮企业", WORDS.__contains__) == "科技部门帮企业"
    assert join_split_words("接近三 千亿元", WORDS.__contains__) == "接近三千亿元"


def test_a_space_between_keywords_stays():
    assert join_split_words("商丘 三换", WORDS.__contains__) == "商丘 三换"
    assert join_split_words("tianjin 资金", WORDS.__contains__) == "tianjin 资金"  # not between Chinese


def test_a_space_between_two_words_stays_even_when_a_word_spans_it():
    """上设备，商丘市领导: the comma is a space by now, and 设备商 a word, so the clause's two words were
    joined into 设备商 (read as 设备供应商) and a lone 丘市. A space between two words stays, marked so that
    the call after the English is translated leaves it too, unless the two make a term of the knowledge
    base's (数字化 转型); 规划、设计 is no 规划设计, a word of jieba's only."""
    words = {"设备", "商丘", "设备商", "科技部", "部门", "数字化", "转型", "数字化转型", "规划", "设计", "规划设计"}
    terms = {"设备商", "数字化转型"}.__contains__
    marked = join_split_words("上设备 商丘市领导", words.__contains__, terms)
    assert marked == f"上设备{BOUNDARY}商丘市领导"
    assert join_split_words(marked, words.__contains__) == marked
    assert join_split_words("上设备 商丘市领导", words.__contains__) == "上设备商丘市领导"  # unmarked: the old reading
    assert join_split_words("科技部 门帮企业", words.__contains__, terms) == "科技部门帮企业"  # 门 is no word
    assert join_split_words("推进数字化 转型", words.__contains__, terms) == "推进数字化转型"
    assert join_split_words("规划 设计 建设", words.__contains__, terms) == f"规划{BOUNDARY}设计 建设"


def test_a_clause_break_does_not_make_one_word_of_its_neighbours():
    prepared, _, _ = shipped_answerer().candidates("帮厂子上设备 商丘市领导夸了句啥")
    assert "商丘市" in prepared.words and "设备供应商" not in prepared.words


def test_the_shipped_tokenizer_knows_dictionary_and_knowledge_base_words():
    tokenizer = shipped_answerer().index.tokenizer
    assert tokenizer.is_word("部门") and tokenizer.is_word("再贷款")
    assert not tokenizer.is_word("丘三")


def test_a_question_with_a_space_inside_a_word_gets_the_same_answer():
    answerer = shipped_answerer()
    for question in ("商丘的三换是什么", "平顶山绿色工厂有哪些"):
        whole = answerer.ask(question)
        for at in range(1, len(question)):
            if question[at - 1 : at + 1] in ("三换", "工厂"):
                split = answerer.ask(f"{question[:at]} {question[at:]}")
                assert whole.matched and split.entry_id == whole.entry_id, question


def test_retrieval_reads_character_pairs_across_spaces():
    answerer = shipped_answerer()
    spaced = prepare(answerer.index, "天津 再贷款")
    first, second = spaced.text.split()
    assert first[-1] + second[0] in spaced.terms  # the pair across the space


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("平顶山 20 19 年申请", "平顶山 2019 年申请"),
        ("设备更新 50 0万", "设备更新 500万"),  # no figure starts with 0
        ("技改投资 2 027 目标", "技改投资 2027 目标"),
        # two figures stay two: a list, a range, a count beside another
        ("第1 2项", "第1 2项"),
        ("2019 2020年", "2019 2020年"),
        ("5 10万元", "5 10万元"),
    ],
)
def test_a_space_typed_inside_a_figure_is_taken_out(text, expected):
    """Read as two figures, 20 19年 made two anchors no entry states, once figures had to be whole."""
    assert join_split_figures(text) == expected
