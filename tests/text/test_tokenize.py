"""Segmentation: the tokenizer's own cut reproduces jieba's, memoised per block and per text."""

from __future__ import annotations

import random
import re

import jieba
import pytest

from bot.text.lexicon import Lexicon, dictionary_path
from bot.text.tokenize import (
    _QUESTION_PHRASE,
    _USER_WORD_FREQ,
    Tokenizer,
    _composed_variants,
    _content_words,
    _end_magnitudes,
    _is_content,
    bigrams,
    longest_first,
)
from tests.support.kb import shipped_answerer

EDGE_CASES = [
    "",
    "   ",
    "abc 12 x",
    "ＡＢＣ123",
    "a-b_c.d%e 中文 english\r\nmix",
    "3.5亿元的技改贷款",
    "技该贷款利率多少",
    "\u3400\u3401中文\u3402",  # CJK extension A lies outside jieba's blocks
    "a\r\nb  c\t中",
    "天津市天津市天津市",
]


def _texts() -> list[str]:
    answerer = shipped_answerer()
    texts = list(EDGE_CASES)
    for entry in answerer.kb.entries:
        texts += [*entry.phrasings, entry.answer, *entry.source.quotes]
    texts += [answerer.index.canonical(text) for text in texts]
    return texts


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return shipped_answerer().index.tokenizer


def jiebas_own(tokenizer: Tokenizer) -> jieba.Tokenizer:
    """jieba's tokenizer with its whole dictionary loaded, and the KB's words added as ours adds them."""
    reference = jieba.Tokenizer()
    reference.initialize()
    for word in tokenizer._added:
        reference.add_word(word, freq=_USER_WORD_FREQ)
    return reference


def test_segmentation_is_jiebas_on_every_text_of_the_knowledge_base(tokenizer):
    reference = jiebas_own(tokenizer)  # jieba's own algorithm and table
    for text in _texts():
        assert tokenizer.segment(text) == list(reference.cut(text, HMM=False)), text
        # words and search words end a figure at 万 or 亿 first (600万能 -> 600万 能), then cut as jieba does
        ended = _end_magnitudes(text)
        assert tokenizer.search_words(text) == [w for w in reference.cut_for_search(ended) if _is_content(w)], text
        assert tokenizer.words(text) == _content_words(
            reference.cut(_end_magnitudes(_QUESTION_PHRASE.sub(" ", text)), HMM=False)
        )


def test_a_fresh_tokenizer_segments_as_one_that_has_seen_other_texts(tokenizer):
    """Remembered blocks and reused suffix scores change nothing: a new tokenizer agrees text by text."""
    fresh = Tokenizer(*tokenizer.recipe)
    for text in reversed(_texts()[:400]):
        assert fresh.segment(text) == tokenizer.segment(text), text
        assert fresh.search_words(text) == tokenizer.search_words(text), text


def test_bulk_remembers_blocks_only_for_the_build():
    tokenizer = Tokenizer([], [])
    with tokenizer.bulk():
        tokenizer.search_words("保留这句")
        assert tokenizer._routes
    assert not tokenizer._routes  # the block memo is for the build only
    with tokenizer.bulk(forget=False):  # a build worker about to exit need not free it
        words = tokenizer.search_words("保留这句")
    assert tokenizer._routes and tokenizer.search_words("保留这句") == words


def test_a_renewed_tokenizer_has_nothing_loaded_and_segments_alike():
    tokenizer = Tokenizer(["技改"], [("技改", "技术改造")])
    text = "技术改造 贷款利率是多少"
    words = tokenizer.words(text)
    renewed = tokenizer.renewed()
    assert not renewed._loaded and renewed.words(text) == words
    assert Tokenizer.for_kb(["技改"], [("技改", "技术改造")]) is renewed


def test_tokenizers_of_the_same_words_are_one():
    assert Tokenizer.for_kb(["技改"], []) is Tokenizer.for_kb(["技改"], [])
    assert Tokenizer.for_kb(["技改"], []).signature != Tokenizer.for_kb(["技改", "贴息"], []).signature


