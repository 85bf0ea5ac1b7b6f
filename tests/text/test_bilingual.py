"""English words the glossary lacks are read through CC-CEDICT as the knowledge base's own words."""

from __future__ import annotations

from bot.text.bilingual import EnglishReader
from tests.support.kb import shipped_answerer

LINES = [
    "# CC-CEDICT\n",
    "部門 部门 [bu4 men2] /department; branch; section/\n",
    "玻璃 玻璃 [bo1 li5] /glass/\n",
    "深圳 深圳 [Shen1 zhen4] /Shenzhen subprovincial city in Guangdong/\n",
    "公司 公司 [gong1 si1] /(business) company/firm/\n",
    "企業 企业 [qi3 ye4] /company; firm; enterprise/\n",
    "債券 债券 [zhai4 quan4] /bond (finance)/\n",
    "貓 猫 [mao1] /cat/\n",
    "油頁岩 油页岩 [you2 ye4 yan2] /oil shale/\n",
    "穩定 稳定 [wen3 ding4] /steady; stable; to stabilize/\n",
    "計劃 计划 [ji4 hua4] /plan; to plan/\n",
    "日本 日本 [Ri4 ben3] /Japan; Japanese/\n",
    "講話 讲话 [jiang3 hua4] /a speech; to speak; to talk; to address/\n",
]
KB_WORDS = {
    "部门": 2.0,
    "玻璃": 5.0,
    "公司": 3.0,
    "企业": 0.8,
    "债券": 4.0,
    "油页岩": 6.0,
    "稳定": 2.5,
    "计划": 2.0,
    "讲话": 1.0,
}


def reader(**kwargs) -> EnglishReader:
    return EnglishReader(KB_WORDS, {"深圳", "日本"}, lambda: iter(LINES), **kwargs)


def test_english_words_become_the_knowledge_bases_words():
    text = reader().translate("which department makes glass bonds")
    assert text.split() == ["which", "部门", "makes", "玻璃", "债券"]  # bonds: a noun glossed singular


def test_an_inflected_word_is_read_by_its_base_form():
    assert reader().translate("stabilized planned").split() == ["稳定", "计划"]
    assert reader().translate("spoke spoken").split() == ["讲话", "讲话"]  # irregular: by a table


def test_the_commonest_reading_wins_and_phrases_before_words():
    assert reader().translate("company").split() == ["企业"]  # 企业 (IDF 0.8) over 公司 (3.0)
    assert reader().translate("oil shale projects").split() == ["油页岩", "projects"]


def test_a_place_is_read_from_its_pinyin_and_unknown_words_stay():
    assert reader().translate("shenzhen 补贴").split() == ["深圳", "补贴"]
    assert reader().translate("japan").split() == ["日本"]  # a place by its English name too
    assert reader().translate("cat xyzzy").split() == ["cat", "xyzzy"]  # 猫 is no word of the KB


def test_the_dictionary_is_read_once_per_version_of_the_words():
    reads = []

    def lines():
        reads.append(1)
        return iter(LINES)

    first = EnglishReader(KB_WORDS, {"深圳"}, lines)
    assert first.translate("中文问题") == "中文问题" and not reads  # no English: nothing read
    first.warm()
    same = EnglishReader(dict(KB_WORDS), {"深圳"}, lines, previous=first)
    same.translate("glass")
    assert len(reads) == 1
    changed = EnglishReader({**KB_WORDS, "猫": 3.0}, {"深圳"}, lines, previous=first)
    assert changed.translate("cat").split() == ["猫"] and len(reads) == 2


def test_a_question_in_english_sentences_is_answered_and_another_city_is_not():
    answerer = shipped_answerer()
    covered = answerer.ask("Which industries does the green enterprise creation cover?")
    assert covered.entry_id == "pds-green-enterprise-11-industries"  # refused with industries, creation... unread
    assert answerer.ask("Shenzhen 技改补贴比例是多少").outcome.value != "answered"


def test_the_domains_sense_comes_before_the_dictionarys_commonest():
    """CC-CEDICT's commonest reading among the knowledge base's words is at times another sense: the
    glossary, read first, names the domain's (power is 电力, not 力量; a group 集团, not 一家), and words that
    only modify (able, good, still) are function words rather than 智能, 标准, 还有."""
    answerer = shipped_answerer()
    for english, chinese, wrong in [
        ("power", "电力", "力量"),
        ("group", "集团", "一家"),
        ("bureau", "局", "办公室"),
        ("person in charge", "负责人", "东西"),
        ("face recognition", "人脸识别", "面对"),
        ("small and medium enterprises", "中小企业", "小额"),  # small alone is no 小额 (small amount)
        ("working group", "专班", "集团"),  # longer terms before the words inside them
        ("computing power", "算力", "电力"),
        ("held accountable", "问责", "召开"),
    ]:
        text = answerer.english.translate(answerer.glossary.translate(english))
        assert chinese in text and wrong not in text, (english, text)
    for filler in ("able", "good", "still"):
        assert answerer.english.translate(filler) == filler
