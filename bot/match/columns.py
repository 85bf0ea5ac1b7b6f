"""A BM25 matrix's columns laid out for adding a query's terms quickly, with the very sums bm25s makes.

A query's scores are its terms' columns added one after another into every document's score (float32,
term by term, as bm25s adds them). Adding a column scatters its postings, a few nanoseconds each, and
at 100,000 entries a question's common terms (企业, 政策, a bigram of a place name) list tens of
thousands of documents each: most of what answering cost. So a column that lists more than a tenth of
the documents is also kept dense (every document's value, 0 where it lacks the term) and added in one
contiguous pass, which costs what scattering about a fifteenth as many postings does. Adding 0 leaves
a float unchanged, so every score is the same float either way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# A column listing more than 1/_DENSE_SHARE of the documents is added dense. A dense add of n documents
# costs about what scattering n/15 postings does; a tenth keeps the dense rows to 4 bytes x documents x
# (about 100 columns at 10,000 and at 100,000 entries), some 40 MB at 100,000.
_DENSE_SHARE = 10
_SCORE = np.float32


class ColumnSums:
    """Sums of a compressed-column matrix's columns (bm25s's `scores` layout: data, indices, indptr)."""

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, num_docs: int) -> None:
        """`indices` as intp: numpy indexes with intp, and would convert int32 positions at every add."""
        self._num_docs = num_docs
        frequency = np.diff(indptr)
        dense = np.flatnonzero(frequency * _DENSE_SHARE > num_docs).tolist()
        self._dense_row = {column: row for row, column in enumerate(dense)}
        self._dense = np.zeros((len(dense), num_docs), dtype=_SCORE)
        for row, column in enumerate(dense):
            start, end = int(indptr[column]), int(indptr[column + 1])
            self._dense[row, indices[start:end]] = data[start:end]
        # The dense columns' postings are not kept twice: they are a fifth of all postings at 10,000 entries.
        sparse = frequency.copy()
        sparse[dense] = 0
        if dense:
            kept = np.repeat(sparse > 0, frequency)
            data, indices = data[kept], indices[kept]
        starts = np.zeros(len(frequency) + 1, dtype=np.int64)
        np.cumsum(sparse, out=starts[1:])
        self._data, self._rows, self._starts = data, indices, starts.tolist()

    def matrix(self) -> dict[str, np.ndarray | int]:
        """The whole matrix in bm25s's compressed-column layout (data, indices, indptr, num_docs), read back
        from the dense rows and the sparse postings (for tests; a BM25 score is never 0, so a dense row's
        nonzero cells are its postings)."""
        data, indices, frequency = [], [], []
        for column in range(len(self._starts) - 1):
            row = self._dense_row.get(column)
            if row is not None:
                rows = np.flatnonzero(self._dense[row])
                values = self._dense[row][rows]
            else:
                start, end = self._starts[column], self._starts[column + 1]
                rows, values = self._rows[start:end], self._data[start:end]
            data.append(values)
            indices.append(rows.astype(np.intp))
            frequency.append(len(rows))
        indptr = np.zeros(len(frequency) + 1, dtype=np.int64)
        np.cumsum(frequency, out=indptr[1:])
        empty = np.zeros(0)
        return {
            "data": np.concatenate(data).astype(_SCORE) if data else empty.astype(_SCORE),
            "indices": np.concatenate(indices) if indices else empty.astype(np.intp),
            "indptr": indptr,
            "num_docs": self._num_docs,
        }

    def sum(self, columns: Sequence[int]) -> np.ndarray:
        """Every document's sum of these columns, added in this order (a column listed twice adds twice)."""
        scores = np.zeros(self._num_docs, dtype=_SCORE)
        dense_row, starts, rows, data = self._dense_row, self._starts, self._rows, self._data
        for column in columns:
            row = dense_row.get(column)
            if row is not None:
                np.add(scores, self._dense[row], out=scores)
            else:
                start, end = starts[column], starts[column + 1]
                scores[rows[start:end]] += data[start:end]  # a column lists a document once: each added once
        return scores