def test_the_table_read_by_first_character_is_jiebas_for_every_substring(tokenizer):
    """Only the dictionary's groups for the characters seen are loaded, yet every substring of a text
    looks up as in jieba's full table (a word's frequency, 0 for a prefix, absent otherwise)."""
    reference = jiebas_own(tokenizer)
    fresh = Tokenizer(*tokenizer.recipe)
    for text in [*EDGE_CASES, "住房公积金贷款利率", "深圳市南山区的B超检查", "一二三四五六七八九十"]:
        fresh.segment(text)
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + 12) + 1):
                piece = text[start:end]
                assert fresh._frequencies.get(piece) == reference.FREQ.get(piece), piece
    assert fresh._total == reference.total


def test_the_lexicon_reads_the_words_of_the_keys_asked_for():
    """A pair gives the words that start with it, a character the word it is; pairs whose lines the file
    has in two places (B超 listed twice, T恤 and 江南 out of order) give all of them, the last line winning."""
    reference = jieba.Tokenizer()
    reference.initialize()
    lexicon = Lexicon(dictionary_path())
    pairs, chars = ["住房", "房贷", "B超", "T恤", "江南", "大小"], ["房", "住", "江", "B", "~"]
    words, frequencies = lexicon.words([*pairs, *chars])
    expected = {word: f for word, f in reference.FREQ.items() if f and (word[:2] in pairs or word in chars)}
    assert dict(zip(words, frequencies, strict=True)) == expected
    assert len(words) < 200  # of 349,000
    assert lexicon.starts_a_word("住") and not lexicon.starts_a_word("~")
    assert lexicon.tag("住房") == "n" and lexicon.tag("住房利率") is None
    assert lexicon.is_place("深圳") and not lexicon.is_place("住房")
    assert lexicon.total == reference.total


def test_tags_are_the_files_for_every_word_of_a_group():
    lexicon = Lexicon(dictionary_path())
    expected: dict[str, list[str]] = {}
    for line in dictionary_path().read_text(encoding="utf-8").splitlines():
        word, _, tag = line.split()
        if word[0] in "住深不的B":
            expected.setdefault(word, []).append(tag)
    assert len(expected) > 1000 and any(len(tags) > 1 for tags in expected.values())  # B超 is listed twice
    assert {word: list(lexicon.tags(word)) for word in expected} == expected


def test_a_number_jieba_breaks_on_a_knowledge_base_word_is_one_word_again():
    """5年 is a word of the knowledge base (力争5年), so jieba cuts 2025年 into 202 | 5年."""
    tokenizer = shipped_answerer().index.tokenizer
    assert tokenizer.words("天津2025年技改投资")[1] == "2025年"
    assert "5年" in tokenizer.words("力争5年诊断覆盖")
    assert _content_words(["到", "202", "5年"]) == ["2025年"]
    assert _content_words(["202", " ", "5年"]) == ["202", "5年"]  # apart in the text: two numbers


@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        ("技改投了600万能补多少", "万能", "600"),  # not 600 + 万能 (almighty)
        ("天津投了六百多万能补多少", "万能", "天津"),
        ("五大百亿级产业基地", None, "五大百亿级产业基地"),  # a unit or 级 after 亿 stays with it
    ],
)
def test_a_figure_ends_at_its_magnitude(text, absent, present):
    words = shipped_answerer().index.tokenizer.words(text)
    assert present in words and (absent is None or absent not in words), words


@pytest.mark.parametrize("text", ["投了六百来万", "七千多", "几百万的项目", "一千六百多亿"])
def test_a_rough_size_is_not_a_word(text):
    """How much the asker has is not what the question is about; 十四五 (a plan) is still a word."""
    tokenizer = shipped_answerer().index.tokenizer
    assert not [word for word in tokenizer.words(text) if any(char in word for char in "百千万亿多来")]
    assert "十四五" in tokenizer.words("十四五规划")


def test_lone_characters_glued_back_are_not_a_stopword():
    """咋说的来着: jieba leaves 来 and 着 alone; glued back they are 来着, a stopword, not a rare topic word."""
    assert "来着" not in shipped_answerer().index.tokenizer.words("那句口号咋说的来着")


