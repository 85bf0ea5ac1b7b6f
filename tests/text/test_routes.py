"""jieba-rs routes a build's blocks exactly as jieba does, on every block of the shipped knowledge base
and of a scaled-up one (bot/text/routes.py)."""

from __future__ import annotations

import random

import pytest

from bench.latency import scaled
from bot.kb.loader import KnowledgeBase
from bot.match.index import tokenizer_for
from bot.text import routes
from bot.text.normalize import normalise
from bot.text.tokenize import (
    _HAN_BLOCK,
    _QUESTION_PHRASE,
    Tokenizer,
    _content_words,
    _end_magnitudes,
    _is_content,
)
from tests.support.kb import shipped_answerer
from tests.text.test_tokenize import EDGE_CASES, jiebas_own

pytestmark = pytest.mark.skipif(not routes.available(), reason="rjieba is not installed")


def _texts(kb: KnowledgeBase, tokenizer: Tokenizer) -> list[str]:
    """What a build of `kb` segments: its texts, canonical, compact, and with question phrases blanked."""
    raw = list(EDGE_CASES)
    for entry in kb.entries:
        raw += [*entry.phrasings, " ".join(entry.keywords), entry.answer, *entry.source.quotes]
    raw += [" ".join([document.title, *document.aliases]) for document in kb.documents.values()]
    texts = set(raw)
    for text in raw:
        canonical = tokenizer.canonicalise(normalise(text))
        texts.update([canonical, canonical.replace(" ", ""), _QUESTION_PHRASE.sub(" ", canonical)])
    return sorted(texts)


def _blocks(texts: list[str]) -> list[str]:
    return sorted({block for text in texts for block in _HAN_BLOCK.split(text)[1::2]})


def _routes_both_ways(tokenizer: Tokenizer, blocks: list[str]) -> tuple[list, list, int]:
    """Each block's route by jieba-rs in a build and by the Python route outside one, and how many
    blocks jieba-rs left to Python."""
    fast, slow = Tokenizer(*tokenizer.recipe), Tokenizer(*tokenizer.recipe)
    with slow.bulk(fast=False):
        expected = [(slow._route(block), slow._plain(block)) for block in blocks]
    left = 0
    with fast.bulk():
        routed = []
        for block in blocks:
            fast.preload(block)
            left += fast._start_fast().route(block) is None
            routed.append((fast._route(block), fast._plain(block)))  # the plain cut taken from jieba-rs's
    return routed, expected, left


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return shipped_answerer().kb


def test_every_block_of_the_shipped_knowledge_base_is_routed_as_in_python(shipped):
    tokenizer = tokenizer_for(shipped)
    blocks = _blocks(_texts(shipped, tokenizer))
    routed, expected, left = _routes_both_ways(tokenizer, blocks)
    assert routed == expected
    assert left < len(blocks) // 100  # jieba-rs does route nearly all of them


def test_blocks_of_a_scaled_up_knowledge_base_are_routed_as_in_python(shipped):
    """Every fifth entry of the 10,000 that bench/latency.py indexes (numbered copies: Latin digits)."""
    big = scaled(shipped, 10_000, random.Random(7))
    sample = KnowledgeBase(big.entries[::5], big.synonym_groups, big.documents, {}, big.question_types)
    tokenizer = tokenizer_for(big)
    blocks = _blocks(_texts(sample, tokenizer))
    routed, expected, left = _routes_both_ways(tokenizer, blocks)
    assert routed == expected
    assert left < len(blocks) // 100


def test_a_build_segments_every_text_as_jieba_does(shipped):
    tokenizer = Tokenizer(*tokenizer_for(shipped).recipe)
    reference = jiebas_own(tokenizer)
    with tokenizer.bulk():
        for text in _texts(shipped, tokenizer):
            assert tokenizer.segment(text) == list(reference.cut(text, HMM=False)), text
            ended = _end_magnitudes(text)  # a figure ends at 万 or 亿 before words are cut (test_tokenize.py)
            assert tokenizer.search_words(text) == [w for w in reference.cut_for_search(ended) if _is_content(w)]
            expected = _content_words(reference.cut(_end_magnitudes(_QUESTION_PHRASE.sub(" ", text)), HMM=False))
            assert tokenizer.words(text) == expected, text


def test_latin_runs_come_back_as_single_characters_unless_a_word_could_be_either():
    tokenizer = Tokenizer(["5g", "技改"], [])  # normalised text is in lower case
    with tokenizer.bulk():
        tokenizer.preload("园区12技改5g基站")
        fast = tokenizer._start_fast()
        assert fast is not None
        assert fast.route("园区12技改") == ("园区", "1", "2", "技改")  # jieba-rs cuts 园区 | 12 | 技改
        route, cut = fast.route_and_cut("ab园区12技改x")
        assert route == ("a", "b", "园区", "1", "2", "技改", "x") and cut == ("ab", "园区", "12", "技改", "x")
        assert fast.route("技改5g基站") is None  # 5g: the word, or 5 and g run together?
        assert tokenizer._route("技改5g基站") == ("技改", "5g", "基站")  # then Python routes it
    assert tokenizer._fast is None  # not kept after the build


def test_a_build_that_routes_nothing_does_not_load_jieba_rs():
    tokenizer = Tokenizer(["技改"], [])
    with tokenizer.bulk():
        pass
    assert tokenizer._fast is None
    with tokenizer.bulk():
        tokenizer.words("技改贷款")
        assert tokenizer._fast is not None
