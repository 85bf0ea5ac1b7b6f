"""Ranking's shortcuts give what the plain computation gives: candidates' similarity, and what an entry
lacks of the question, read for the candidates the decision looks at only."""

from __future__ import annotations

from rapidfuzz import fuzz

from bench.datasets import load
from bot.config import DEFAULT_KB_DIR
from bot.match.decide import Verdict, decide
from bot.match.rank import prepare, similarities
from bot.match.similarity import sorted_words
from tests.support.kb import shipped_answerer


def _plain_similarity(compact: str, words: str, phrasings: list[str], phrasing_words: list[str]) -> float:
    by_characters = max(fuzz.ratio(compact, phrasing) for phrasing in phrasings)
    by_words = max(fuzz.ratio(words, phrasing) for phrasing in phrasing_words) if words else 0.0
    return max(by_characters, by_words) / 100.0


def test_similarities_are_each_entrys_best_phrasing():
    index = shipped_answerer().index
    questions = [item.question for item in load(DEFAULT_KB_DIR.parent / "bench" / "devset.yaml")][::7]
    for question in questions:
        query = prepare(index, index.canonical(question))
        entries = [index.entries[position] for position, _ in index.retrieve(list(query.terms), 25)]
        words = sorted_words(query.words) if query.words else ""
        expected = [
            _plain_similarity(query.compact, words, indexed.phrasings, indexed.phrasing_words) for indexed in entries
        ]
        assert similarities(query, entries) == expected
    assert similarities(prepare(index, "技改"), []) == []


def test_the_decision_reads_what_leading_candidates_lack_and_no_more():
    """Working out what each of twenty candidates lacks was a third of ranking; the decision needs it
    for the best two (and runner-ups within a margin, when the best lacks the fact asked)."""
    answerer = shipped_answerer()
    _, candidates, unknown = answerer.candidates(answerer.index.canonical("天津技改专项贷款利率是多少"))
    assert len(candidates) > 5
    decision = decide(candidates, unknown, 3, answerer.params)
    assert decision.verdict is Verdict.ANSWERED
    read_anchors = [c for c in candidates if "missing_anchors" in vars(c)]
    read_facts = [c for c in candidates if "missing_facts" in vars(c)]
    assert read_facts == [decision.chosen]
    assert len(read_anchors) <= 3 < len(candidates)
