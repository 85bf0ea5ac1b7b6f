"""The search index over a knowledge base: BM25 for candidate retrieval, plus what re-ranking needs.

Built once per knowledge-base version; a query costs one sparse BM25 scoring pass plus fuzzy
comparisons against a bounded number of candidates.

Building segments each distinct text once (a text repeated across entries, such as a document's
title, is looked up), and a rebuild from the previous version's index (an edit) re-segments only the
entries that changed, and those whose texts hold a keyword, place or synonym term the edit added or dropped
(a word jieba's dictionary gains changes the segmentation only where it is written) or that new synonyms make
canonical otherwise (`MatchIndex._reusable`). A synonym term holding a space starts afresh.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from bot.kb.loader import KnowledgeBase
from bot.kb.schema import FaqEntry
from bot.match import bm25
from bot.match.answer_type import compile_types
from bot.match.similarity import sorted_words
from bot.match.stored import Derived, entry_key, pack, unpack
from bot.match.typos import HomophoneRepairer
from bot.text.normalize import normalise, normalise_many, to_simplified
from bot.text.numbers import arabic_numbers
from bot.text.stopwords import QUESTION_PHRASES, STOPWORDS
from bot.text.tokenize import Tokenizer, bigrams, longest_first


@dataclass(frozen=True)
class IndexedEntry:
    """An entry's phrasings in canonical form, and every word it knows (for query-term coverage).

    `vocabulary` is sorted (looked up by bisection): a frozenset of 100 words takes 4 KB, a tuple 1 KB,
    and 10,000 entries' sets were 40 MB. The phrasings and their words are packed into one string each
    (`stored.pack`), and split for the few candidates a question compares (make one with `of`)."""

    entry: FaqEntry
    packed_phrasings: str
    packed_phrasing_words: str
    vocabulary: tuple[str, ...]
    full_text: str
    answer_plain: str  # the answer in simplified, half-width form, punctuation kept (for fact kinds)

    @classmethod
    def of(
        cls,
        entry: FaqEntry,
        phrasings: Sequence[str],
        phrasing_words: Sequence[str],
        vocabulary: tuple[str, ...],
        full_text: str,
        answer_plain: str,
    ) -> IndexedEntry:
        """`phrasing_words`: each phrasing's words, sorted (bot/match/similarity.py); one per phrasing."""
        if len(phrasings) != len(phrasing_words) or not phrasings:
            raise ValueError("an entry has one or more phrasings, and words for each")
        return cls(entry, pack(phrasings), pack(phrasing_words), vocabulary, full_text, answer_plain)

    @property
    def phrasings(self) -> list[str]:
        return unpack(self.packed_phrasings)

    @property
    def phrasing_words(self) -> list[str]:
        """Each phrasing's words, sorted (bot/match/similarity.py)."""
        return unpack(self.packed_phrasing_words)


_SIBLING_MIN_LENGTH = 4  # 绿色工厂 and 智能工厂: a two-character modifier before a two-character head
_ALL_CJK = re.compile("[\u4e00-\u9fff]+")
_SIBLING_PATTERNS_KEPT = 10_000  # question words whose sibling pattern is kept
_RENEW_AFTER_TEXTS = 5_000  # a build that segmented this many texts leaves a tokenizer worth renewing


