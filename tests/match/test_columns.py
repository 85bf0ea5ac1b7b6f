"""Column sums add a query's columns as a scattered float32 add term by term would, dense or not."""

from __future__ import annotations

import numpy as np

from bot.match.columns import ColumnSums


def _matrix(rng: np.random.Generator, num_docs: int, frequencies: list[int]) -> tuple[np.ndarray, ...]:
    indices = [np.sort(rng.choice(num_docs, size=count, replace=False)) for count in frequencies]
    data = rng.random(sum(frequencies), dtype=np.float32) * 7
    indptr = np.zeros(len(frequencies) + 1, dtype=np.int64)
    np.cumsum(frequencies, out=indptr[1:])
    return data, np.concatenate(indices).astype(np.intp), indptr


def _scattered(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, num_docs: int, columns: list[int]):
    scores = np.zeros(num_docs, dtype=np.float32)
    for column in columns:
        start, end = indptr[column], indptr[column + 1]
        scores[indices[start:end]] += data[start:end]
    return scores


def test_sums_are_the_scattered_adds_bit_for_bit():
    rng = np.random.default_rng(3)
    num_docs = 500
    frequencies = [400, 3, 0, 120, 49, 51, 1, 500, 260, 10]  # dense (over a tenth) and sparse columns
    data, indices, indptr = _matrix(rng, num_docs, frequencies)
    sums = ColumnSums(data, indices, indptr, num_docs)
    for _ in range(50):
        columns = rng.choice(len(frequencies), size=rng.integers(0, 12)).tolist()  # repeats too
        expected = _scattered(data, indices, indptr, num_docs, columns)
        assert np.array_equal(sums.sum(columns), expected)
        assert sums.sum(columns).tobytes() == expected.tobytes()


def test_order_of_terms_is_kept():
    # float32 addition is not associative: the sum must be made in the query's order
    data = np.array([1e8, 1.0, -1e8], dtype=np.float32)
    indices = np.zeros(3, dtype=np.intp)
    indptr = np.array([0, 1, 2, 3])
    sums = ColumnSums(data, indices, indptr, 1)
    assert sums.sum([0, 1, 2])[0] == _scattered(data, indices, indptr, 1, [0, 1, 2])[0]
    assert sums.sum([0, 2, 1])[0] == _scattered(data, indices, indptr, 1, [0, 2, 1])[0]
    assert sums.sum([0, 1, 2])[0] != sums.sum([0, 2, 1])[0]
