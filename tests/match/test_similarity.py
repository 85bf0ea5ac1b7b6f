"""fuzz.ratio of words sorted beforehand is rapidfuzz's token_sort_ratio of their join, score for score."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from bench.datasets import load
from bot.config import DEFAULT_KB_DIR
from bot.match.similarity import sorted_words
from tests.support.kb import shipped_answerer

# Lists of words of Chinese, Latin letters, digits and signs (the tokenizer's words never hold whitespace).
_WORDS = st.lists(st.text(alphabet=st.sampled_from([*"技改贷款利率补贴天津abZ19.%-"]), min_size=1, max_size=5))


@given(_WORDS, _WORDS)
@settings(max_examples=2000)
def test_sorted_words_compared_by_ratio_are_token_sort_ratio(a: list[str], b: list[str]):
    assert fuzz.ratio(sorted_words(a), sorted_words(b)) == fuzz.token_sort_ratio(" ".join(a), " ".join(b))


def test_questions_against_the_shipped_phrasings():
    index = shipped_answerer().index
    questions = [item.question for item in load(DEFAULT_KB_DIR.parent / "bench" / "devset.yaml")][::5]
    for question in questions:
        words = index.tokenizer.words(index.canonical(question))
        for indexed in index.entries[::3]:
            for phrasing in indexed.phrasings:
                theirs = index.tokenizer.words(phrasing)
                assert not any(char.isspace() for word in [*words, *theirs] for char in word)
                expected = fuzz.token_sort_ratio(" ".join(words), " ".join(theirs))
                assert fuzz.ratio(sorted_words(words), sorted_words(theirs)) == expected
