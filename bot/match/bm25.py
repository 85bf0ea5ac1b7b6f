"""BM25 as bm25s computes it, built with numpy in a few whole-corpus passes instead of a loop per
document, and without importing bm25s (and scipy) at all.

`build(...)` computes the very matrix `bm25s.BM25().index()` would (Lucene BM25, k1 = 1.5, b = 0.75,
float32 scores, one column per term), and `Bm25.get_scores` sums its columns as bm25s does; the
floating-point operations are bm25s's, element by element and in the same order (tests/match/test_bm25.py
compares matrices and scores with bm25s's bit for bit). Each document's term counts are computed once
and kept, so an edit rebuilds the matrix from arrays without counting the unchanged documents again.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from bot.match.columns import ColumnSums

_K1 = 1.5
_B = 0.75
_SCORE = np.float32
_ID = np.int32


@dataclass(frozen=True)
class Counts:
    """One document's distinct terms (vocabulary ids) and how often each occurs."""

    ids: np.ndarray
    tf: np.ndarray
    length: int


class Vocabulary:
    """Term -> column id. Ids only grow, so counts made for an earlier version stay valid; a column whose
    term no document uses any more stays empty (it adds nothing to any score)."""

    def __init__(self, ids: dict[str, int] | None = None) -> None:
        self.ids = dict(ids or {})

    def copy(self) -> Vocabulary:
        return Vocabulary(self.ids)

    def counts(self, terms: Sequence[str]) -> Counts:
        counter = Counter(terms)  # first-occurrence order, as bm25s counts
        ids = self.ids
        column = [ids.setdefault(term, len(ids)) for term in counter]
        return Counts(np.array(column, dtype=_ID), np.array(list(counter.values()), dtype=_ID), len(terms))

    def counts_of(self, terms: Sequence[str], tf: Sequence[int]) -> Counts:
        """`counts` of a document given as its distinct terms (in order of first occurrence) and their counts."""
        return Counts(np.array(self.columns_of(terms), dtype=_ID), np.array(tf, dtype=_ID), sum(tf))

    def columns_of(self, terms: Sequence[str]) -> list[int]:
        """The ids of a document's distinct terms, new ones numbered in order as `counts` numbers them."""
        ids = self.ids
        column = list(map(ids.get, terms))  # distinct terms: most known already
        if None in column:
            pairs = zip(terms, column, strict=True)
            column = [ids.setdefault(term, len(ids)) if known is None else known for term, known in pairs]
        return column


class PackedCounts:
    """Every document's Counts in four shared arrays instead of two small arrays and an object each: at
    10,000 documents the per-document objects cost about 4 MB of a serving process, and term counts fit in
    the smallest unsigned type that holds the largest. A document's Counts is read back as views."""

    __slots__ = ("bounds", "ids", "lengths", "tf")

    def __init__(self, ids: np.ndarray, tf: np.ndarray, bounds: np.ndarray, lengths: np.ndarray) -> None:
        self.ids, self.tf, self.bounds, self.lengths = ids, tf, bounds, lengths

    @classmethod
    def pack(cls, documents: Sequence[Counts]) -> PackedCounts:
        sizes = np.fromiter((len(document.ids) for document in documents), dtype=np.int64, count=len(documents))
        bounds = np.zeros(len(documents) + 1, dtype=np.int64)
        np.cumsum(sizes, out=bounds[1:])
        tf = _concatenate((document.tf for document in documents), _ID)
        tf_type = np.min_scalar_type(int(tf.max())) if len(tf) else np.uint8
        lengths = np.fromiter((document.length for document in documents), dtype=np.int64, count=len(documents))
        return cls(_concatenate((document.ids for document in documents), _ID), tf.astype(tf_type), bounds, lengths)

    @classmethod
    def of_columns(cls, columns: Sequence[Sequence[int]], tf: Sequence[Sequence[int]]) -> PackedCounts:
        """`pack` of documents given as their term ids (`Vocabulary.columns_of`) and counts: a build from
        the index cache or a build's workers packs 100,000 documents without making two arrays for each."""
        sizes = np.fromiter(map(len, columns), dtype=np.int64, count=len(columns))
        bounds = np.zeros(len(columns) + 1, dtype=np.int64)
        np.cumsum(sizes, out=bounds[1:])
        total = int(bounds[-1])
        ids = np.fromiter(itertools.chain.from_iterable(columns), dtype=_ID, count=total)
        counts = np.fromiter(itertools.chain.from_iterable(tf), dtype=_ID, count=total)
        tf_type = np.min_scalar_type(int(counts.max())) if total else np.uint8
        lengths = np.fromiter(map(sum, tf), dtype=np.int64, count=len(tf))
        return cls(ids, counts.astype(tf_type), bounds, lengths)

    def __len__(self) -> int:
        return len(self.lengths)

    def __getitem__(self, position: int) -> Counts:
        start, end = int(self.bounds[position]), int(self.bounds[position + 1])
        return Counts(self.ids[start:end], self.tf[start:end], int(self.lengths[position]))

    def __iter__(self) -> Iterator[Counts]:
        return (self[position] for position in range(len(self)))


