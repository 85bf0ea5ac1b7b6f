"""Split normalised text into retrieval terms: jieba words (with the KB's own vocabulary) plus
character bigrams, after rewriting synonyms to their canonical form.

Bigrams make retrieval robust where jieba segments a question differently from the FAQ; words carry
the meaning used by coverage and fuzzy re-ranking.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import logging
import math
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from math import log
from pathlib import Path
from types import ModuleType

from bot.text.lexicon import lexicon, prefixes
from bot.text.normalize import normalise
from bot.text.stopwords import QUESTION_PHRASES, STOPWORDS


def _import_jieba() -> ModuleType:
    """jieba 0.42 imports pkg_resources (0.13 s of CPU, a sixth of a cold `ask`) only to open its own
    data files, and opens them by path when that import fails: so it is made to fail, for this import
    only (nothing else is imported meanwhile; a module that imported pkg_resources before is unaffected)."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    absent = "pkg_resources" not in sys.modules
    if absent:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        return importlib.import_module("jieba")
    finally:
        if absent:
            del sys.modules["pkg_resources"]


jieba = _import_jieba()
jieba.setLogLevel(logging.WARNING)
finalseg = jieba.finalseg

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")

# "三个", "几项", "两类": a count in words says how many, not what about.
_COUNTING_WORD = re.compile(r"[一二三四五六七八九十几两]+[个项样种条类点件]")
_QUESTION_PHRASE = re.compile("|".join(map(re.escape, QUESTION_PHRASES)))
_USER_WORD_FREQ = 200_000  # high enough that jieba keeps KB terms whole
# jieba's own block and skip patterns (jieba 0.42): segmentation below reproduces jieba.Tokenizer.cut.
_HAN_BLOCK = jieba.re_han_default
_SKIP = jieba.re_skip_default
_ENGLISH = jieba.re_eng
_MAX_REMEMBERED_BLOCKS = 20_000  # bounds the block memo of a long-running process
_RECENT: list[Tokenizer] = []  # the last tokenizer built, for the next version of the same KB
_RECENT_LOCK = threading.Lock()
_SOURCES = (Path(__file__), Path(__file__).with_name("stopwords.py"), Path(__file__).with_name("lexicon.py"))


# jieba's part-of-speech tags for nouns, names, abbreviations and nominal verbs: the kinds of word that
# name a topic (住房贷款 n, 公积金 n, 医保 j) rather than wrap a question (俺们 r, 急用 v, 早上好 l).
_TOPIC_TAGS = frozenset({"n", "nz", "nt", "ns", "nr", "nrt", "nrfg", "ng", "j", "vn", "an"})


