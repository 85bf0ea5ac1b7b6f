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


def test_a_mistyped_term_is_read_as_the_term_and_only_a_clear_slip_is():
    glossary = Glossary(
        [
            GlossaryTerm(english=["subsidy"], chinese="补贴"),
            GlossaryTerm(english=["green factory"], chinese="绿色工厂"),
            GlossaryTerm(english=["factory"], chinese="工厂"),
            GlossaryTerm(english=["lending"], chinese="贷款"),
            GlossaryTerm(english=["leading group"], chinese="领导小组"),
            GlossaryTerm(english=["deadline"], chinese="截止时间"),
            GlossaryTerm(english=["decline"], chinese="下降"),
            GlossaryTerm(english=["leaders"], chinese="领导"),
            GlossaryTerm(english=["lenders"], chinese="贷款方"),
        ]
    )
    assert glossary.translate("天津 subisdy 多少").split() == ["天津", "补贴", "多少"]  # two letters swapped
    assert glossary.translate("天津 subsdy").split() == ["天津", "补贴"]  # one left out
    assert glossary.translate("green factroy").split() == ["绿色工厂"]
    assert glossary.translate("leading group").split() == ["领导小组"]  # a word of a term is no slip
    assert glossary.translate("dealine").split() == ["截止时间"]  # deadline, a letter left out (not decline)
    assert glossary.translate("lendinf").split() == ["lendinf"]  # a letter changed is no slip
    assert glossary.translate("leaderss").split() == ["leaderss"]  # a letter added is no slip
    assert glossary.translate("leders 多少").split() == ["leders", "多少"]  # leaders or lenders: no clear slip
    assert glossary.translate("taxi").split() == ["taxi"]  # too short to read as a slip


def test_an_inflected_term_is_read_as_the_term():
    glossary = Glossary(
        [GlossaryTerm(english=["rank"], chinese="排名"), GlossaryTerm(english=["fund"], chinese="资金")]
    )
    assert glossary.translate("ranks ranked funds").split() == ["排名", "排名", "资金"]
    assert glossary.translate("rankle fun").split() == ["rankle", "fun"]  # no inflection of either


def test_share_as_a_verb_asks_for_no_share():
    """各县发言 share 了哪些做法 is 分享: only "share of" and its like ask for a proportion."""
    glossary = shipped_answerer().glossary
    assert "占比" not in glossary.translate("各县发言share了哪些做法")
    assert "占比" in glossary.translate("what is the share of SMEs")


def test_an_all_chinese_text_is_left_as_it_is_unless_a_term_has_no_latin_letter():
    latin = Glossary([GlossaryTerm(english=["sme"], chinese="中小企业")])
    assert latin.translate(" 天津技改 ") == "天津技改"
    assert latin.translate("天津sme多少") == "天津 中小企业 多少"
    digits = Glossary([GlossaryTerm(english=["2024"], chinese="二〇二四")])
    assert digits.translate("2024 年") == "二〇二四  年"