@pytest.mark.parametrize(
    ("question", "glued", "kept"),
    [
        ("西南那个市催各地还欠款", "市催", "各地"),  # 那个市 points at the city
        ("那家做铝的大集团是什么档次", "家做铝", "集团"),  # 那家 points at the company; 铝 is its topic
        ("用了哪三个字来概括企业的毛病", "字来", "毛病"),  # 来 links 用三个字 and 概括
        ("发展绝不能拿什么去换", "去换", "发展"),
    ],
)
def test_a_pointing_measure_word_or_a_linking_verb_glues_no_word(question, glued, kept):
    """Left alone by the dictionary's cut, these characters were glued to the next lone one into a rare word no
    entry knows, which weighed as the question's topic."""
    words, nouns = shipped_answerer().index.tokenizer.words_and_lone_nouns(question)
    assert glued not in words and kept in words
    assert "铝" in nouns or "铝" not in question


def test_where_a_place_lies_is_no_topic_word():
    """北票所在那个市 names the document by a town in it: 所在 (where it lies) says nothing the entries share."""
    assert "所在" not in shipped_answerer().index.tokenizer.words("北票所在那个市的数据平台谁来用")


@pytest.mark.parametrize(
    ("pieces", "words"),
    [
        (["贴息", "1", ".", "5", "个", "百分点"], ["贴息", "1.5", "百分点"]),
        (["增长", "12", ".", "5", "%", "以上"], ["增长", "12.5%", "以上"]),
        (["第", "1", "."], ["1"]),  # a full stop after a number is not a decimal point
        (["比例", "%"], ["比例"]),  # a sign on its own is not a word
    ],
)
def test_a_decimal_or_percentage_the_cut_broke_apart_is_one_word(pieces, words):
    assert _content_words(pieces) == words


def test_the_tree_of_synonyms_matches_what_their_alternation_longest_first_matches(tokenizer):
    terms = sorted(tokenizer.synonym_terms)
    alternation = re.compile("|".join(map(re.escape, sorted(terms, key=len, reverse=True))))
    tree = re.compile(longest_first(terms))
    for text in _texts():
        assert [m.span() for m in tree.finditer(text)] == [m.span() for m in alternation.finditer(text)], text
    rng = random.Random(3)
    for _ in range(2_000):  # terms that are each other's beginnings, over a small alphabet
        terms = list({"".join(rng.choices("abc.", k=rng.randint(1, 4))) for _ in range(rng.randint(1, 8))})
        alternation = re.compile("|".join(map(re.escape, sorted(terms, key=len, reverse=True))))
        tree = re.compile(longest_first(terms))
        text = "".join(rng.choices("abc.x", k=rng.randint(0, 12)))
        assert [m.span() for m in tree.finditer(text)] == [m.span() for m in alternation.finditer(text)], terms


def test_a_bulk_of_preloaded_texts_segments_as_one_that_checks_every_block(tokenizer):
    texts = _texts()[:600]
    checked = Tokenizer(*tokenizer.recipe)
    preloaded = Tokenizer(*tokenizer.recipe)
    with preloaded.bulk(texts=texts):
        for text in texts:
            assert preloaded.words(text) == checked.words(text), text
            assert preloaded.search_words(text) == checked.search_words(text), text
    assert checked._loaded <= preloaded._loaded  # every block's characters and pairs were read with its text


def test_bigrams_are_every_pair_of_neighbouring_cjk_characters_left_to_right():
    by_regex = re.compile(r"(?=([\u3400-\u9fff]{2}))")
    rng = random.Random(3)
    alphabet = "天津技改 a1\u3400\u9fff\ua000。"
    texts = [*_texts(), *("".join(rng.choices(alphabet, k=rng.randint(0, 9))) for _ in range(3000))]
    for text in texts:
        assert bigrams(text) == by_regex.findall(text), text


def test_canonicalising_many_texts_together_gives_each_one_alone(tokenizer):
    texts = [*_texts(), "天津市 天津", "", "a\nb"]
    assert tokenizer.canonicalise_many(texts) == [tokenizer.canonicalise(text) for text in texts]