class MatchIndex:
    """Everything a query is matched against, derived from one knowledge base."""

    def __init__(
        self,
        kb: KnowledgeBase,
        previous: MatchIndex | None = None,
        stored: Mapping[str, Derived] | None = None,
        keys: Sequence[str] | None = None,
    ) -> None:
        """`previous`: the index of the version before an edit (its unchanged entries are reused);
        `stored`: entries' data from the index cache, by `entry_key` (made by this same tokenizer);
        `keys`: each entry's `entry_key`, in order, where the processes that derived them computed them
        (0.9 s at 100,000 entries)."""
        self.kb = kb
        self._sibling_patterns: dict[str, re.Pattern[str] | None] = {}
        vocabulary = _vocabulary(kb)
        words_apart: frozenset[str] = frozenset()  # words the previous tokenizer kept whole and this not, or back
        rewritten = False  # whether the synonyms changed, and so the canonical form of texts holding their terms
        if previous is not None and previous.tokenizer.recipe != Tokenizer.recipe_of(vocabulary, kb.synonym_groups):
            tokenizer = Tokenizer.for_kb(vocabulary, kb.synonym_groups)
            # a new keyword, place or synonym term: only the texts that hold it, or that a new synonym
            # rewrites otherwise, read differently
            words_apart = previous.tokenizer.words_apart(tokenizer)
            rewrites = previous.tokenizer.rewrites_apart(tokenizer)
            rewritten = bool(rewrites)
            if rewrites is None:
                previous = None  # a rewrite that moves spaces: start afresh
        else:
            tokenizer = previous.tokenizer if previous is not None else Tokenizer.for_kb(vocabulary, kb.synonym_groups)
        self.tokenizer = tokenizer
        texts = _Texts(tokenizer)
        self._contexts = _contexts(kb, texts)
        reusable: dict[str, tuple[IndexedEntry, bm25.Counts]] = {}
        if previous is not None:
            reusable = previous._reusable(self._contexts, words_apart, texts if rewritten else None)
        self._vocabulary = previous._vocabulary.copy() if previous is not None else bm25.Vocabulary()
        built = []
        stored = stored or {}
        key_of = functools.partial(_key_of, contexts=self._contexts)
        if keys is None or len(keys) != len(kb.entries) or not _keys_agree(kb.entries, keys, key_of):
            kept = previous._kept_keys(reusable) if previous is not None else {}
            keys = [_kept_or_new(kept.get(entry.id), entry, key_of) for entry in kb.entries]
        self._keys = tuple(keys)
        # Each entry's source, decided once (comparing entries costs): the previous version's, the cache, or None.
        sources: list[tuple[IndexedEntry, bm25.Counts] | Derived | None] = []
        for entry, key in zip(kb.entries, self._keys, strict=True):
            old = reusable.get(entry.id)
            same = old is not None and (old[0].entry is entry or old[0].entry == entry)
            sources.append(old if same else stored.get(key))
        fresh = [entry for entry, source in zip(kb.entries, sources, strict=True) if source is None]
        # jieba-rs pays for a build of most entries, not for an edit's few (see Tokenizer.bulk)
        fast = previous is None and len(stored) < len(kb.entries) // 2
        with tokenizer.bulk(fast, texts.to_segment(fresh, self._contexts)):
            if all(isinstance(source, Derived) for source in sources):  # from the index cache or build workers
                self.entries, self._counts = self._restore_all(kb.entries, sources)  # type: ignore[arg-type]
            else:
                for entry, source in zip(kb.entries, sources, strict=True):
                    if source is None:
                        built.append(self._index_entry(entry, texts))
                    elif isinstance(source, Derived):
                        built.append(self._restore(entry, source))
                    else:
                        built.append(source)
                self.entries = tuple(indexed for indexed, _ in built)
                self._counts = bm25.PackedCounts.pack([counts for _, counts in built])  # kept for the next build
        self.question_types = compile_types(kb.question_types)
        self._document_frequency = _document_frequency(self.entries, previous)
        total = len(self.entries)
        self.word_idf = {word: math.log(1 + total / count) for word, count in self._document_frequency.items()}
        term_counts = Counter(self._document_frequency)
        term_counts.update({term: 1 for term in tokenizer.synonym_terms if term not in term_counts})
        # Question and function words are slipped on too (多绍 for 多少, 拿边 for 那边).
        # Question phrases too: 哪年 is written as meant, not a slip for the KB's 那年.
        question_words = STOPWORDS.union(QUESTION_PHRASES)
        term_counts.update({word: 1 for word in question_words if len(word) > 1 and word not in term_counts})
        if previous is None and texts.seen > _RENEW_AFTER_TEXTS:  # see Tokenizer.renewed
            self.tokenizer = tokenizer = tokenizer.renewed()
        sounds = previous.repairer.sounds_read() if previous is not None else None
        self.repairer = HomophoneRepairer(term_counts, tokenizer.segment, sounds, tokenizer.information_content)
        self.bm25 = bm25.build(self._counts, self._vocabulary)

    def warm(self) -> None:
        """Read now what early questions would otherwise wait for: the terms' sounds, and jieba's words
        for the characters of the entries' phrasings (what questions are written in; a common character's
        group takes milliseconds to load). A serving process calls this; a one-off `ask` does not pay for
        what its question does not need."""
        self.repairer.warm()
        _ = self._compounds_by_head  # what a question's first compound term waits for (3 ms at 10,000 entries)
        # No pair across two phrasings (half of a join's pairs were ones no text has), and no string made
        # for a pair twice (a list of millions of them left 120 MB resident at 10,000 entries): pairs.py.
        self.tokenizer.preload(*(text for indexed in self.entries for text in indexed.phrasings))

    def canonical(self, text: str) -> str:
        return self.tokenizer.canonicalise(normalise(text))

    def _reusable(
        self, contexts: dict[str, str], words_apart: frozenset[str] = frozenset(), rewritten: _Texts | None = None
    ) -> dict[str, tuple[IndexedEntry, bm25.Counts]]:
        """This index's entries, by id, whose document context reads the same in the next version and whose
        texts hold none of `words_apart` (words the next version's tokenizer keeps whole and this one's not,
        or the other way round: `Tokenizer.words_apart`). `rewritten`: the next version's texts where its
        synonyms differ; an entry whose texts they make canonical otherwise is not reusable either."""
        holds = re.compile(longest_first(words_apart)).search if words_apart else None
        if rewritten is not None:  # every entry's texts made canonical at once, as a build does
            rewritten.canonicalise_all(text for indexed in self.entries for text in _raw_texts(indexed.entry))
        return {
            indexed.entry.id: (indexed, counts)
            for indexed, counts in zip(self.entries, self._counts, strict=True)
            if self._contexts.get(indexed.entry.source.seed, "") == contexts.get(indexed.entry.source.seed, "")
            and (holds is None or not holds(indexed.full_text))
            and (rewritten is None or _reads_alike(indexed, rewritten, contexts.get(indexed.entry.source.seed, "")))
        }

    def _kept_keys(self, reusable: Mapping[str, object]) -> dict[str, tuple[FaqEntry, str]]:
        """The keys of the entries the next version may reuse, by id, each with the entry it is the key of."""
        return {
            indexed.entry.id: (indexed.entry, key)
            for indexed, key in zip(self.entries, self._keys, strict=True)
            if indexed.entry.id in reusable
        }

    def derived_keys(self) -> tuple[str, ...]:
        return self._keys

    def derived(self) -> dict[str, Derived]:
        """Every entry's data by `entry_key`, for the index cache."""
        terms = list(self._vocabulary.ids)  # ids are positions: terms in the order they were numbered
        return {
            key: _derived(indexed, tuple(terms[i] for i in counts.ids.tolist()), tuple(counts.tf.tolist()))
            for key, indexed, counts in zip(self._keys, self.entries, self._counts, strict=True)
        }

    def _restore(self, entry: FaqEntry, stored: Derived) -> tuple[IndexedEntry, bm25.Counts]:
        """An entry indexed from its cached data: what `_index_entry` would compute, without computing it."""
        return _restored(entry, stored), self._vocabulary.counts_of(stored.terms, stored.tf)

    def _restore_all(
        self, entries: Sequence[FaqEntry], stored: Sequence[Derived]
    ) -> tuple[tuple[IndexedEntry, ...], bm25.PackedCounts]:
        """Every entry restored from its data (`_restore`), their term counts packed at once rather than
        made into two arrays per entry and then joined (1.5 s of a 100,000-entry build)."""
        indexed = tuple(_restored(entry, data) for entry, data in zip(entries, stored, strict=True))
        columns_of = self._vocabulary.columns_of
        columns = [columns_of(data.terms) for data in stored]
        return indexed, bm25.PackedCounts.of_columns(columns, [data.tf for data in stored])

    def _index_entry(self, entry: FaqEntry, texts: _Texts) -> tuple[IndexedEntry, bm25.Counts]:
        """The entry's indexed form and its BM25 term counts."""
        indexed, terms = _indexed(entry, texts, self._contexts.get(entry.source.seed, ""))
        return indexed, self._vocabulary.counts(terms)

    @functools.cached_property
    def _compounds_by_head(self) -> dict[str, tuple[str, ...]]:
        """The knowledge base's compound terms (four or more Chinese characters) by their last two."""
        by_head: dict[str, list[str]] = {}
        for word in self.word_idf:
            if len(word) >= _SIBLING_MIN_LENGTH and _ALL_CJK.fullmatch(word):
                by_head.setdefault(word[-2:], []).append(word)
        return {head: tuple(words) for head, words in by_head.items()}

    def sibling_pattern(self, word: str) -> re.Pattern[str] | None:
        """Other compound terms of the knowledge base with the same head and another modifier, as one
        pattern: 智能工厂 for 绿色工厂 (not 绿色工厂建设, which holds it). None if there are none."""
        if len(word) < _SIBLING_MIN_LENGTH:
            return None
        found = self._sibling_patterns.get(word, False)
        if found is False:
            modifier = word[:-2]
            others = [
                other
                for other in self._compounds_by_head.get(word[-2:], ())
                if other != word and word not in other and other not in word and modifier not in other
            ]
            found = re.compile(longest_first(others)) if others else None
            if len(self._sibling_patterns) < _SIBLING_PATTERNS_KEPT:
                self._sibling_patterns[word] = found
        return found

    def idf(self, word: str) -> float | None:
        """The word's IDF over the KB's entries; None for a word the KB never uses."""
        return self.word_idf.get(word)

    def retrieve(self, terms: list[str], limit: int) -> list[tuple[int, float]]:
        """Top entries by BM25, best first, as (entry position, score); entries scoring 0 are dropped."""
        if not terms or not self.entries:
            return []
        scores = self.bm25.get_scores(terms)
        negated = np.negative(scores, out=scores)  # best first, without another array of every entry
        limit = min(limit, len(negated))
        top = np.argpartition(negated, limit - 1)[:limit]
        ranked = sorted(top.tolist(), key=negated.item)
        return [(position, -negated.item(position)) for position in ranked if negated.item(position) < 0]

    def question_bytes(self) -> int:
        """The size of the largest array a question makes: the positions of every entry, as `retrieve`
        ranks them (a serving process keeps such blocks in its heap, see kb/memory.py)."""
        return np.dtype(np.intp).itemsize * len(self.entries)


