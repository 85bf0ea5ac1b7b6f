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
