"""Dev-set evaluation: facts-correct rate on in-scope questions and refusal rate on out-of-scope ones,
for our matcher and for a naive baseline (rapidfuzz `extractOne` over entry questions), side by side.

    python bench/evaluate.py [--devset bench/devset.yaml] [--kb knowledge] [--misses]
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import Answerer  # noqa: E402
from bot.kb.loader import KnowledgeBase  # noqa: E402
from bot.kb.store import build_answerer  # noqa: E402
from bot.match.params import MatchParams  # noqa: E402
from bot.text.normalize import to_simplified  # noqa: E402

# An answer function: question -> (answer text or None when refused, entry id or None)
AnswerFn = Callable[[str], tuple[str | None, str | None]]


@dataclass
class Report:
    name: str
    facts_correct: int
    in_scope: int
    refused_out: int
    out_of_scope: int
    misses: list[str]
    by_style: Counter
    style_totals: Counter

    @property
    def facts_rate(self) -> float:
        return self.facts_correct / self.in_scope if self.in_scope else 0.0

    @property
    def refusal_rate(self) -> float:
        return self.refused_out / self.out_of_scope if self.out_of_scope else 0.0


def fact_form(text: str) -> str:
    """Compare facts modulo width, script and whitespace."""
    return "".join(to_simplified(unicodedata.normalize("NFKC", text)).split())


def load_devset(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def evaluate(name: str, answer: AnswerFn, devset: dict) -> Report:
    correct = refused = 0
    misses: list[str] = []
    by_style: Counter = Counter()
    style_totals: Counter = Counter()
    for item in devset["in_scope"]:
        text, entry_id = answer(item["q"])
        style_totals[item.get("style", "?")] += 1
        facts = [fact_form(str(fact)) for fact in item["facts"]]
        if text is not None and all(fact in fact_form(text) for fact in facts):
            correct += 1
            by_style[item.get("style", "?")] += 1
        else:
            verdict = "REFUSED" if text is None else f"WRONG {entry_id}"
            where = f"{item.get('seed', '?')} {item.get('style', '?'):<11}"
            misses.append(f"in  {where} {verdict:<32} {item['q']}  facts={item['facts']}")
    for item in devset["out_of_scope"]:
        text, entry_id = answer(item["q"])
        if text is None:
            refused += 1
        else:
            misses.append(f"out {item.get('kind', '?'):<14} ANSWERED {entry_id:<24} {item['q']}")
    return Report(
        name,
        correct,
        len(devset["in_scope"]),
        refused,
        len(devset["out_of_scope"]),
        misses,
        by_style,
        style_totals,
    )


def matcher_fn(answerer: Answerer) -> AnswerFn:
    def answer(question: str) -> tuple[str | None, str | None]:
        result = answerer.ask(question)
        return (result.text, result.entry_id) if result.matched else (None, None)

    return answer


def baseline_fn(kb: KnowledgeBase, cutoff: float) -> AnswerFn:
    """The naive approach: closest canonical question by WRatio, refuse below `cutoff`."""
    questions = [entry.question for entry in kb.entries]

    def answer(question: str) -> tuple[str | None, str | None]:
        found = process.extractOne(question, questions, scorer=fuzz.WRatio, score_cutoff=cutoff)
        if found is None:
            return None, None
        entry = kb.entries[found[2]]
        return entry.answer, entry.id

    return answer


def best_baseline(kb: KnowledgeBase, devset: dict) -> Report:
    """The baseline at its own best cutoff on this dev set, so the comparison is fair to it."""
    reports = [evaluate(f"naive extractOne (cutoff {c})", baseline_fn(kb, c), devset) for c in range(30, 95, 5)]
    return max(reports, key=lambda r: r.facts_rate + r.refusal_rate)


def print_table(reports: list[Report]) -> None:
    print(f"{'matcher':<34} {'facts-correct':>16} {'refused (out)':>16}")
    for r in reports:
        facts = f"{r.facts_correct:>4}/{r.in_scope:<4} {r.facts_rate:6.1%}"
        refused = f"{r.refused_out:>4}/{r.out_of_scope:<4} {r.refusal_rate:6.1%}"
        print(f"{r.name:<34} {facts} {refused}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--devset",
        type=Path,
        nargs="+",
        default=[p for p in (ROOT / "bench" / "devset.yaml", ROOT / "bench" / "heldout.yaml") if p.exists()],
        help="evaluation sets (default: the dev set the thresholds were tuned on, and the held-out set)",
    )
    parser.add_argument("--kb", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    answerer, issues = build_answerer(args.kb, args.seeds, MatchParams())
    if answerer is None:
        print("\n".join(map(str, issues)), file=sys.stderr)
        return 1
    for path in args.devset:
        devset = load_devset(path)
        print(f"\n== {path.name}: {len(devset['in_scope'])} in scope, {len(devset['out_of_scope'])} out of scope")
        ours = evaluate("ours (BM25 + rapidfuzz + coverage)", matcher_fn(answerer), devset)
        always = evaluate("naive extractOne (no cutoff)", baseline_fn(answerer.kb, 0), devset)
        print_table([ours, best_baseline(answerer.kb, devset), always])
        report_details(ours, args.misses)
    return 0


def report_details(ours: Report, misses: bool) -> None:
    print(
        "facts-correct by style: "
        + ", ".join(f"{style} {ours.by_style[style]}/{total}" for style, total in sorted(ours.style_totals.items()))
    )
    if misses:
        print("\n".join(ours.misses))


if __name__ == "__main__":
    raise SystemExit(main())
