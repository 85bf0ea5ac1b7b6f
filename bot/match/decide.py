"""Answer or refuse: a confident wrong answer is worse than an honest "the documents do not say"."""

from __future__ import annotations

from dataclasses import dataclass

from bot.match.rank import Candidate


@dataclass(frozen=True)
class MatchParams:
    """Knobs of the matcher. Defaults were chosen on bench/devset.yaml with `bench/tune.py`."""

    candidates: int = 20  # BM25 candidates re-ranked with rapidfuzz
    coverage_weight: float = 0.5  # share of query-term coverage in the combined score
    min_score: float = 0.55  # below this combined score we refuse
    min_coverage: float = 0.6  # the best entry must explain this share of the question's meaning
    suggestion_min_score: float = 0.3  # weaker candidates are not worth suggesting
    max_suggestions: int = 3


def accept(best: Candidate | None, params: MatchParams) -> bool:
    """The best candidate is an answer only if it explains the question, resembles an FAQ phrasing, and
    mentions every place, organisation and number the question names."""
    return (
        best is not None
        and not best.missing_anchors
        and best.score >= params.min_score
        and best.coverage >= params.min_coverage
    )


def suggestions(candidates: list[Candidate], skip: int, params: MatchParams) -> list[Candidate]:
    """Close entries worth offering: after the answered one (skip=1) or instead of an answer (skip=0)."""
    return [c for c in candidates[skip:] if c.score >= params.suggestion_min_score][: params.max_suggestions]
