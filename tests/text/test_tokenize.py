"""Segmentation: the tokenizer's own cut reproduces jieba's, memoised per block and per text."""

from __future__ import annotations

import pytest

from bot.text.tokenize import _QUESTION_PHRASE, Tokenizer, _content_words, _is_content
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


def test_segmentation_is_jiebas_on_every_text_of_the_knowledge_base(tokenizer):
    reference = tokenizer._jieba  # jieba's own algorithm over the same dictionary
    for text in _texts():
        assert tokenizer.segment(text) == list(reference.cut(text, HMM=False)), text
        assert tokenizer.search_words(text) == [w for w in reference.cut_for_search(text) if _is_content(w)], text
        assert tokenizer.words(text) == _content_words(reference.cut(_QUESTION_PHRASE.sub(" ", text), HMM=False))


def test_a_fresh_tokenizer_segments_as_one_that_has_seen_other_texts(tokenizer):
    """Remembered blocks and reused suffix scores change nothing: a new tokenizer agrees text by text."""
    fresh = Tokenizer(*tokenizer.recipe)
    for text in reversed(_texts()[:400]):
        assert fresh.segment(text) == tokenizer.segment(text), text
        assert fresh.search_words(text) == tokenizer.search_words(text), text


def test_an_analysis_is_made_once_and_matches_words_and_search_words():
    tokenizer = Tokenizer(["技改"], [("技改", "技术改造")])
    text = "技术改造 贷款利率是多少"
    with tokenizer.bulk():
        first = tokenizer.analyse(text)
        assert first == (tuple(tokenizer.words(text)), tuple(tokenizer.search_words(text)))
        assert tokenizer.analyse(text) is first
    assert tokenizer.export_analyses() == {text: first}


def test_bulk_keeps_only_the_texts_asked_for():
    tokenizer = Tokenizer([], [])
    with tokenizer.bulk(keep=lambda: ["保留这句"]):
        tokenizer.analyse("保留这句")
        tokenizer.analyse("忘掉这句")
    assert set(tokenizer.export_analyses()) == {"保留这句"}
    assert not tokenizer._blocks  # the block memo is for the build only


def test_imported_analyses_are_used_as_they_are():
    tokenizer = Tokenizer([], [])
    tokenizer.import_analyses({"某句": (("某",), ("某句",))})
    assert tokenizer.analyse("某句") == (("某",), ("某句",))


def test_tokenizers_of_the_same_words_are_one():
    assert Tokenizer.for_kb(["技改"], []) is Tokenizer.for_kb(["技改"], [])
    assert Tokenizer.for_kb(["技改"], []).signature != Tokenizer.for_kb(["技改", "贴息"], []).signature
