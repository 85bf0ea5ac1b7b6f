"""The matcher's knobs, in one place. Defaults were chosen on bench/devset.yaml with bench/tune.py."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchParams:
    candidates: int = 20  # BM25 candidates re-ranked with rapidfuzz
    coverage_weight: float = 0.5  # share of query-term coverage in the score; the rest is similarity
    # (Also tried and given weight 0 by the grid: phrasing focus, BM25 relative to the best candidate.)
    min_score: float = 0.55  # below this combined score we refuse
    min_coverage: float = 0.6  # the best entry must explain this share of the question's meaning
    min_similarity: float = 0.3  # ... and resemble one of its phrasings at least this much
    suggestion_min_score: float = 0.3  # weaker candidates are not worth suggesting
    max_suggestions: int = 3

    def combine(self, coverage: float, similarity: float) -> float:
        return self.coverage_weight * coverage + (1.0 - self.coverage_weight) * similarity
