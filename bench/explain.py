"""Show how the matcher sees a question: repaired/canonical text, words, and the top candidates.

python bench/explain.py "天津2030年技改目标"
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.kb.store import build_answerer  # noqa: E402
from bot.match.rank import prepare, rank  # noqa: E402
from bot.text.normalize import normalise_query  # noqa: E402


def main() -> int:
    answerer, issues = build_answerer(ROOT / "knowledge", ROOT / "seeds")
    if answerer is None:
        print("\n".join(map(str, issues)))
        return 1
    index = answerer.index
    for question in sys.argv[1:]:
        query = prepare(index, normalise_query(question).text)
        print(
            f"\n{question}\n  canonical: {query.text}\n  words: "
            + " ".join(f"{w}({index.idf(w):.1f})" for w in query.words)
        )
        for c in rank(index, query, answerer.params)[:5]:
            missing = [w for w in query.words if w not in c.indexed.vocabulary and w not in c.indexed.full_text]
            print(
                f"  {c.score:.3f} cov={c.coverage:.2f} sim={c.similarity:.2f} bm25={c.bm25:5.1f} "
                f"{c.indexed.entry.id:<32} missing={missing}"
            )
        print("  ->", answerer.ask(question).entry_id)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
