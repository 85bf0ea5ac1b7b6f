"""Answer, say the documents do not state it, or refuse.

A confident wrong answer is worse than an honest "the documents do not say": the decision is a
logistic regression over the best candidate's signals, fitted and cross-validated on the dev set
(bench/fit_decision.py), and hard rules that no score overrides (a place or number the entry never
mentions; a kind of fact its answer does not hold).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from itertools import chain

from bot.match.params import DECISION_FEATURES, MatchParams
from bot.match.rank import Candidate
from bot.text.entities import is_number_anchor


class Verdict(str, Enum):
    ANSWERED = "answered"
    NOT_STATED = "not_stated"  # the topic is covered, the fact asked for is not
    REFUSED = "refused"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    chosen: Candidate | None  # the answer, or the related entry when not stated
    confidence: float


def features(candidate: Candidate, rival: Candidate | None, unknown: float, words: int) -> tuple[float, ...]:
    """The signals named in DECISION_FEATURES for one candidate, in that order; `rival`: the best other
    topical candidate, if any."""
    signals = {
        "score": candidate.score,
        "coverage": candidate.coverage,
        "similarity": candidate.similarity,
        "bm25": math.log1p(candidate.bm25),
        "margin": candidate.score - (rival.score if rival is not None else 0.0),
        "unknown_share": unknown,
        "known_coverage": min(1.0, candidate.coverage / (1.0 - unknown)) if unknown < 1.0 else 0.0,
        "words": min(words, 12) / 12,
    }
    return tuple(signals[name] for name in DECISION_FEATURES)


def topical(candidates: Iterable[Candidate]) -> Iterator[Candidate]:
    """Candidates that mention every place, organisation and number the question names, in order; lazily,
    as the decision reads the first few only."""
    return (c for c in candidates if not c.missing_anchors)


def decide(candidates: list[Candidate], unknown: float, words: int, params: MatchParams) -> Decision:
    pool = topical(candidates)
    best = next(pool, None)
    if best is None:
        return Decision(Verdict.REFUSED, None, 0.0)
    second = next(pool, None)
    confidence = params.confidence(features(best, second, unknown, words))
    if confidence < params.answer_threshold:
        return Decision(Verdict.REFUSED, None, confidence)
    if not best.missing_facts:
        return Decision(Verdict.ANSWERED, best, confidence)
    for runner_up in chain(() if second is None else (second,), pool):
        if best.score - runner_up.score > params.fact_switch_margin:
            break
        if not runner_up.missing_facts:
            runner_confidence = params.confidence(features(runner_up, best, unknown, words))
            if runner_confidence >= params.answer_threshold:
                return Decision(Verdict.ANSWERED, runner_up, runner_confidence)
    return Decision(Verdict.NOT_STATED, best, confidence)


# Candidates worth offering whose anchors `suggestions` reads, at most: each one's are worked out when first read.
SUGGESTIONS_LOOKED_AT = 10


def suggestions(candidates: list[Candidate], chosen: Candidate | None, params: MatchParams) -> list[Candidate]:
    """Close entries worth offering, besides the one answered (if any). Those about every place or organisation
    the question names come first: a refused question about 商丘 is offered 商丘's entries before another
    city's that match its other words better. A number the entry lacks does not move it: a near entry of the
    same document without the year is still worth offering."""
    worth = [c for c in candidates if c is not chosen and c.score >= params.suggestion_min_score]
    named = [anchor for anchor in worth[0].needs.anchors if not is_number_anchor(anchor)] if worth else []
    if not named:
        return worth[: params.max_suggestions]
    about_it: list[Candidate] = []
    for candidate in worth[:SUGGESTIONS_LOOKED_AT]:
        if not any(place in candidate.missing_anchors for place in named):
            about_it.append(candidate)
            if len(about_it) == params.max_suggestions:
                break
    first = {id(c) for c in about_it}
    return (about_it + [c for c in worth if id(c) not in first])[: params.max_suggestions]
