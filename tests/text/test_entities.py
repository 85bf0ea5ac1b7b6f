"""Which words name a place a question is about (a hard requirement on the entry that answers it)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answer import Outcome
from bot.text.entities import (
    asked_years,
    city_level_apart,
    city_level_pattern,
    is_anchor,
    is_year,
    names_programme,
    only_as_baseline,
    programme_names,
)
from tests.support.kb import shipped_answerer


@pytest.mark.parametrize("word", ["武汉", "武汉市", "深圳", "石首市", "2027年"])
def test_places_and_numbers_are_anchors(word):
    assert is_anchor(word)


@pytest.mark.parametrize("word", ["城市", "深度", "东西", "福利", "上市"])
def test_ordinary_words_jieba_tags_as_places_are_not(word):
    """jieba tags each of these ns; none is ever named with 市/县/省."""
    assert not is_anchor(word)


def test_places_yaml_overrides_the_dictionary_both_ways():
    kb = shipped_answerer().kb
    assert "新建" in kb.not_places and not is_anchor("新建", kb.places, kb.not_places)
    assert not is_anchor("各县区", kb.places, kb.not_places)
    assert is_anchor("新建")  # what the dictionary alone would say
    assert "睢县" in kb.places and is_anchor("睢县", kb.places, kb.not_places)
    assert not is_anchor("睢县")


def test_a_question_naming_a_generic_place_word_is_still_answered():
    answer = shipped_answerer().ask("平顶山领导带队去哪个城市学习三大改造经验")
    assert answer.matched and "鹤壁" in answer.text


def test_a_year_after_bi_or_jiao_is_a_baseline():
    assert is_year("2023年") and is_year("2023") and not is_year("25%")
    assert only_as_baseline("到2027年投资较2023年增长25%", "2023年")
    assert not only_as_baseline("2023年投资增长25%，较2022年增长", "2023年")
    assert not only_as_baseline("到2027年累计达到1500亿元", "2023年")  # not mentioned at all


def test_an_answer_that_names_a_year_only_as_baseline_does_not_answer_for_that_year():
    answerer = shipped_answerer()
    about_2023 = answerer.ask("天津2023年的工业技改投资一共是多少钱")
    assert about_2023.outcome is not Outcome.ANSWERED
    for compared in (
        "到2027年天津技改投资要比2023年增长多少",
        "与2023年相比，2027年天津技改投资要增长多少",
        "跟2023年比，天津技改投资到时候涨多少",
    ):
        answer = answerer.ask(compared)
        assert answer.matched and "25%" in answer.text, compared


def test_a_question_asks_for_its_single_year_unless_it_is_a_baseline():
    assert asked_years("2023年天津技改投资多少", ["2023年", "天津"]) == ["2023年"]
    assert asked_years("与2023年相比增长多少", ["2023年"]) == []
    assert asked_years("跟2023年比涨多少", ["2023年"]) == []
    assert asked_years("2027年比2023年增长多少", ["2027年", "2023年"]) == []  # two years: a comparison


def test_a_programme_is_named_by_the_nouns_before_its_head():
    heads = frozenset({"专项资金", "基金"})
    nouns = {"中小企业", "发展", "制造业"}
    words = ["平顶山", "中小企业", "发展", "专项资金", "申报"]
    assert programme_names(words, heads, nouns.__contains__) == [("专项资金", ("中小企业", "发展"))]
    assert programme_names(["申请", "专项资金"], heads, nouns.__contains__) == []  # no qualifier: any fund
    text = "争取省、市先进制造业发展专项资金2233万元"
    assert names_programme(text, "专项资金", ("制造业", "发展"))
    assert not names_programme(text, "专项资金", ("中小企业", "发展"))


_PROGRAMME_CHARS = "制造业发展专项资金中小a1，"
_PIECES = st.text(alphabet=_PROGRAMME_CHARS, max_size=4)
_NAMES = st.text(alphabet=_PROGRAMME_CHARS, min_size=1, max_size=4)


@given(_PIECES, _NAMES, st.text(alphabet=_PROGRAMME_CHARS, max_size=14), _NAMES, _PIECES)
@settings(max_examples=1500)
def test_a_programme_is_named_by_a_qualifier_then_up_to_ten_chinese_characters_then_its_head(
    before: str, qualifier: str, between: str, head: str, after: str
):
    text = before + qualifier + between + head + after
    defined = re.search(f"{re.escape(qualifier)}[\u4e00-\u9fff]{{0,10}}{re.escape(head)}", text) is not None
    assert names_programme(text, head, (qualifier,)) == defined


def test_another_fund_of_the_same_city_is_not_answered_with_the_one_the_documents_give():
    answerer = shipped_answerer()
    other = answerer.ask("平顶山的中小企业发展专项资金今年怎么报")
    assert other.outcome is not Outcome.ANSWERED
    same = answerer.ask("平顶山2018年争取到的先进制造业专项资金是多少")
    assert same.matched and "万元" in same.text


def test_a_fixed_phrase_qualifies_a_programme_too():
    tokenizer = shipped_answerer().index.tokenizer
    assert tokenizer.names_a_topic("技术改造", phrases=True) and not tokenizer.names_a_topic("技术改造")
    assert not tokenizer.names_a_topic("申请", phrases=True)  # a verb says nothing about which fund


def test_a_place_with_shi_li_keeps_the_city_level():
    pattern = city_level_pattern(frozenset({"天津", "吉林市"}))
    assert city_level_apart("天津市里那个设备更新补贴", pattern) == "天津 市里那个设备更新补贴"
    assert city_level_apart("城市里的工厂", pattern) == "城市里的工厂"  # no place: 城市 stays a word
    assert city_level_apart("吉林市里", pattern) == "吉林市里"  # a name that ends in 市 is left alone
    assert city_level_apart("天津市里", None) == "天津市里"


def test_the_city_level_and_a_modal_cai_neng_lead_to_the_citys_own_subsidy():
    """天津市里 was read as 天津市 + 里, and 才能 (only then) weighed as a rare word: the state's
    special-bond subsidy (2000万元 and 15%) answered a question about the city's own (500万元 and 10%)."""
    answer = shipped_answerer().ask("天津市里的设备更新补贴要投资多少以上才能申请")
    assert answer.matched and "500万元" in (answer.text or "")
