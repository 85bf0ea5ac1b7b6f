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
import operator
import re
import sys
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from math import log
from pathlib import Path
from types import ModuleType

from bot.text import routes
from bot.text.lexicon import ADMINISTRATIVE_SUFFIXES, lexicon, prefixes
from bot.text.normalize import normalise
from bot.text.pairs import characters_and_pairs
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

# A word jieba's dictionary lacks that holds one of these is a verb phrase cut short (不贷, 该扮, 才给),
# not the name of a topic.
_FUNCTION_CHARACTERS = frozenset("不没给了着过得该把被让很太最也都就还又才搞")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")  # a run of CJK characters with at least one pair
# Each pair of neighbouring characters, overlapping; none with a space (no word of jieba's has one).
_PAIR = re.compile(r"(?=(\S\S))")

# "三个", "几项", "两类", "几块": a count in words says how many, not what about.
_COUNTING_WORD = re.compile(r"[一二三四五六七八九十几两]+[个项样种条类点件块]")
# A rough size left in words (六百来万, 七千多, 几百): how much the asker has or means, not what about. Exact
# figures are digits by now (bot/text/numbers.py); a numeral word without a magnitude or an approximation
# (十四五, a plan's name) stays a word.
_ROUGH_SIZE = re.compile(
    r"[零〇一二两三四五六七八九十百千万亿几数上多来余]*[百千万亿几数多来余][零〇一二两三四五六七八九十百千万亿几数上多来余]*"
)
_QUESTION_PHRASE = re.compile("|".join(map(re.escape, QUESTION_PHRASES)))
# 万 or 亿 after a figure ends a word unless a unit follows (万元, 万吨, 万余, 亿级): 600万能补多少 is 600万 +
# 能补多少, not 600 + 万能 (almighty); 六百多万的 is not 万的.
_MAGNITUDE_END = re.compile(
    "(?<=[0-9零〇一二两三四五六七八九十百千多余来])([万亿])"
    "(?=[\u4e00-\u9fff])(?![元人吨户家亩平千台辆套个余多件张只次名所座美亿级])"
)
_USER_WORD_FREQ = 200_000  # high enough that jieba keeps KB terms whole
# The KB's words counted into the table's total as this many, whatever their number: with a total that moved
# with the vocabulary, a new keyword changed every path's score, so every text was segmented again (a full
# build on each edit that adds a word). Each of them raises the total by `_USER_WORD_FREQ`, as jieba's
# add_word() does. 1,970 is the shipped knowledge base's count when the total was fixed, so that its texts are
# segmented and its words weighed as before (2,000 moved four dev replies: the total is in every word's weight).
_USER_WORDS_COUNTED = 1_970
# jieba's own block and skip patterns (jieba 0.42): segmentation below reproduces jieba.Tokenizer.cut.
_HAN_BLOCK = jieba.re_han_default
_SKIP = jieba.re_skip_default
_ENGLISH = jieba.re_eng
_MAX_REMEMBERED_BLOCKS = 20_000  # bounds the block memo of a long-running process
_SUBSTRINGS_LISTED = 4096  # a term's substrings `_composed_variants` lists at most; past that, it tests each head
_RECENT: list[Tokenizer] = []  # the last tokenizer built, for the next version of the same KB
_RECENT_LOCK = threading.Lock()
_SOURCES = tuple(Path(__file__).with_name(name) for name in ("tokenize.py", "stopwords.py", "lexicon.py", "routes.py"))


