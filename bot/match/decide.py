"""Answer or refuse: a confident wrong answer is worse than an honest "the documents do not say"."""

from __future__ import annotations

from bot.match.params import MatchParams
from bot.match.rank import Candidate


def eligible(candidate: Candidate) -> bool:
    """Hard rules: an entry must mention every place, organisation and number the question names, and
    hold the kind of fact (amount, date, count, share) the question asks for."""
    return not candidate.missing_anchors and not candidate.missing_facts


def choose(candidates: list[Candidate], params: MatchParams) -> Candidate | None:
    """The best eligible candidate, if it explains the question and resembles an FAQ phrasing."""
    best = next((candidate for candidate in candidates if eligible(candidate)), None)
    if (
        best is None
        or best.score < params.min_score
        or best.coverage < params.min_coverage
        or best.similarity < params.min_similarity
    ):
        return None
    return best


def suggestions(candidates: list[Candidate], chosen: Candidate | None, params: MatchParams) -> list[Candidate]:
    """Close entries worth offering, besides the one answered (if any)."""
    return [c for c in candidates if c is not chosen and c.score >= params.suggestion_min_score][
        : params.max_suggestions
    ]
