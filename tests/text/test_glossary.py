"""English words in Chinese questions become the knowledge base's terms."""

from __future__ import annotations

from bot.kb.schema import GlossaryTerm
from bot.text.glossary import Glossary
from bot.text.normalize import normalise
from tests.support.kb import shipped_answerer


def test_whole_words_only_and_longest_first():
    glossary = Glossary(
        [
            GlossaryTerm(english=["smart manufacturing"], chinese="智能制造"),
            GlossaryTerm(english=["sme", "smes"], chinese="中小企业"),
        ]
    )
    assert glossary.translate(normalise("商丘的Smart  Manufacturing咋搞")) == "商丘的 智能制造 咋搞"
    assert glossary.translate(normalise("SMEs的欠款")) == "中小企业 的欠款"
    assert glossary.translate("smearing") == "smearing"


def test_mixed_language_question_is_answered_with_the_facts():
    answer = shipped_answerer().ask("天津tech transformation project的subsidy比例是多少")
    assert answer.matched and "10%" in (answer.text or "")


def test_an_english_word_glued_to_a_chinese_particle_is_still_read():
    glossary = shipped_answerer().glossary
    assert "免费" in glossary.translate(normalise("天津 diagnosis service free吗")).split()
    assert shipped_answerer().ask("天津 diagnosis service free吗").entry_id == "tj-diagnosis-free"


def test_a_question_mostly_in_english_keeps_only_its_content_words():
    answerer = shipped_answerer()
    (question,) = answerer.cleaner.questions("Which leading group in Pingdingshan handles the project library?")
    words = answerer.explain(normalise(question))[0].words
    assert not {"which", "in", "the", "hi", "w", "ch"} & set(words)
    assert {"领导小组", "项目库"} <= set(words)