class Tokenizer:
    """One tokenizer per knowledge-base version: its dictionary and synonym map come from the KB.

    Immutable once built, so a version whose vocabulary and synonyms are unchanged reuses it
    (`for_kb`) together with every analysis it has made: a text is segmented once."""

    def __init__(self, vocabulary: Iterable[str], synonym_groups: Iterable[Iterable[str]]) -> None:
        self._init_args = self.recipe_of(vocabulary, synonym_groups)
        vocabulary, synonym_groups = self._init_args
        self._canonical: dict[str, str] = {}
        for group in synonym_groups:
            terms = [normalise(term) for term in group]
            for term in terms:
                self._canonical[term] = terms[0]
        words = {normalise(word) for word in vocabulary} | set(self._canonical)
        self._added = sorted(word for word in words if word and " " not in word)
        # jieba's table as its add_word() leaves it after loading the dictionary: the KB's words at a high
        # frequency, every prefix of a word at 0 (so a lookup can stop early), the dictionary's words as
        # their characters come up (`_load`).
        self._frequencies: dict[str, int] = dict.fromkeys(self._added, _USER_WORD_FREQ)
        self._frequencies.update(dict.fromkeys(prefixes(self._added).difference(self._frequencies), 0))
        self._users = frozenset(self._added)
        self._total = lexicon().total + _USER_WORD_FREQ * len(self._added)
        self._loaded_chars: set[str] = set()  # first characters whose words are in the table
        self._load_lock = threading.Lock()
        # Canonical terms are in the pattern too, so 天津市 is kept whole rather than 天津 -> 天津市 + 市.
        terms_longest_first = sorted(self._canonical, key=len, reverse=True)
        self._synonym_pattern = (
            re.compile("|".join(map(re.escape, terms_longest_first))) if terms_longest_first else None
        )
        self.signature = _signature(self._added, self._canonical)
        # block -> (dictionary-only cut, search words, jieba's route)
        self._blocks: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
        self._suffix_scores: dict[str, tuple[list[float], list[int]]] = {}  # block -> calc()'s (scores, ends)
        self._block_limit = _MAX_REMEMBERED_BLOCKS
        self._log_total = log(self._total)
        self._log_probabilities: dict[str, float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def recipe_of(
        vocabulary: Iterable[str], synonym_groups: Iterable[Iterable[str]]
    ) -> tuple[list[str], tuple[tuple[str, ...], ...]]:
        return sorted(set(vocabulary)), tuple(tuple(group) for group in synonym_groups)

    @property
    def recipe(self) -> tuple[list[str], tuple[tuple[str, ...], ...]]:
        """What the tokenizer is built from: two with equal recipes segment every text alike."""
        return self._init_args

    @classmethod
    def for_kb(cls, vocabulary: Iterable[str], synonym_groups: Iterable[Iterable[str]]) -> Tokenizer:
        """The tokenizer for this vocabulary and these synonyms: the last one built if they are the same
        (its dictionary is built once, and texts it has analysed are not segmented again)."""
        recipe = cls.recipe_of(vocabulary, synonym_groups)
        with _RECENT_LOCK:
            for tokenizer in _RECENT:
                if tokenizer.recipe == recipe:
                    return tokenizer
            tokenizer = cls(*recipe)
            _RECENT[:] = [tokenizer]
            return tokenizer

    def renewed(self) -> Tokenizer:
        """A tokenizer of the same recipe with nothing loaded or remembered, made the one `for_kb` returns.

        A build from nothing fills this one's table with the dictionary's words for every character of
        the knowledge base (tens of MB); questions need a small part of it, which the new one loads as
        they come. Whoever still holds this one keeps using it safely."""
        fresh = Tokenizer(*self.recipe)
        with _RECENT_LOCK:
            _RECENT[:] = [fresh]
        _is_content.cache_clear()  # filled with the build's words
        return fresh

    def __reduce__(self) -> tuple:
        """Pickle the recipe, not jieba's 350,000-word dictionary (jieba caches that itself)."""
        return (Tokenizer, self._init_args)

    @contextlib.contextmanager
    def bulk(self) -> Iterator[None]:
        """Segment many texts (an index build): every block segmented is remembered while it lasts, and
        forgotten after."""
        self._block_limit = sys.maxsize
        try:
            yield
        finally:
            with self._lock:
                self._block_limit = _MAX_REMEMBERED_BLOCKS
                self._blocks, self._suffix_scores = {}, {}

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
        tag = lexicon().tag(word)
        return tag is None or tag in _TOPIC_TAGS

    def information_content(self, word: str) -> float:
        """-log of the word's frequency in jieba's bundled general-Chinese dictionary: how much a word
        the KB never uses says about the topic (住房 says more than 一下). Unseen words get the maximum."""
        self._load(word)
        frequency = self._frequencies.get(word, 0)
        if not frequency:
            return math.log(self._total)
        return math.log(self._total / frequency)

    def preload(self, text: str) -> None:
        """Load the dictionary's words for these characters now rather than when a text needs them."""
        self._load(text)

    def _load(self, text: str) -> None:
        """Add the dictionary's words that start with a character of `text`: every substring of `text`
        then reads as in jieba's table. Words of the KB keep their frequency."""
        if self._loaded_chars.issuperset(text):
            return
        with self._load_lock:
            new = set(text).difference(self._loaded_chars)
            if not new:
                return
            words, frequencies = lexicon().words(new)
            table = self._frequencies
            table.update(zip(words, frequencies, strict=True))  # a word listed twice: the last line wins
            table.update(dict.fromkeys(self._users.intersection(words), _USER_WORD_FREQ))
            table.update(dict.fromkeys(prefixes(words).difference(table), 0))
            self._loaded_chars.update(new)

    def segment(self, text: str) -> list[str]:
        """Dictionary-only segmentation (no HMM guessing), so unknown stretches fall apart."""
        return list(self._cut(text))

    def _block(self, block: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """A block of text jieba segments as one (a run of CJK, Latin letters, digits): its dictionary-only
        cut and its search words (jieba's HMM cut, plus the dictionary's 2- and 3-grams of long words,
        content words only). Memoised: a block that recurs across texts is segmented once."""
        found = self._blocks.get(block)
        if found is None:
            self._load(block)
            route, split = self._best_path(block)
            tail = self._blocks.get(block[split:]) if split else None
            head = route[: len(route) - len(tail[2])] if tail else route
            # Both cuts treat a word on its own, except runs of single characters (jieba's HMM guesses over
            # them, Latin letters and digits are joined): when no such run spans the split, the cuts of
            # the part after it are the remembered ones of the known suffix.
            if tail and not (len(head[-1]) == 1 and len(tail[2][0]) == 1):
                plain = (*_dictionary_only(head), *tail[0])
                search = (*(word for word in self._for_search(self._with_hmm(head)) if _is_content(word)), *tail[1])
            else:
                plain = tuple(_dictionary_only(route))
                search = tuple(word for word in self._for_search(self._with_hmm(route)) if _is_content(word))
            if len(self._blocks) >= self._block_limit:
                self._blocks, self._suffix_scores = {}, {}
            self._blocks[block] = (plain, search, route)
            found = (plain, search)
        return found[0], found[1]

    def _best_path(self, block: str) -> tuple[tuple[str, ...], int]:
        """The words jieba's get_DAG + calc pick, computed the same way: from the block's end backwards,
        each position's best (score, end) is the max over dictionary words starting there of
        (log(freq) - log(total)) + score after the word; a tie goes to the longer word, as max() over
        (score, end) tuples does. Log-probabilities are looked up rather than recomputed (same floating-
        point operations in the same order), and as a position's best depends only on the text after
        it, the scores of the longest already-scored suffix of the block are reused as they are.

        Returns the words, and where that suffix starts if the words do not run across its start (else 0)."""
        frequencies = self._frequencies
        log_probability = self._log_probability
        size = len(block)
        score: list[float] = [0.0] * (size + 1)
        end = [0] * (size + 1)
        known = size
        for start in range(1, size):
            suffix = self._suffix_scores.get(block[start:])
            if suffix is not None:
                score[start:size], end[start:size] = suffix[0], [start + e for e in suffix[1]]
                known = start
                break
        for start in range(known - 1, -1, -1):
            best_score, best_end = None, start
            i = start
            fragment = block[start]
            while i < size and fragment in frequencies:
                if frequencies[fragment]:
                    candidate = log_probability(fragment) + score[i + 1]
                    if best_score is None or candidate >= best_score:
                        best_score, best_end = candidate, i
                i += 1
                fragment = block[start : i + 1]
            if best_score is None:  # no dictionary word starts here: the character alone
                best_score = log_probability(block[start]) + score[start + 1]
            score[start], end[start] = best_score, best_end
        self._suffix_scores[block] = (score[:size], end[:size])
        pieces = []
        split = 0
        start = 0
        while start < size:
            if start == known:
                split = known
            pieces.append(block[start : end[start] + 1])
            start = end[start] + 1
        return tuple(pieces), split

    def _log_probability(self, word: str) -> float:
        found = self._log_probabilities.get(word)
        if found is None:
            found = log(self._frequencies.get(word) or 1) - self._log_total
            self._log_probabilities[word] = found
        return found

    def _cut(self, text: str) -> Iterator[str]:
        """jieba.Tokenizer.cut(text, HMM=False), block by block."""
        for block in _HAN_BLOCK.split(text):
            if not block:
                continue
            if _HAN_BLOCK.match(block):
                yield from self._block(block)[0]
            else:
                yield from _skipped(block)

    def _with_hmm(self, route: tuple[str, ...]) -> Iterator[str]:
        """jieba's HMM cut of a block: runs of single characters off the dictionary go to the HMM."""
        buffer = ""
        for word in route:
            if len(word) == 1:
                buffer += word
                continue
            if buffer:
                yield from self._guess(buffer)
                buffer = ""
            yield word
        if buffer:
            yield from self._guess(buffer)

    def _guess(self, buffer: str) -> Iterator[str]:
        if len(buffer) == 1:
            yield buffer
        elif not self._frequencies.get(buffer):
            yield from finalseg.cut(buffer)
        else:
            yield from buffer

    def _for_search(self, cut: Iterable[str]) -> Iterator[str]:
        """jieba.Tokenizer.cut_for_search over a cut: the dictionary's 2- and 3-grams of long words, then the word."""
        frequencies = self._frequencies
        for word in cut:
            if len(word) > 2:
                for i in range(len(word) - 1):
                    if frequencies.get(word[i : i + 2]):
                        yield word[i : i + 2]
            if len(word) > 3:
                for i in range(len(word) - 2):
                    if frequencies.get(word[i : i + 3]):
                        yield word[i : i + 3]
            yield word

    def words(self, text: str) -> list[str]:
        """Content words of canonical text, in order.

        Dictionary words only (jieba's HMM guesses glue a typo to its neighbours); characters the
        dictionary leaves alone are joined into one chunk (三换), and a lone one is dropped.
        """
        return _content_words(self._cut(_QUESTION_PHRASE.sub(" ", text)))

    def search_words(self, text: str) -> list[str]:
        """Content words plus the shorter words inside long ones (天津市 -> 天津), for lookups."""
        words: list[str] = []
        for block in _HAN_BLOCK.split(text):
            if not block:
                continue
            if _HAN_BLOCK.match(block):
                words.extend(self._block(block)[1])
            else:  # spaces and single characters, too short for 2- and 3-grams
                words.extend(piece for piece in _skipped(block) if _is_content(piece))
        return words

    def terms(self, text: str) -> list[str]:
        """Retrieval terms: search words plus CJK character bigrams."""
        return [*self.search_words(text), *bigrams(text)]


def bigrams(text: str) -> list[str]:
    """Every pair of neighbouring CJK characters, run by run."""
    pairs: list[str] = []
    for run in _CJK_RUN.findall(text):
        pairs.extend(run[i : i + 2] for i in range(len(run) - 1))
    return pairs


def _signature(added: list[str], canonical: dict[str, str]) -> str:
    """What an analysis depends on: jieba, the words added to it, the synonyms and this code."""
    digest = hashlib.sha256(f"jieba {jieba.__version__}\n".encode())
    for source in _SOURCES:
        digest.update(source.read_bytes())
    digest.update("\n".join(added).encode())
    digest.update("\n".join(f"{term}\t{canonical[term]}" for term in sorted(canonical)).encode())
    return digest.hexdigest()


def _skipped(block: str) -> Iterator[str]:
    """How jieba's cut yields text outside its blocks: each run of whitespace whole, else character by character."""
    for piece in _SKIP.split(block):
        if _SKIP.match(piece):
            yield piece
        else:
            yield from piece


def _dictionary_only(route: tuple[str, ...]) -> Iterator[str]:
    """jieba's cut without HMM: the route, with single Latin letters and digits run together."""
    buffer = ""
    for word in route:
        if len(word) == 1 and _ENGLISH.match(word):
            buffer += word
            continue
        if buffer:
            yield buffer
            buffer = ""
        yield word
    if buffer:
        yield buffer


def _content_words(pieces: Iterable[str]) -> list[str]:
    """Content words from a dictionary-only cut; runs of lone characters glued back together, and a
    number the cut broke apart made whole again: with 5年 a word of the knowledge base (力争5年), jieba
    cuts 2025年 into 202 | 5年, and 5年 is then an anchor that an entry about five years satisfies."""
    words: list[str] = []
    run: list[str] = []
    previous = ""
    for piece in [*pieces, " "]:
        if _is_single_cjk(piece) and piece not in STOPWORDS:
            run.append(piece)
            previous = piece
            continue
        if len(run) > 1:
            words.append("".join(run))
        run = []
        if words and previous and previous[-1].isdigit() and piece[:1].isdigit() and words[-1] == previous:
            words[-1] += piece
        elif _is_content(piece):
            words.append(piece)
        previous = piece
    return words


@functools.lru_cache(maxsize=1 << 17)
def _is_content(word: str) -> bool:
    return (
        bool(word.strip()) and word not in STOPWORDS and not _is_single_cjk(word) and not _COUNTING_WORD.fullmatch(word)
    )


def _is_single_cjk(piece: str) -> bool:
    """One CJK character (U+3400..U+9FFF)."""
    return len(piece) == 1 and "\u3400" <= piece <= "\u9fff"
