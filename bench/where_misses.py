"""Where the misses in scope are: which part of the matcher a change would have to improve.

    python bench/where_misses.py [--list]

For every question in scope that is not answered with its facts, the reply (refused, answered wrong, not stated)
against where an entry holding every required fact stands among the reply's own suggestions (the first, the second
or third), as the entry a not-stated reply shows as related, or not shown. A miss that no entry's answer could fix
is counted apart: the knowledge base lacks the fact. Run on the sets tuned on and on those never tuned on; `--list`
prints the tuned-on sets' misses one by one (never the others': reading them would make them tuning data).
Figures of the thirty-third session: docs/measurements.md.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.compare import GROUPS  # noqa: E402
from bench.datasets import Item, is_correct  # noqa: E402
from bench.evaluate import SETS  # noqa: E402
from bot.answer import Answer  # noqa: E402
from bot.kb.store import build_answerer  # noqa: E402

PLACES = ("1st suggestion", "2nd or 3rd", "related", "not shown", "no entry has it")


def where(answers: dict[str, Answer], item: Item, reply: Answer) -> str:
    """Where an entry whose own answer (`answers`, by id) would be right for the item stands in the reply (one
    of PLACES). "related": the entry a not-stated reply shows."""

    def holds(entry_id: str) -> bool:
        return is_correct(item, answers[entry_id])

    if not any(map(holds, answers)):
        return PLACES[4]
    for position, suggestion in enumerate(reply.suggestions[:3]):
        if holds(suggestion.id):
            return PLACES[0] if position == 0 else PLACES[1]
    if any(part.related is not None and holds(part.related.id) for part in reply.all_parts):
        return PLACES[2]
    return PLACES[3]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="print each miss of the sets tuned on")
    args = parser.parse_args()
    answerer, issues = build_answerer(ROOT / "knowledge", ROOT / "seeds", use_cache=False)
    if answerer is None:
        raise SystemExit("\n".join(map(str, issues)))
    answers = {entry.id: shown for entry in answerer.kb.entries if (shown := answerer.answer_entry(entry.id))}
    for group, names in GROUPS.items():
        table: Counter[tuple[str, str]] = Counter()
        for name in names:
            for item in SETS[name]():
                if not item.in_scope:
                    continue
                reply = answerer.ask(item.question)
                if is_correct(item, reply):
                    continue
                place = where(answers, item, reply)
                table[(reply.outcome.value, place)] += 1
                if args.list and group == "tuned":
                    print(f"{name:<9} {reply.outcome.value:<10} {place:<15} {item.question.replace(chr(10), ' ')}")
        print(f"\n{group}: {sum(table.values())} misses in scope")
        print(f"  {'reply':<10} " + " ".join(f"{place:>16}" for place in PLACES))
        for outcome in ("refused", "answered", "not_stated"):
            print(f"  {outcome:<10} " + " ".join(f"{table[(outcome, place)]:>16}" for place in PLACES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
