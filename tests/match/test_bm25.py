"""The numpy-built BM25 matrix is the one bm25s builds, bit for bit."""

from __future__ import annotations

import bm25s
import numpy as np

from bot.match import bm25
from tests.support.kb import shipped_answerer


def _corpus() -> list[list[str]]:
    index = shipped_answerer().index
    return [[term for text in indexed.phrasings for term in index.tokenizer.terms(text)] for indexed in index.entries]


def _cells(retriever: bm25s.BM25 | bm25.Bm25) -> dict[tuple[int, str], float]:
    terms = {column: term for term, column in retriever.vocab_dict.items()}
    data, indices, indptr = (retriever.scores[key] for key in ("data", "indices", "indptr"))
    return {
        (int(indices[i]), terms[column]): float(data[i])
        for column in range(len(indptr) - 1)
        for i in range(indptr[column], indptr[column + 1])
    }


def _ours(corpus: list[list[str]]) -> bm25.Bm25:
    vocabulary = bm25.Vocabulary()
    return bm25.build([vocabulary.counts(document) for document in corpus], vocabulary)


def test_the_matrix_is_bm25s_own():
    corpus = _corpus()
    reference = bm25s.BM25()
    reference.index(corpus, show_progress=False)
    ours = _ours(corpus)
    assert ours.scores["data"].dtype == reference.scores["data"].dtype
    assert _cells(ours) == _cells(reference)


def test_scores_of_questions_are_identical():
    corpus = _corpus()
    reference = bm25s.BM25()
    reference.index(corpus, show_progress=False)
    ours = _ours(corpus)
    tokenizer = shipped_answerer().index.tokenizer
    questions = ["天津技术改造再贷款利率是多少", "商丘三换是哪三换", "数字化转型 补贴", "无关xyz", "利率 利率 贷款"]
    for question in questions:
        terms = tokenizer.terms(question)
        assert np.array_equal(ours.get_scores(terms), reference.get_scores(terms)), question


def test_a_term_no_document_uses_any_more_adds_nothing():
    vocabulary = bm25.Vocabulary()
    vocabulary.counts(["旧词"])  # counted for an earlier version, then edited away
    documents = [vocabulary.counts(["技改", "贷款"]), vocabulary.counts(["贷款", "利率", "利率"])]
    ours = bm25.build(documents, vocabulary)
    reference = bm25s.BM25()
    reference.index([["技改", "贷款"], ["贷款", "利率", "利率"]], show_progress=False)
    assert np.array_equal(ours.get_scores(["旧词", "利率"]), reference.get_scores(["利率"]))
    assert _cells(ours) == _cells(reference)


def test_packed_counts_read_back_as_each_documents_own():
    vocabulary = bm25.Vocabulary()
    documents = [vocabulary.counts(["技改", "贷款", "技改"]), vocabulary.counts([]), vocabulary.counts(["利率"] * 300)]
    packed = bm25.PackedCounts.pack(documents)
    assert len(packed) == 3
    for original, view in zip(documents, packed, strict=True):
        assert view.ids.tolist() == original.ids.tolist()
        assert view.tf.tolist() == original.tf.tolist()
        assert view.length == original.length
    assert packed.tf.dtype == np.uint16  # 300 does not fit in a byte
    assert np.array_equal(
        bm25.build(packed, vocabulary).get_scores(["利率"]), bm25.build(documents, vocabulary).get_scores(["利率"])
    )
    assert len(bm25.PackedCounts.pack([])) == 0