# jieba's part-of-speech tags for nouns, names, abbreviations and nominal verbs: the kinds of word that
# name a topic (住房贷款 n, 公积金 n, 医保 j) rather than wrap a question (俺们 r, 急用 v, 早上好 l).
_TOPIC_TAGS = frozenset({"n", "nz", "nt", "ns", "nr", "nrt", "nrfg", "ng", "j", "vn", "an"})
_POINTING_TAGS = frozenset({"r", "s"})  # pronouns (本地, 别的, 哪项) and place words (当地, 省里)
_DEMONSTRATIVES = frozenset("这那")


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
        # rewritten, never left in a text: no words of the table (more words would weigh every path's words)
        self._canonical.update(_composed_variants(self._canonical))
        self._added = sorted(word for word in words if word and " " not in word)
        # jieba's table as its add_word() leaves it after loading the dictionary: the KB's words at a high
        # frequency, every prefix of a word at 0 (so a lookup can stop early), the dictionary's words as
        # their characters come up (`_load`).
        self._frequencies: dict[str, int] = dict.fromkeys(self._added, _USER_WORD_FREQ)
        self._frequencies.update(dict.fromkeys(prefixes(self._added).difference(self._frequencies), 0))
        self._users = frozenset(self._added)
        self._total = lexicon().total + _USER_WORD_FREQ * _USER_WORDS_COUNTED
        self._loaded: set[str] = set()  # characters and pairs of characters whose words are in the table
        self._load_lock = threading.Lock()
        # Canonical terms are in the pattern too, so 天津市 is kept whole rather than 天津 -> 天津市 + 市.
        self._synonym_pattern = re.compile(longest_first(self._canonical)) if self._canonical else None
        self.signature = _signature(self._added, self._canonical)
        self._forget()
        self._block_limit = _MAX_REMEMBERED_BLOCKS
        self._log_total = log(self._total)
        self._log_probabilities: dict[str, float] = {}
        self._lock = threading.Lock()
        self._fast: routes.FastRoutes | None = None  # jieba-rs's routes, during a build (`bulk`)
        self._fast_wanted = False
        self._thread = threading.local()  # whether this thread's texts are preloaded (`bulk`)

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

    def words_apart(self, other: Tokenizer) -> frozenset[str]:
        """The words one of the two tokenizers keeps whole and the other does not (a keyword, place or synonym
        term added or dropped). The table's total does not depend on them (`_USER_WORDS_COUNTED`), so a text
        that contains none of them is segmented alike by both."""
        return self._users.symmetric_difference(other._users)

    def rewrites_apart(self, other: Tokenizer) -> frozenset[str] | None:
        """The terms the two tokenizers' synonyms rewrite differently (a group added, dropped or changed), or
        None where they differ and a term of either, or what it becomes, holds a space: a rewrite can then move
        a text's spaces, and a text's canonical form with its spaces no longer follows from the form without
        them (one that no longer matches where a new term now does keeps the space it took out)."""
        mine, theirs = self._canonical, other._canonical
        apart = {term for term in mine.keys() | theirs.keys() if mine.get(term) != theirs.get(term)}
        spaced = any(" " in text for table in (mine, theirs) for pair in table.items() for text in pair)
        return None if apart and spaced else frozenset(apart)

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
    def bulk(self, fast: bool = True, texts: Iterable[str] = (), forget: bool = True) -> Iterator[None]:
        """Segment many texts (an index build): every block segmented is remembered while it lasts, and
        forgotten after; with `fast` and rjieba installed, blocks are routed by jieba-rs meanwhile
        (bot/text/routes.py: the same routes; not kept after, as its table would double the tokenizer's).
        `texts`: what this thread will segment meanwhile (or parts of it, as words() segments a text with
        question phrases taken out): their words are read at once, and no block is checked for its words
        again (a check cost as much as jieba-rs's route). Other threads go on checking theirs.
        `forget`: False keeps the blocks' memos (still valid) for a process about to exit, which need not
        free them."""
        self._block_limit = sys.maxsize
        self._fast_wanted = fast
        self._read_ahead(texts)
        try:
            yield
        finally:
            self._thread.preloaded = False
            with self._load_lock:
                self._fast_wanted = False
                self._fast = None
            with self._lock:
                self._block_limit = _MAX_REMEMBERED_BLOCKS
                if forget:
                    self._forget()

    def next_batch(self, texts: Iterable[str]) -> None:
        """Within `bulk`, for a build that segments its texts batch by batch: forget the memos of the
        batch before, then read the words of this batch's texts at once (as `bulk` does for its `texts`)."""
        with self._lock:
            self._forget()
        self._read_ahead(texts)

    def _read_ahead(self, texts: Iterable[str]) -> None:
        """Read the words of the texts this thread is about to segment, and stop checking its blocks for
        theirs (see `bulk`)."""
        texts = tuple(texts)
        self.preload(*texts)
        self._thread.preloaded = bool(texts)

    def canonicalise(self, text: str) -> str:
        """Rewrite every synonym to its group's canonical term (longest match wins, one pass)."""
        if self._synonym_pattern is None:
            return text
        return self._synonym_pattern.sub(lambda m: self._canonical[m.group(0)], text)

    def canonicalise_many(self, texts: Sequence[str]) -> list[str]:
        """`canonicalise` of each text, the synonyms rewritten over their join (no synonym spans a line
        break, which normalised text has none of) in one regex pass."""
        if self._synonym_pattern is None or "" in self._canonical or any("\n" in text for text in texts):
            return [self.canonicalise(text) for text in texts]
        canonical = self._canonical
        found = self._synonym_pattern.sub(lambda m: canonical[m.group(0)], "\n".join(texts)).split("\n")
        return found if len(found) == len(texts) else [self.canonicalise(text) for text in texts]

    @property
    def synonym_terms(self) -> set[str]:
        return set(self._canonical)

    def names_a_topic(self, word: str, phrases: bool = False) -> bool:
        """Whether general Chinese uses the word as a noun or name; words jieba does not know count too
        unless they hold a function character (不贷), and with `phrases` its fixed phrases (技术改造, tag l)."""
        tag = lexicon().tag(word)
        if tag is None:
            return not _FUNCTION_CHARACTERS.intersection(word)
        return tag in _TOPIC_TAGS or (phrases and tag == "l")

    def points_rather_than_names(self, word: str) -> bool:
        """Whether general Chinese lists the word as a pronoun or a place word (当地, 本地, 别的, 哪项, 什么样),
        or it is a demonstrative with a measure word (这件, 这方面): it points at a thing the question names
        elsewhere. Not one holding an administrative level (我市, 各县), which says whose document it is."""
        tag = lexicon().tag(word)
        points = tag in _POINTING_TAGS or (tag is not None and word[:1] in _DEMONSTRATIVES)
        return points and not any(char in ADMINISTRATIVE_SUFFIXES for char in word)

    def is_dictionary_noun(self, word: str) -> bool:
        """Whether general Chinese lists the word as a noun or name: a real word, not a typo's fragment."""
        tag = lexicon().tag(word)
        return tag is not None and tag in _TOPIC_TAGS

    def information_content(self, word: str) -> float:
        """-log of the word's frequency in jieba's bundled general-Chinese dictionary: how much a word
        the KB never uses says about the topic (住房 says more than 一下). Unseen words get the maximum."""
        self._load(word)
        # a word of the knowledge base's own (a synonym no entry writes as a word: 芯片) is in the table at
        # the frequency that keeps it whole; general Chinese is what tells its weight (平顶山芯片产业怎么样
        # weighed 芯片 0.3 and was answered with an entry on Pingdingshan's industry)
        frequency = _general_frequency(word) if word in self._users else self._frequencies.get(word, 0)
        if not frequency:
            return math.log(self._total)
        return math.log(self._total / frequency)

    def is_knowledge_word(self, text: str) -> bool:
        """Whether the knowledge base uses `text` as a word (a keyword, a synonym), not jieba's dictionary only."""
        return text in self._users

    def is_word(self, text: str) -> bool:
        """Whether jieba's dictionary or the knowledge base has `text` as a word."""
        self._load(text[:2])
        return self._frequencies.get(text, 0) > 0

    def preload(self, *texts: str) -> None:
        """Load the dictionary's words for these texts now rather than when a text needs them (one read
        for many texts costs less than one each). Their keys are found in arrays (bot/text/pairs.py): pair by
        pair they were a million strings for the fifteen thousand distinct ones of a build's share."""
        self._load_keys(characters_and_pairs(texts))

    def _start_fast(self) -> routes.FastRoutes | None:
        """jieba-rs over the table, made when a build first routes a block (a build that restores every
        entry from the cache routes none, and does not load it)."""
        with self._load_lock:
            if self._fast is None and self._fast_wanted and routes.available():
                self._fast = routes.FastRoutes(self._total, self._frequencies.get)
                self._fast.add((word, frequency) for word, frequency in self._frequencies.items() if frequency)
            return self._fast

    def _load(self, text: str) -> None:
        """Add the dictionary's words that are a character of `text` or start with two neighbouring ones
        (see lexicon.py): every substring of `text` then reads as in jieba's table. Words of the KB keep
        their frequency."""
        loaded = self._loaded
        if not (loaded.issuperset(text) and loaded.issuperset(map(operator.add, text, text[1:]))):
            self._load_keys({*text, *_PAIR.findall(text)})

    def _load_keys(self, keys: set[str]) -> None:
        if self._loaded.issuperset(keys):
            return
        with self._load_lock:
            new = keys.difference(self._loaded)
            if not new:
                return
            dictionary = lexicon()
            words, frequencies = dictionary.words(new)
            table = self._frequencies
            table.update(zip(words, frequencies, strict=True))  # a word listed twice: the last line wins
            table.update(dict.fromkeys(self._users.intersection(words), _USER_WORD_FREQ))
            table.update(dict.fromkeys(prefixes(words).difference(table), 0))
            # A character that is no word but starts one is a prefix (0) whether or not a pair showed it.
            prefix_chars = [key for key in new if len(key) == 1 and key not in table and dictionary.starts_a_word(key)]
            table.update(dict.fromkeys(prefix_chars, 0))
            if self._fast is not None:  # the KB's words are there already
                self._fast.add((word, table[word]) for word in set(words).difference(self._users))
            self._loaded.update(new)

    def segment(self, text: str) -> list[str]:
        """Dictionary-only segmentation (no HMM guessing), so unknown stretches fall apart."""
        return self._cut(text)

    def _route(self, block: str) -> tuple[str, ...]:
        """jieba's route through a block of text it segments as one (a run of CJK, Latin letters, digits).
        Memoised: a block that recurs across texts is routed once."""
        route = self._routes.get(block)
        if route is None:
            if not getattr(self._thread, "preloaded", False):
                self._load(block)
            # an English word is one word: training is no tr|ai|ning because the KB says AI
            route = (block,) if block.isascii() and block.isalpha() else self._best_path(block)
            if len(self._routes) >= self._block_limit:
                self._forget()
            self._routes[block] = route
        return route

    def _plain(self, block: str) -> tuple[str, ...]:
        """The block's dictionary-only cut (made only for blocks that need it: most need one of the two cuts)."""
        found = self._plains.get(block)
        if found is None:
            route = self._route(block)  # jieba-rs's routing keeps its cut, which is this (`_best_path`)
            found = self._plains.get(block)
            if found is None:  # without Latin letters or digits, no single ones to run together
                found = route if _ENGLISH.search(block) is None else tuple(_dictionary_only(route))
                self._plains[block] = found
        return found

    def _search(self, block: str) -> tuple[str, ...]:
        """The block's search words: jieba's HMM cut, plus the dictionary's 2- and 3-grams of long words,
        content words only. Each word of the route, and each run of single characters (what the HMM sees),
        contributes on its own, so their contributions are remembered across blocks."""
        found = self._searches.get(block)
        if found is None:
            found = self._searches[block] = self._search_of_route(self._route(block))
        return found

    def _search_of_route(self, route: tuple[str, ...]) -> tuple[str, ...]:
        words: list[str] = []
        buffer = ""
        for word in route:
            if len(word) == 1:
                buffer += word
                continue
            if buffer:
                found = self._run_searches.get(buffer)
                words.extend(self._search_run(buffer) if found is None else found)
                buffer = ""
            found = self._word_searches.get(word)
            words.extend(self._search_word(word) if found is None else found)
        if buffer:
            found = self._run_searches.get(buffer)
            words.extend(self._search_run(buffer) if found is None else found)
        return tuple(words)

    def _search_word(self, word: str) -> tuple[str, ...]:
        """Search words of a word of a route (two or more characters)."""
        found = self._word_searches[word] = tuple(w for w in self._for_search((word,)) if _is_content(w))
        return found

    def _search_run(self, run: str) -> tuple[str, ...]:
        """Search words of a run of single characters in a route (jieba's HMM guesses over it)."""
        found = self._run_searches[run] = tuple(w for w in self._for_search(self._guess(run)) if _is_content(w))
        return found

    def _forget(self) -> None:
        """Drop every memo of blocks and their parts."""
        self._routes: dict[str, tuple[str, ...]] = {}  # block -> jieba's route
        self._plains: dict[str, tuple[str, ...]] = {}  # block -> dictionary-only cut
        self._searches: dict[str, tuple[str, ...]] = {}  # block -> search words
        self._word_searches: dict[str, tuple[str, ...]] = {}  # word of a route -> its search words
        self._run_searches: dict[str, tuple[str, ...]] = {}  # run of single characters -> its search words
        self._suffix_scores: dict[str, tuple[list[float], list[int]]] = {}  # block -> calc()'s (scores, ends)

    def _best_path(self, block: str) -> tuple[str, ...]:
        """The words jieba's get_DAG + calc pick, computed the same way: from the block's end backwards,
        each position's best (score, end) is the max over dictionary words starting there of
        (log(freq) - log(total)) + score after the word; a tie goes to the longer word, as max() over
        (score, end) tuples does. Log-probabilities are looked up rather than recomputed (same floating-
        point operations in the same order), and as a position's best depends only on the text after
        it, the scores of the longest already-scored suffix of the block are reused as they are.
        During a build, jieba-rs finds the route (`bulk`)."""
        fast = self._fast if self._fast is not None or not self._fast_wanted else self._start_fast()
        if fast is not None:
            found = fast.route_and_cut(block)
            if found is not None:
                self._plains[block] = found[1]  # jieba-rs's cut is the plain cut (`_plain`)
                return found[0]
        get = self._frequencies.get
        log_probabilities = self._log_probabilities
        log_total = self._log_total
        size = len(block)
        score: list[float] = [0.0] * (size + 1)
        end = [0] * (size + 1)
        known = size
        suffixes = self._suffix_scores
        for start in range(1, size):
            suffix = suffixes.get(block[start:])
            if suffix is not None:
                score[start:size], end[start:size] = suffix[0], [start + e for e in suffix[1]]
                known = start
                break
        for start in range(known - 1, -1, -1):
            best_score, best_end = None, start
            for i in range(start, size):
                fragment = block[start : i + 1]
                frequency = get(fragment)
                if frequency is None:  # not even a prefix of a word: no longer word starts here
                    break
                if frequency:
                    log_probability = log_probabilities.get(fragment)
                    if log_probability is None:
                        log_probability = log_probabilities[fragment] = log(frequency) - log_total
                    candidate = log_probability + score[i + 1]
                    if best_score is None or candidate >= best_score:
                        best_score, best_end = candidate, i
            if best_score is None:  # no dictionary word starts here: the character alone, log(1) - log(total)
                best_score = -log_total + score[start + 1]
            score[start], end[start] = best_score, best_end
        suffixes[block] = (score[:size], end[:size])
        pieces = []
        start = 0
        while start < size:
            stop = end[start] + 1
            pieces.append(block[start:stop])
            start = stop
        return tuple(pieces)

    def _cut(self, text: str) -> list[str]:
        """jieba.Tokenizer.cut(text, HMM=False), block by block: `_HAN_BLOCK.split` (one capturing group)
        puts jieba's blocks at the odd positions and the text between them at the even ones."""
        pieces: list[str] = []
        for position, part in enumerate(_HAN_BLOCK.split(text)):
            if position % 2:
                pieces.extend(self._plain(part))
            elif part:
                pieces.extend(_skipped(part))
        return pieces

    def _guess(self, buffer: str) -> Iterator[str]:
        """jieba's HMM cut of a run of single characters off the dictionary."""
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
            if word.isascii() and word.isalpha():  # no 2- and 3-grams of an English word (the ai of chain)
                yield word
                continue
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
        return _content_words(self._question_cut(text))

    def words_and_lone_nouns(self, text: str) -> tuple[list[str], list[str]]:
        """`words`, and from the same cut the characters standing alone that general Chinese uses as nouns
        (奖 of 发了奖, 税 of 交了税), which `words` drops with the other lone ones: what a question asks
        about may be one of them. Not an administrative level (那个市): it says which place, not what."""
        pieces = self._question_cut(text)
        return _content_words(_unglued(pieces)), [piece for piece in pieces if _is_lone_noun(piece)]

    def _question_cut(self, text: str) -> list[str]:
        """The dictionary-only cut `words` reads, question phrases (是多少) left out."""
        return self._cut(_end_magnitudes(_QUESTION_PHRASE.sub(" ", text)))

    def search_words(self, text: str) -> list[str]:
        """Content words plus the shorter words inside long ones (天津市 -> 天津), for lookups."""
        words: list[str] = []
        for position, part in enumerate(_HAN_BLOCK.split(_end_magnitudes(text))):
            if position % 2:
                words.extend(self._search(part))
            elif part:  # spaces and single characters, too short for 2- and 3-grams
                words.extend(_skipped_content(part))
        return words

    def terms(self, text: str) -> list[str]:
        """Retrieval terms: search words plus CJK character bigrams."""
        return [*self.search_words(text), *bigrams(text)]