@dataclass(frozen=True)
class Bm25:
    """The term x document score matrix as columns laid out for scoring queries (bot/match/columns.py),
    and the term ids."""

    vocab_dict: dict[str, int]
    columns: ColumnSums

    @property
    def scores(self) -> dict[str, np.ndarray | int]:
        """The matrix in bm25s's `scores` layout: data, indices, indptr, num_docs (rebuilt on each call)."""
        return self.columns.matrix()

    def get_scores(self, terms: Sequence[str]) -> np.ndarray:
        """Every document's BM25 score for the query terms (a term the corpus does not use adds nothing):
        their columns added term by term in float32, as bm25s adds them."""
        vocab_dict = self.vocab_dict
        return self.columns.sum([vocab_dict[term] for term in terms if term in vocab_dict])


def build(documents: PackedCounts | Sequence[Counts], vocabulary: Vocabulary) -> Bm25:
    """The BM25 index of `documents`, as `bm25s.BM25().index(their terms)` would build it."""
    packed = documents if isinstance(documents, PackedCounts) else PackedCounts.pack(documents)
    n_docs, n_vocab = len(packed), len(vocabulary.ids)
    lengths = packed.lengths
    avg_doc_len = lengths.mean() if n_docs else 0.0
    ids = packed.ids
    tf = packed.tf.astype(_SCORE)
    # Document positions as intp, not bm25s's int32: numpy converts int32 ones at every indexing (ColumnSums).
    rows = np.repeat(np.arange(n_docs, dtype=np.intp), np.diff(packed.bounds))
    doc_frequency = np.bincount(ids, minlength=n_vocab)
    idf = np.zeros(n_vocab, dtype=_SCORE)
    values, where = np.unique(doc_frequency, return_inverse=True)
    idf_of_value = np.array([_idf(int(df), n_docs) if df else 0.0 for df in values], dtype=_SCORE)
    idf[:] = idf_of_value[where]
    # bm25s: tf / (k1 * ((1 - b) + b * l_d / l_avg) + tf), l_d each document's length, in float64;
    # times the float32 idf, stored as float32. The part of one document is computed once per document (the
    # same operations on the same values), and the rest in place: at 100,000 documents each array of every
    # term occurrence is 120 MB, and fresh memory is what the build waits for.
    per_document = _K1 * ((1 - _B) + _B * lengths / avg_doc_len) if n_docs else np.zeros(0)
    denominator = per_document[rows]
    denominator += tf
    tfc = np.divide(tf, denominator, out=denominator)
    scores = np.empty(len(ids), dtype=_SCORE)
    np.multiply(idf[ids], tfc, out=scores)
    del tfc, denominator
    key = ids.astype(np.int64)
    key <<= 32
    key |= rows
    order = np.argsort(key)
    del key
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(np.bincount(ids, minlength=n_vocab), out=indptr[1:])
    matrix = {"data": scores[order], "indices": rows[order], "indptr": indptr, "num_docs": n_docs}
    return Bm25(vocabulary.ids, ColumnSums(matrix["data"], matrix["indices"], indptr, n_docs))


def _idf(df: int, n_docs: int) -> float:
    """bm25s's Lucene idf, in Python floats as bm25s computes it."""
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


def _concatenate(arrays: Iterable[np.ndarray], dtype: type) -> np.ndarray:
    arrays = list(arrays)
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype=dtype)
