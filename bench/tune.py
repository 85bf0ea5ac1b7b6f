"""Choose the matcher's decision thresholds on the dev set: a grid over coverage weight, minimum
score and minimum coverage, printing the best settings by facts-correct + refusal rate.

    python bench/tune.py [--top 15]

Candidates are retrieved once per question; each setting only re-scores and re-decides them.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.evaluate import fact_form, load_devset  # noqa: E402
from bot.kb.store import build_answerer  # noqa: E402
from bot.match.decide import MatchParams  # noqa: E402
from bot.match.rank import prepare, rank  # noqa: E402
from bot.text.normalize import normalise_query  # noqa: E402

WEIGHTS = [0.3, 0.4, 0.5, 0.6, 0.7]
MIN_SCORES = [0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75]
MIN_COVERAGES = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8]
MIN_SIMILARITIES = [0.0, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55]


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
    limit = MatchParams().candidates

    def features(question: str) -> list[tuple[float, float, str]]:
        query = prepare(index, normalise_query(question).text)
        return [
            (c.coverage, c.similarity, c.indexed.entry.answer)
            for c in rank(index, query, limit, 0.5)
            if not c.missing_anchors and not c.missing_facts  # hard rules, not thresholds
        ]

    in_scope = [(features(item["q"]), [fact_form(str(f)) for f in item["facts"]]) for item in devset["in_scope"]]
    out_scope = [features(item["q"]) for item in devset["out_of_scope"]]

    def decide(cands: list[tuple[float, float, str]], w: float, min_score: float, min_cov: float, min_sim: float):
        if not cands:
            return None
        cov, sim, answer = max(cands, key=lambda c: w * c[0] + (1 - w) * c[1])
        return answer if w * cov + (1 - w) * sim >= min_score and cov >= min_cov and sim >= min_sim else None

    results = []
    for setting in itertools.product(WEIGHTS, MIN_SCORES, MIN_COVERAGES, MIN_SIMILARITIES):
        correct = 0
        for cands, facts in in_scope:
            answer = decide(cands, *setting)
            correct += answer is not None and all(f in fact_form(answer) for f in facts)
        refused = sum(decide(cands, *setting) is None for cands in out_scope)
        results.append((correct / len(in_scope), refused / len(out_scope), *setting))
    results.sort(key=lambda r: -(r[0] + r[1]))
    header = ("coverage_weight", "min_score", "min_coverage", "min_similarity", "facts-correct", "refused")
    print(" ".join(f"{name:>15}" for name in header))
    for facts_rate, refusal, w, min_score, min_cov, min_sim in results[: args.top]:
        print(" ".join(f"{value:>15}" for value in (w, min_score, min_cov, min_sim)), end=" ")
        print(f"{facts_rate:>15.1%} {refusal:>15.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
