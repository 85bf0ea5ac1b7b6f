"""Choose the matcher's weights and thresholds on the dev set: a grid over the score weights,
minimum score, minimum coverage and minimum similarity, best settings by facts-correct + refusal.

    python bench/tune.py [--top 15]

Candidates and their features are computed once per question; each setting only re-scores and
re-decides them, exactly as bot/match/decide.py does.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.evaluate import fact_form, load_devset  # noqa: E402
from bot.kb.store import build_answerer  # noqa: E402
from bot.match.params import MatchParams  # noqa: E402
from bot.match.rank import prepare, rank  # noqa: E402
from bot.text.normalize import normalise_query  # noqa: E402

COVERAGE_WEIGHTS = [0.3, 0.4, 0.5, 0.6, 0.7]
MIN_SCORES = [0.45, 0.5, 0.55, 0.6, 0.65, 0.7]
MIN_COVERAGES = [0.5, 0.55, 0.6, 0.65, 0.7]
MIN_SIMILARITIES = [0.0, 0.3, 0.4]

Features = list[tuple[float, float, float, str]]  # coverage, similarity, bm25, answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    devset = load_devset(ROOT / "bench" / "devset.yaml")
    answerer, issues = build_answerer(ROOT / "knowledge", ROOT / "seeds")
    if answerer is None:
        print("\n".join(map(str, issues)))
        return 1
    index = answerer.index

    def features(question: str) -> Features:
        query = prepare(index, normalise_query(question).text)
        return [
            (c.coverage, c.similarity, c.bm25, c.indexed.entry.answer)
            for c in rank(index, query, MatchParams())
            if not c.missing_anchors and not c.missing_facts  # hard rules, not thresholds
        ]

    in_scope = [(features(item["q"]), [fact_form(str(f)) for f in item["facts"]]) for item in devset["in_scope"]]
    out_scope = [features(item["q"]) for item in devset["out_of_scope"]]

    def decide(cands: Features, p: MatchParams) -> str | None:
        if not cands:
            return None
        cov, sim, _, answer = min(cands, key=lambda c: (-p.combine(c[0], c[1]), -c[2]))
        score = p.combine(cov, sim)
        ok = score >= p.min_score and cov >= p.min_coverage and sim >= p.min_similarity
        return answer if ok else None

    results = []
    for cw, min_score, min_cov, min_sim in itertools.product(
        COVERAGE_WEIGHTS, MIN_SCORES, MIN_COVERAGES, MIN_SIMILARITIES
    ):
        p = replace(
            MatchParams(),
            coverage_weight=cw,
            min_score=min_score,
            min_coverage=min_cov,
            min_similarity=min_sim,
        )
        correct = 0
        for cands, facts in in_scope:
            answer = decide(cands, p)
            correct += answer is not None and all(f in fact_form(answer) for f in facts)
        refused = sum(decide(cands, p) is None for cands in out_scope)
        results.append((correct / len(in_scope), refused / len(out_scope), cw, min_score, min_cov, min_sim))
    results.sort(key=lambda r: -(r[0] + r[1]))
    header = (
        "coverage_w",
        "min_score",
        "min_coverage",
        "min_similarity",
        "facts-correct",
        "refused",
    )
    print(" ".join(f"{name:>14}" for name in header))
    for facts_rate, refusal, *setting in results[: args.top]:
        print(" ".join(f"{value:>14}" for value in setting), f"{facts_rate:>14.1%} {refusal:>14.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