def test_an_english_word_is_one_word_whatever_short_terms_it_holds(tokenizer):
    # the shipped knowledge base writes AI: training, chain and daily must not yield it
    for word in ("training", "chain", "daily"):
        assert tokenizer.words(word) == [word]
        assert tokenizer.search_words(word) == [word]


def test_who_is_no_part_of_a_topic_word():
    """谁 asks; glued with the lone characters beside it (靠谁来) it weighed as an unknown topic."""
    words = shipped_answerer().index.tokenizer.words("数改方案主要靠谁来推广")
    assert not any("谁" in word for word in words)


def test_lai_zhe_is_no_part_of_a_topic_word():
    """来着 (what was it again) breaks into two lone characters that glued to the one before (名来着)."""
    words = shipped_answerer().index.tokenizer.words("那个试点叫啥名来着")
    assert not any("来" in word or "着" in word for word in words)


def test_a_synonym_term_written_with_another_group_s_word_is_rewritten_whole():
    """新的拖欠 is a term of the 新增拖欠 group and 欠账 of the 拖欠 group: one pass made 新的欠账 into
    新的拖欠, a word no entry writes, and the question was refused."""
    tokenizer = Tokenizer([], [["新增拖欠", "新的拖欠"], ["拖欠", "欠账", "欠款"]])
    assert tokenizer.canonicalise("怎么防止再出现新的欠账") == "怎么防止再出现新增拖欠"
    assert tokenizer.canonicalise("还有欠款吗") == "还有拖欠吗"
    # rewritten only, not added to the table: more words there would weigh every route's words
    assert not tokenizer.is_word("新的欠账")


def _composed_variants_by_definition(canonical: dict[str, str]) -> dict[str, str]:
    """`_composed_variants` as first written: every group's head tested against every term."""
    members: dict[str, list[str]] = {}
    for term, head in canonical.items():
        if term != head:
            members.setdefault(head, []).append(term)
    variants: dict[str, str] = {}
    for term, head in canonical.items():
        for other, others in members.items():
            if other in (head, term) or len(other) < 2 or other not in term:
                continue
            for member in others:
                variant = term.replace(other, member)
                if variant not in canonical and variant not in variants:
                    variants[variant] = head
    return variants


def _canonical_of(groups: list[list[str]]) -> dict[str, str]:
    return {term: group[0] for group in groups for term in group}


@pytest.mark.parametrize("listed", [4096, 0])  # each term's substrings listed, or each head tested
def test_composed_variants_are_those_of_the_definition_in_its_order(monkeypatch, listed):
    """Looked up by substring (or, past a bound, by testing each head), the variants and their order (the
    first head to make one wins) are those of testing every head against every term: on the shipped synonyms
    and on random groups of short terms over a few characters, so that terms hold other groups' heads often,
    once or twice, and overlapping."""
    monkeypatch.setattr("bot.text.tokenize._SUBSTRINGS_LISTED", listed)
    shipped = _canonical_of([list(group) for group in shipped_answerer().kb.synonym_groups])
    assert list(_composed_variants(shipped).items()) == list(_composed_variants_by_definition(shipped).items())
    rng = random.Random(5)
    for _ in range(300):
        terms = list(dict.fromkeys("".join(rng.choices("甲乙丙丁戊", k=rng.randint(1, 6))) for _ in range(14)))
        cut = sorted(rng.sample(range(1, len(terms)), k=min(3, len(terms) - 1)))
        groups = [terms[i:j] for i, j in zip([0, *cut], [*cut, len(terms)], strict=True)]
        canonical = _canonical_of(groups)
        assert list(_composed_variants(canonical).items()) == list(_composed_variants_by_definition(canonical).items())


def test_a_pasted_paragraph_as_a_synonym_term_gets_its_variants():
    """A term of thousands of characters (a curator pasted a passage), itself a group's head: listing its
    substrings up to its own length would be millions (14 s here); past a bound each head is tested instead,
    with the definition's result."""
    paragraph = "推进清理拖欠账款工作，" * 400
    canonical = _canonical_of([["清理拖欠", "清欠"], ["拖欠", "欠账"], [paragraph, "那段话"]])
    assert list(_composed_variants(canonical).items()) == list(_composed_variants_by_definition(canonical).items())