def longest_first(terms: Iterable[str]) -> str:
    """A regex matching, at each position, the longest of the terms that starts there (what the
    alternation of the terms longest first matches), written as a tree of their shared beginnings: the
    regex engine tries each character once rather than every term that starts with it (a third of the
    time over an index build's texts)."""
    tree: dict[str, dict] = {}
    for term in terms:
        node = tree
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}  # a term ends here
    return _branches(tree)


def _branches(node: dict[str, dict]) -> str:
    """The regex of what may follow a node of `longest_first`'s tree: its longer terms first (a greedy
    `?` tries them before the term that ends here, and backtracks to it if they fail)."""
    branches = [re.escape(char) + _branches(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    either = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{either})?" if "" in node else either


def _end_magnitudes(text: str) -> str:
    if "万" not in text and "亿" not in text:  # most texts: a substring test is cheaper than the regex
        return text
    return _MAGNITUDE_END.sub(r"\1 ", text)


def bigrams(text: str) -> list[str]:
    """Every pair of neighbouring CJK characters, left to right: the runs of CJK found by the regex engine,
    each run's pairs made by `map` (a build makes millions; a lookahead per pair cost half as much again)."""
    runs = _CJK_RUN.findall(text)
    if len(runs) == 1:
        run = runs[0]
        return list(map(operator.add, run, run[1:]))
    pairs: list[str] = []
    for run in runs:
        pairs += map(operator.add, run, run[1:])
    return pairs


def _signature(added: list[str], canonical: dict[str, str]) -> str:
    """What an analysis depends on: jieba, the words added to it, the synonyms and this code."""
    digest = hashlib.sha256(f"jieba {jieba.__version__}\n".encode())
    for source in _SOURCES:
        digest.update(source.read_bytes())
    digest.update("\n".join(added).encode())
    digest.update("\n".join(f"{term}\t{canonical[term]}" for term in sorted(canonical)).encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=1 << 12)
def _skipped(text: str) -> tuple[str, ...]:
    """How jieba's cut yields text outside its blocks: each run of whitespace whole, else character by
    character (`_SKIP.split` puts the whitespace at the odd positions)."""
    pieces: list[str] = []
    for position, piece in enumerate(_SKIP.split(text)):
        if position % 2:
            pieces.append(piece)
        else:
            pieces.extend(piece)
    return tuple(pieces)


@functools.lru_cache(maxsize=1 << 12)
def _skipped_content(text: str) -> tuple[str, ...]:
    return tuple(piece for piece in _skipped(text) if _is_content(piece))


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


def _is_lone_noun(piece: str) -> bool:
    """A piece of a cut that is one CJK character which general Chinese uses as a noun, and no function word
    or administrative level (`Tokenizer.words_and_lone_nouns`)."""
    return (
        _is_single_cjk(piece)
        and piece not in STOPWORDS
        and piece not in ADMINISTRATIVE_SUFFIXES
        and lexicon().tag(piece) == "n"
    )


def _composed_variants(canonical: Mapping[str, str]) -> dict[str, str]:
    """Synonym terms written with another group's word in another group's wording: 新的拖欠 (of the 新增拖欠
    group) holds 拖欠, so 新的欠账 is in that group too. The rewrite is one pass, longest term first: without
    these, 新的欠账 became 新的拖欠 and stayed that, a word no entry writes. Terms already in a group keep it."""
    members: dict[str, list[str]] = {}
    for term, head in canonical.items():
        if term != head:
            members.setdefault(head, []).append(term)
    # Each term's substrings (no longer than the longest head) looked up among the heads, taken in the heads'
    # order: the same variants in the same order as testing every head against every term, which was a third
    # of a cold `ask`'s tokenizer. A term too long for that (a pasted paragraph) tests every head instead.
    order = {other: position for position, other in enumerate(members) if len(other) >= 2}
    longest = max(map(len, order), default=0)
    variants: dict[str, str] = {}
    for term, head in canonical.items():
        size = len(term)
        if size * min(size, longest) <= _SUBSTRINGS_LISTED:
            inside = {term[i:j] for i in range(size) for j in range(i + 2, min(size, i + longest) + 1)}
            found = sorted(inside.intersection(order), key=order.__getitem__)
        else:
            found = [other for other in order if other in term]
        for other in found:
            if other in (head, term):
                continue
            for member in members[other]:
                variant = term.replace(other, member)
                if variant not in canonical and variant not in variants:
                    variants[variant] = head
    return variants


# A measure word or administrative level right after a demonstrative (那家, 那个市) points at what the question
# names next, and 来 or 去 between two verbs (用三个字来概括, 拿什么去换) only links them: glued to the lone
# character after them they made rare words no entry knows (家大, 市催, 字来, 来备), weighed as topics.
_POINTERS = frozenset({"那", "这", "哪", "每", "该", "本", "各", "某", "那个", "这个", "哪个", "某个"})
_LINKING_VERBS = frozenset("来去")


def _unglued(pieces: list[str]) -> list[str]:
    """A question's cut with the lone characters that only point or link made spaces, so `_content_words`
    glues no word out of them."""
    kept = []
    previous = ""
    for piece in pieces:
        points = previous in _POINTERS and _is_single_cjk(piece) and _is_measure_or_level(piece)
        kept.append(" " if points or piece in _LINKING_VERBS else piece)
        previous = piece
    return kept


def _is_measure_or_level(char: str) -> bool:
    return char in ADMINISTRATIVE_SUFFIXES or lexicon().tag(char) == "q"


def _content_words(pieces: Iterable[str]) -> list[str]:
    """Content words from a dictionary-only cut; runs of lone characters glued back together, and a
    number the cut broke apart made whole again: with 5年 a word of the knowledge base (力争5年), jieba
    cuts 2025年 into 202 | 5年, and 5年 is then an anchor that an entry about five years satisfies."""
    words: list[str] = []
    run: list[str] = []
    previous = ""  # the last piece, when it was a number (a piece starting with a digit is one, `_kind`)
    numbers = False  # whether a word starting with a digit was kept (its trailing "." goes)
    kinds = _KINDS
    for piece in pieces:
        kind = kinds.get(piece)
        if kind is None:
            kind = _kind(piece)
        if kind == _LONE:
            run.append(piece)
            previous = ""
            continue
        if run:
            if len(run) > 1:
                joined = "".join(run)
                if _is_content(joined):
                    words.append(joined)
            run = []
        if previous and words[-1] == previous and _continues_number(previous, piece):
            words[-1] = previous = previous + piece
            continue
        if kind & _CONTENT:
            words.append(piece)
            if kind == _NUMBER:
                numbers = True
                previous = piece
                continue
        previous = ""
    if len(run) > 1:
        joined = "".join(run)
        if _is_content(joined):
            words.append(joined)
    return [word.rstrip(".") if word[:1].isdigit() else word for word in words] if numbers else words


def _continues_number(number: str, piece: str) -> bool:
    """Whether `piece` goes on with the number cut before it: more digits (202 | 5年), a decimal point
    (1 | . | 5 is 1.5) or a percent sign (12.5 | %)."""
    if not number[:1].isdigit():
        return False
    if number[-1].isdigit():
        return piece[:1].isdigit() or piece in (".", "%")
    return number[-1] == "." and piece[:1].isdigit()


def _is_punctuation(piece: str) -> bool:
    return all(unicodedata.category(char).startswith("P") for char in piece)


# What `_content_words` makes of a piece: a lone character (glued to its neighbours), a content word
# (one starting with a digit flagged too), or neither; remembered per piece (a build reads millions of
# pieces, a few hundred thousand distinct).
_OTHER, _LONE, _CONTENT = 0, 1, 2
_NUMBER = _CONTENT | 4
_KINDS: dict[str, int] = {}
_MAX_KINDS = 1 << 18


def _kind(piece: str) -> int:
    if _is_single_cjk(piece) and piece not in STOPWORDS:
        kind = _LONE
    elif _is_content(piece) and not _is_punctuation(piece):
        kind = _NUMBER if piece[:1].isdigit() else _CONTENT
    else:
        kind = _OTHER
    if len(_KINDS) >= _MAX_KINDS:
        _KINDS.clear()
    _KINDS[piece] = kind
    return kind


@functools.lru_cache(maxsize=4096)
def _general_frequency(word: str) -> int:
    """The word's frequency in jieba's dictionary alone (0 if it lacks the word)."""
    words, frequencies = lexicon().words({word[:2]} if len(word) > 1 else {word})
    return dict(zip(words, frequencies, strict=True)).get(word, 0)


@functools.lru_cache(maxsize=1 << 17)
def _is_content(word: str) -> bool:
    return (
        bool(word.strip())
        and word not in STOPWORDS
        and not _is_single_cjk(word)
        and not _COUNTING_WORD.fullmatch(word)
        and not _ROUGH_SIZE.fullmatch(word)
    )


_CJK_ONLY = re.compile("[\u3400-\u9fff]*")


def is_cjk(text: str) -> bool:
    """Whether every character is a CJK one (U+3400..U+9FFF)."""
    return _CJK_ONLY.fullmatch(text) is not None


def _is_single_cjk(piece: str) -> bool:
    """One CJK character (U+3400..U+9FFF)."""
    return len(piece) == 1 and "\u3400" <= piece <= "\u9fff"
