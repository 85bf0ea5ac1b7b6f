"""Show how the matcher sees a message: the questions in it, canonical text, word weights, the top
candidates and the decision.

python bench/explain.py "天津2030年技改目标"
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.kb.store import build_answerer  # noqa: E402
from bot.match.decide import features, topical  # noqa: E402
from bot.match.rank import retrieve, word_weights  # noqa: E402
from bot.text.normalize import normalise_query  # noqa: E402


def main() -> int:
    answerer, issues = build_answerer(ROOT / "knowledge", ROOT / "seeds")
    if answerer is None:
        print("\n".join(map(str, issues)))
        return 1
    index = answerer.index
    for message in sys.argv[1:]:
        print(f"\n{message!r}")
        for question in answerer.cleaner.questions(message):
            normalised = normalise_query(question)
            query, candidates, decision = answerer.explain(normalised.text, normalised.quoted)
            unknown = answerer.candidates(normalised.text, normalised.quoted)[2]
            weights = word_weights(index, query, answerer.params, retrieve(index, query, answerer.params))
            known = {w: index.idf(w) is not None for w in weights}
            print(f"  question: {question}\n  canonical: {query.text}")
            print("  words: " + " ".join(f"{w}({v:.1f}{'' if known[w] else '?'})" for w, v in weights.items()))
            print(f"  asks: {[kind.name for kind in query.asked]}  unknown share: {unknown:.2f}")
            for c in candidates[:5]:
                print(
                    f"  {c.score:.3f} cov={c.coverage:.2f} sim={c.similarity:.2f} bm25={c.bm25:5.1f} "
                    f"{c.indexed.entry.id:<32} anchors-missing={list(c.missing_anchors)} "
                    f"facts-missing={list(c.missing_facts)}"
                )
            chosen = decision.chosen.indexed.entry.id if decision.chosen else None
            print(f"  -> {decision.verdict.value} {chosen} p={decision.confidence:.2f}")
            if decision.chosen:
                rival = next((c for c in topical(candidates) if c is not decision.chosen), None)
                signals = features(decision.chosen, rival, unknown, len(query.words))
                print("     features:", [round(x, 3) for x in signals])
        answer = answerer.ask(message)
        print(f"  => {answer.outcome.value} {answer.entry_id or (answer.related and answer.related.id)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
