"""Split normalised text into retrieval terms: jieba words (with the KB's own vocabulary) plus
character bigrams, after rewriting synonyms to their canonical form.

Bigrams make retrieval robust where jieba segments a question differently from the FAQ; words carry
the meaning used by coverage and fuzzy re-ranking.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import jieba

from bot.text.normalize import normalise
from bot.text.stopwords import QUESTION_PHRASES, STOPWORDS

jieba.setLogLevel(logging.WARNING)

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_SINGLE_CJK = re.compile(r"[\u3400-\u9fff]")
# "三个", "几项", "两类": a count in words says how many, not what about.
_COUNTING_WORD = re.compile(r"[一二三四五六七八九十几两]+[个项样种条类点件]")
_QUESTION_PHRASE = re.compile("|".join(map(re.escape, QUESTION_PHRASES)))
_USER_WORD_FREQ = 200_000  # high enough that jieba keeps KB terms whole


# jieba's part-of-speech tags for nouns, names, abbreviations and nominal verbs: the kinds of word that
# name a topic (住房贷款 n, 公积金 n, 医保 j) rather than wrap a question (俺们 r, 急用 v, 早上好 l).
_TOPIC_TAGS = frozenset({"n", "nz", "nt", "ns", "nr", "nrt", "nrfg", "ng", "j", "vn", "an"})


@lru_cache(maxsize=1)
def _dictionary_tags() -> dict[str, str]:
    """word -> part-of-speech tag from jieba's bundled dictionary, read once when first needed."""
    path = Path(jieba.__file__).resolve().parent / "dict.txt"
    tokens = path.read_text(encoding="utf-8").split()
    return dict(zip(tokens[0::3], tokens[2::3], strict=False))


class Tokenizer:
    """One tokenizer per knowledge-base version: its dictionary and synonym map come from the KB."""

    def __init__(self, vocabulary: Iterable[str], synonym_groups: Iterable[Iterable[str]]) -> None:
        vocabulary = sorted(set(vocabulary))
        synonym_groups = tuple(tuple(group) for group in synonym_groups)
        self._init_args = (vocabulary, synonym_groups)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._canonical: dict[str, str] = {}
        for group in synonym_groups:
            terms = [normalise(term) for term in group]
            for term in terms:
                self._canonical[term] = terms[0]
        words = {normalise(word) for word in vocabulary} | set(self._canonical)
        for word in sorted(words):
            if word and " " not in word:
                self._jieba.add_word(word, freq=_USER_WORD_FREQ)
        # Canonical terms are in the pattern too, so 天津市 is kept whole rather than 天津 -> 天津市 + 市.
        terms_longest_first = sorted(self._canonical, key=len, reverse=True)
        self._synonym_pattern = (
            re.compile("|".join(map(re.escape, terms_longest_first))) if terms_longest_first else None
        )

    def __reduce__(self) -> tuple:
        """Pickle the recipe, not jieba's 350,000-word dictionary (jieba caches that itself)."""
        return (Tokenizer, self._init_args)

    def canonicalise(self, text: str) -> str:
        """Rewrite every synonym to its group's canonical term (longest match wins, one pass)."""
        if self._synonym_pattern is None:
            return text
        return self._synonym_pattern.sub(lambda m: self._canonical[m.group(0)], text)

    @property
    def synonym_terms(self) -> set[str]:
        return set(self._canonical)

    def names_a_topic(self, word: str) -> bool:
        """Whether general Chinese uses the word as a noun or name; words jieba does not know count too."""
        tag = _dictionary_tags().get(word)
        return tag is None or tag in _TOPIC_TAGS

    def information_content(self, word: str) -> float:
        """-log of the word's frequency in jieba's bundled general-Chinese dictionary: how much a word
        the KB never uses says about the topic (住房 says more than 一下). Unseen words get the maximum."""
        frequency = self._jieba.FREQ.get(word, 0)
        if not frequency:
            return math.log(self._jieba.total)
        return math.log(self._jieba.total / frequency)

    def segment(self, text: str) -> list[str]:
        """Dictionary-only segmentation (no HMM guessing), so unknown stretches fall apart."""
        return list(self._jieba.cut(text, HMM=False))

    def words(self, text: str) -> list[str]:
        """Content words of canonical text, in order.

        Dictionary words only (jieba's HMM guesses glue a typo to its neighbours); characters the
        dictionary leaves alone are joined into one chunk (三换), and a lone one is dropped.
        """
        words: list[str] = []
        run: list[str] = []
        text = _QUESTION_PHRASE.sub(" ", text)
        for piece in [*self._jieba.cut(text, HMM=False), " "]:
            if _SINGLE_CJK.fullmatch(piece) and piece not in STOPWORDS:
                run.append(piece)
                continue
            if len(run) > 1:
                words.append("".join(run))
            run = []
            if _is_content(piece):
                words.append(piece)
        return words

    def search_words(self, text: str) -> list[str]:
        """Content words plus the shorter words inside long ones (天津市 -> 天津), for lookups."""
        return [word for word in self._jieba.cut_for_search(text) if _is_content(word)]

    def terms(self, text: str) -> list[str]:
        """Retrieval terms: search words plus CJK character bigrams."""
        terms = self.search_words(text)
        for run in _CJK_RUN.findall(text):
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
        return terms


def _is_content(word: str) -> bool:
    return (
        bool(word.strip())
        and word not in STOPWORDS
        and not _SINGLE_CJK.fullmatch(word)
        and not _COUNTING_WORD.fullmatch(word)
    )