def _key_of(entry: FaqEntry, contexts: Mapping[str, str]) -> str:
    return entry_key(entry, contexts.get(entry.source.seed, ""))


def _kept_or_new(kept: tuple[FaqEntry, str] | None, entry: FaqEntry, key_of: Callable[[FaqEntry], str]) -> str:
    """The previous version's key when `entry` is the very entry it was computed for (a file that did not
    change is not read again, and entries are frozen), else the entry's key computed: at 10,000 entries a
    reload computed every key again, a tenth of its time."""
    if kept is not None and kept[0] is entry:
        return kept[1]
    return key_of(entry)


_KEYS_CHECKED = 64  # keys handed to an index that it computes again, spread over the entries


def _keys_agree(entries: Sequence[FaqEntry], keys: Sequence[str], key_of: Callable[[FaqEntry], str]) -> bool:
    """Whether keys handed over are the entries' own, checked at a few positions (a misordering would
    give entries one another's data)."""
    step = max(1, len(entries) // _KEYS_CHECKED)
    checked = [*range(0, len(entries), step), len(entries) - 1] if entries else []
    return all(key_of(entries[at]) == keys[at] for at in checked)


def _document_frequency(entries: tuple[IndexedEntry, ...], previous: MatchIndex | None) -> Counter[str]:
    """How many entries know each word; after an edit, the previous counts corrected for what changed."""
    if previous is None:
        return Counter(itertools.chain.from_iterable(indexed.vocabulary for indexed in entries))
    now = {id(indexed) for indexed in entries}
    before = {id(indexed) for indexed in previous.entries}
    frequency = Counter(previous._document_frequency)
    for indexed in previous.entries:
        if id(indexed) not in now:
            frequency.subtract(indexed.vocabulary)
    for indexed in entries:
        if id(indexed) not in before:
            frequency.update(indexed.vocabulary)
    return +frequency  # drops the words no entry knows any more


def _vocabulary(kb: KnowledgeBase) -> set[str]:
    """The words the tokenizer keeps whole: every keyword and place name."""
    return {keyword for entry in kb.entries for keyword in entry.keywords} | kb.places


def tokenizer_for(kb: KnowledgeBase) -> Tokenizer:
    """The tokenizer a MatchIndex of `kb` builds with (the last one made, if its words are the same)."""
    return Tokenizer.for_kb(_vocabulary(kb), kb.synonym_groups)


# Entries whose segmentations a build remembers at once. A 50,000-entry share (100,000 entries on two
# cores) held 2.4 GB of them; on a VM whose fresh pages cost a fault to the host that was 9.5 of its
# 35 s, against 1 s when they are forgotten every 5,000 entries and their pages reused.
BATCH_ENTRIES = 5_000


def derive(
    kb: KnowledgeBase, entries: Sequence[FaqEntry], stored: Mapping[str, Derived], keep: list[object] | None = None
) -> list[tuple[str, Derived]]:
    """What a build of `kb` makes of these of its entries: each one's `entry_key` and the data
    `MatchIndex.derived` holds for it (taken from `stored` where it has the key). An entry's data depends
    only on its texts, its document and the tokenizer, so processes can each derive a share of a build.
    `keep`: where a process about to exit keeps what the derive made (memos, the result) rather than
    free it (`child_build.kept_until_exit`)."""
    tokenizer = tokenizer_for(kb)
    texts = _Texts(tokenizer)
    contexts = _contexts(kb, texts)
    keyed = [(entry, _key_of(entry, contexts)) for entry in entries]
    derived: list[tuple[str, Derived]] = []
    with tokenizer.bulk(forget=keep is None):
        for start in range(0, len(keyed), BATCH_ENTRIES):
            batch = keyed[start : start + BATCH_ENTRIES]
            if start:
                texts.forget()
            tokenizer.next_batch(texts.to_segment([entry for entry, key in batch if key not in stored], contexts))
            for entry, key in batch:
                found = stored.get(key)
                if found is None:
                    indexed, terms = _indexed(entry, texts, contexts.get(entry.source.seed, ""))
                    counter = Counter(terms)  # first-occurrence order, as bm25.Vocabulary.counts numbers them
                    found = _derived(indexed, tuple(counter), tuple(counter.values()))
                derived.append((key, found))
    if keep is not None:
        keep += (texts, derived)
    return derived


def _restored(entry: FaqEntry, stored: Derived) -> IndexedEntry:
    """An entry's indexed form from its cached data, without computing it."""
    return IndexedEntry(
        entry, stored.phrasings, stored.phrasing_words, stored.vocabulary, stored.full_text, stored.answer_plain
    )


def _derived(indexed: IndexedEntry, terms: tuple[str, ...], tf: tuple[int, ...]) -> Derived:
    """An indexed entry with its BM25 terms and their counts, as the index cache holds it."""
    return Derived(
        indexed.packed_phrasings,
        indexed.packed_phrasing_words,
        indexed.vocabulary,
        indexed.full_text,
        indexed.answer_plain,
        terms,
        tf,
    )


def _reads_alike(indexed: IndexedEntry, texts: _Texts, context: str) -> bool:
    """Whether `texts` (another tokenizer's) make the entry's texts canonical as its index data holds them: its
    phrasings without their spaces, and all of its texts together. Where no synonym term or what it becomes
    holds a space (`Tokenizer.rewrites_apart`), a rewrite leaves a text's spaces where they were."""
    phrasings, compact, answer, quotes = texts.of_entry(indexed.entry)
    return compact == tuple(indexed.phrasings) and _full_text(phrasings, answer, quotes, context) == indexed.full_text


def _full_text(phrasings: Sequence[str], answer: str, quotes: Sequence[str], context: str) -> str:
    """Every canonical text of an entry, without spaces, and again with its figures in digits if that differs
    (百亿级 is known as 100亿级 too, as the question reads it)."""
    full_text = " ".join([*phrasings, answer, *quotes, context]).replace(" ", "")
    in_digits = arabic_numbers(full_text)
    return full_text if in_digits == full_text else f"{full_text} {in_digits}"


def _indexed(entry: FaqEntry, texts: _Texts, context: str) -> tuple[IndexedEntry, list[str]]:
    """The entry's indexed form and its BM25 terms (`context`: its document's, see `_contexts`)."""
    phrasings, compact, answer, quotes = texts.of_entry(entry)
    # sorted, as token_sort_ratio reads them (bot/match/similarity.py)
    phrasing_words = tuple(sorted_words(texts.words(text)) for text in phrasings)
    words = {word for text in phrasings for word in texts.search_words(text)}
    words.update(texts.search_words(answer))
    words.update(texts.search_words(context))
    terms: list[str] = []
    for text in compact:
        terms.extend(texts.terms(text))
    indexed = IndexedEntry.of(
        entry,
        compact,
        phrasing_words,
        vocabulary=tuple(sorted(words)),
        full_text=_full_text(phrasings, answer, quotes, context),
        answer_plain=texts.plain(entry.answer),
    )
    return indexed, terms


def _raw_texts(entry: FaqEntry) -> list[str]:
    """The entry's texts that `_Texts.of_entry` makes canonical."""
    return [*entry.phrasings, " ".join(entry.keywords), *entry.source.quotes, entry.answer]


def _contexts(kb: KnowledgeBase, texts: _Texts) -> dict[str, str]:
    """Each document's title and the names users give it, canonical: every entry of it is about these."""
    return {
        seed: texts.canonical(" ".join([document.title, *document.aliases])) for seed, document in kb.documents.items()
    }


class _Texts:
    """One build's view of the tokenizer: canonical forms, words and search words remembered per text
    (an answer or a document's title recurs across entries). Words and search words are made apart:
    most texts (answers, titles, compact phrasings) need only search words."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self._canonical: dict[str, str] = {}
        self._plain: dict[str, str] = {}
        self._words: dict[str, tuple[str, ...]] = {}
        self._search_words: dict[str, tuple[str, ...]] = {}

    def forget(self) -> None:
        """Drop what was remembered (`derive`'s batches)."""
        for memo in (self._canonical, self._plain, self._words, self._search_words):
            memo.clear()

    @property
    def seen(self) -> int:
        """How many texts were segmented."""
        return len(self._words) + len(self._search_words)

    def of_entry(self, entry: FaqEntry) -> tuple[tuple[str, ...], tuple[str, ...], str, list[str]]:
        """The entry's texts in canonical form: its phrasings (keywords last), the same without spaces, its
        answer and its quotes."""
        phrasings = tuple(self.canonical(text) for text in [*entry.phrasings, " ".join(entry.keywords)])
        compact = tuple(text.replace(" ", "") for text in phrasings)
        quotes = [self.canonical(quote) for quote in entry.source.quotes]
        return phrasings, compact, self.canonical(entry.answer), quotes

    def to_segment(self, entries: Sequence[FaqEntry], contexts: Mapping[str, str]) -> set[str]:
        """Every text `_indexed` segments for these entries, canonical (for `Tokenizer.bulk`: jieba's words
        for all of them are read in one pass; an answer or a title shared by many entries once)."""
        self.canonicalise_all(text for entry in entries for text in _raw_texts(entry))
        wanted: set[str] = set()
        for entry in entries:
            phrasings, compact, answer, _ = self.of_entry(entry)
            wanted.update(phrasings, compact)
            wanted.update((answer, contexts.get(entry.source.seed, "")))
        return wanted

    def canonicalise_all(self, texts: Iterable[str]) -> None:
        """Make the canonical forms of many texts at once (`normalise_many`, `Tokenizer.canonicalise_many`):
        per text, the three calls of a normalisation and a regex pass were a tenth of a build."""
        new = [text for text in dict.fromkeys(texts) if text not in self._canonical]
        canonical = self.tokenizer.canonicalise_many(normalise_many(new))
        self._canonical.update(zip(new, canonical, strict=True))

    def canonical(self, text: str) -> str:
        found = self._canonical.get(text)
        if found is None:
            found = self._canonical[text] = self.tokenizer.canonicalise(normalise(text))
        return found

    def plain(self, text: str) -> str:
        """The text in simplified, half-width form, punctuation kept."""
        found = self._plain.get(text)
        if found is None:
            found = self._plain[text] = to_simplified(unicodedata.normalize("NFKC", text))
        return found

    def words(self, text: str) -> tuple[str, ...]:
        found = self._words.get(text)
        if found is None:
            found = self._words[text] = tuple(map(sys.intern, self.tokenizer.words(text)))
        return found

    def search_words(self, text: str) -> tuple[str, ...]:
        found = self._search_words.get(text)
        if found is None:
            found = self._search_words[text] = tuple(map(sys.intern, self.tokenizer.search_words(text)))
        return found

    def terms(self, text: str) -> list[str]:
        """As Tokenizer.terms."""
        return [*self.search_words(text), *bigrams(text)]
