"""Unknown words: a noun names a topic the knowledge base may not cover; a pronoun or verb wraps the question."""

from __future__ import annotations

import pytest

from tests.support.kb import shipped_answerer


@pytest.mark.parametrize(
    ("word", "topic"), [("住房贷款", True), ("公积金", True), ("医保", True), ("俺们", False), ("急用", False)]
)
def test_nouns_and_abbreviations_name_a_topic(word, topic):
    assert shipped_answerer().index.tokenizer.names_a_topic(word) is topic


@pytest.mark.parametrize(("word", "topic"), [("不贷", False), ("该扮", False), ("才给", False), ("数转绿改", True)])
def test_a_word_off_the_dictionary_with_a_function_character_is_a_cut_verb_phrase(word, topic):
    """不贷 (啥样的它不贷) and 该扮 (该扮个啥角色) weighed as much as an unknown topic noun; a word off the
    dictionary without such a character may still name a topic."""
    tokenizer = shipped_answerer().index.tokenizer
    assert tokenizer.names_a_topic(word) is topic


def test_words_for_the_form_of_the_answer_are_not_its_topic():
    """顺口溜, 比喻, 口号 say the answer is a phrase, not what it is about (顺口溜 weighed 5.9 as an
    unknown topic noun)."""
    answer = shipped_answerer().ask("平顶山提案里劝企业早点改造的那句顺口溜是什么")
    assert answer.matched and "早改早受益" in (answer.text or "")


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("西南那个市引进的那家大集团是什么档次的？", "sw-hydro-aluminium-breakthrough"),
        ("讲话提醒大家不能松劲，引用的古话是什么", "ne-progress-so-far"),
    ],
)
def test_a_rank_or_a_saying_asked_for_is_the_form_of_the_answer(question, entry_id):
    """档次 and 级别 ask what rank the answer gives (世界500强), 古话 and 俗话 that it is a saying (行百里者半九十),
    as 口号 asks for a slogan; as topics no entry knows they refused these."""
    words = shipped_answerer().index.tokenizer.words(question)
    assert not {"档次", "古话"} & set(words)
    assert shipped_answerer().ask(question).entry_id == entry_id


def test_which_aspects_asks_and_names_nothing():
    """jieba keeps 哪些方面 whole, so it escaped the stopwords 哪些 and 方面 and weighed 3.9 as a topic word."""
    words = shipped_answerer().index.tokenizer.words("区块链重点要在哪些方面推广，哪几方面先行")
    assert not {"哪些方面", "哪几方面"} & set(words) and "区块链" in words


def test_the_city_a_document_is_about_is_named_by_its_region():
    """那个西南城市 names the south-west city's document as 西南 does (documents.yaml aliases): 城市 weighed 3.3
    as a topic that the entry on the aluminium group never writes."""
    answer = shipped_answerer().ask("那个西南城市引进落地的铝业大集团属于什么档次")
    assert answer.entry_id == "sw-hydro-aluminium-breakthrough"


def test_a_partner_is_the_documents_cooperation_partner():
    """合作方 is everyday Chinese for the documents' 合作伙伴 (商丘's 设备供应商 and 服务商): without the synonym
    group it was a topic no entry knows, and the question was refused."""
    answerer = shipped_answerer()
    assert answerer.index.canonical("合作方") == "合作伙伴"
    assert answerer.ask("商丘帮企业选好合作方后要统筹推进哪些工作").entry_id == "sq-service-bodies"


def test_environmental_reads_as_green_but_not_inside_a_longer_term():
    """People write 环保 for the documents' 绿色 (环保改造项目库 is the 绿色化改造 project database); 环保督察
    (a central inspection) keeps its own group."""
    answerer = shipped_answerer()
    assert answerer.ask("平顶山报进环保改造项目库的项目有多少个").entry_id == "pds-green-project-database"
    canonical = answerer.index.canonical("环保督察 环保改造")
    assert canonical.split() == ["中央环保督察", "绿色化改造"]
