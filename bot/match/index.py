"""The search index over a knowledge base: BM25 for candidate retrieval, plus what re-ranking needs.

Built once per knowledge-base version; a query costs one sparse BM25 scoring pass plus fuzzy
comparisons against a bounded number of candidates.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from collections import Counter
from dataclasses import dataclass

import bm25s
import numpy as np

from bot.kb.loader import KnowledgeBase
from bot.kb.schema import FaqEntry
from bot.match.answer_type import compile_types
from bot.match.typos import HomophoneRepairer
from bot.text.normalize import normalise, to_simplified
from bot.text.numbers import arabic_numbers
from bot.text.tokenize import Tokenizer

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import and logs every index build


@dataclass(frozen=True)
class IndexedEntry:
    """An entry's phrasings in canonical form, and every word it knows (for query-term coverage)."""

    entry: FaqEntry
    phrasings: tuple[str, ...]
    phrasing_words: tuple[str, ...]
    vocabulary: frozenset[str]
    full_text: str
    answer_plain: str  # the answer in simplified, half-width form, punctuation kept (for fact kinds)


class MatchIndex:
    """Everything a query is matched against, derived from one knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        vocabulary = {keyword for entry in kb.entries for keyword in entry.keywords} | kb.places
        self.tokenizer = Tokenizer(vocabulary, kb.synonym_groups)
        self.entries = tuple(self._index_entry(entry) for entry in kb.entries)
        self.question_types = compile_types(kb.question_types)
        self.word_idf = self._word_idf()
        term_counts = Counter(word for indexed in self.entries for word in indexed.vocabulary)
        term_counts.update({term: 1 for term in self.tokenizer.synonym_terms if term not in term_counts})
        self.repairer = HomophoneRepairer(term_counts, self.tokenizer.segment)
        self.bm25 = bm25s.BM25()
        corpus = [self._retrieval_terms(indexed) for indexed in self.entries]
        self.bm25.index(corpus, show_progress=False)

    def canonical(self, text: str) -> str:
        return self.tokenizer.canonicalise(normalise(text))

    def _index_entry(self, entry: FaqEntry) -> IndexedEntry:
        phrasings = tuple(self.canonical(text) for text in [*entry.phrasings, " ".join(entry.keywords)])
        phrasing_words = tuple(" ".join(self.tokenizer.words(text)) for text in phrasings)
        answer = self.canonical(entry.answer)
        quotes = [self.canonical(quote) for quote in entry.source.quotes]
        context = self._document_context(entry.source.seed)
        words = {word for text in phrasings for word in self.tokenizer.search_words(text)}
        words.update(self.tokenizer.search_words(answer))
        words.update(self.tokenizer.search_words(context))
        full_text = " ".join([*phrasings, answer, *quotes, context]).replace(" ", "")
        in_digits = arabic_numbers(full_text)  # 百亿级 is known as 100亿级 too, as the question reads it
        return IndexedEntry(
            entry=entry,
            phrasings=tuple(text.replace(" ", "") for text in phrasings),
            phrasing_words=phrasing_words,
            vocabulary=frozenset(words),
            full_text=full_text if in_digits == full_text else f"{full_text} {in_digits}",
            answer_plain=to_simplified(unicodedata.normalize("NFKC", entry.answer)),
        )

    def _document_context(self, seed: str) -> str:
        """The document's title and the names users give it: every entry of it is about these."""
        document = self.kb.documents.get(seed)
        return self.canonical(" ".join([document.title, *document.aliases])) if document else ""

    def _retrieval_terms(self, indexed: IndexedEntry) -> list[str]:
        terms: list[str] = []
        for text in indexed.phrasings:
            terms.extend(self.tokenizer.terms(text))
        return terms

    def _word_idf(self) -> dict[str, float]:
        document_frequency = Counter(word for indexed in self.entries for word in indexed.vocabulary)
        total = len(self.entries)
        return {word: math.log(1 + total / count) for word, count in document_frequency.items()}

    def idf(self, word: str) -> float | None:
        """The word's IDF over the KB's entries; None for a word the KB never uses."""
        return self.word_idf.get(word)

    def retrieve(self, terms: list[str], limit: int) -> list[tuple[int, float]]:
        """Top entries by BM25, best first, as (entry position, score); entries scoring 0 are dropped."""
        if not terms or not self.entries:
            return []
        scores = self.bm25.get_scores(terms)
        limit = min(limit, len(scores))
        top = np.argpartition(-scores, limit - 1)[:limit]
        ranked = sorted(top.tolist(), key=lambda position: -scores[position])
        return [(position, float(scores[position])) for position in ranked if scores[position] > 0]
