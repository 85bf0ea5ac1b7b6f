"""Evaluation: facts-correct rate in scope and refused-or-not-stated rate out of scope, per style and per
kind of negative, for our matcher and for a naive baseline (rapidfuzz `extractOne` over entry
questions), side by side.

    python bench/evaluate.py [--set tune|test|devset|heldout|blind ... blind7 ...] [--misses]

Sets: the tuning and test parts of bench/realistic/ (the test part is never tuned on), the older
bench/devset.yaml (tuned on) and bench/heldout.yaml (never tuned on), and bench/blind.yaml and
bench/blind2.yaml (written blind from the documents; run once untouched, then used like the devset), and
bench/blind3.yaml (written blind on 2026-12-04, sixth session; never tuned on: report it, never list its misses),
and bench/blind4.yaml (written blind in the seventh session, weighted to paraphrase and colloquial questions
and hard negatives; run untouched before and after that session's alternatives, then used like the devset),
and bench/blind5.yaml (written blind in the eighth session, 20 questions in each of the ten styles and 100
negatives; first untouched run 86.0% / 99.0%, 4 wrong, then used like the devset), and bench/blind6.yaml
(written blind in the ninth session the same way; its first untouched run is on record, then used like
the devset), and bench/blind7.yaml (written blind at the end of the ninth session the same way; never tuned
on, like blind3: report it, never list its misses), and bench/blind8.yaml (written blind in the tenth session:
short questions on one attribute of a covered topic, 120 of them on attributes the documents do not state;
its first untouched run is on record, then used like the devset), and bench/blind9.yaml (100 questions
in blind8's shape, written blind in the tenth session after blind8's misses were worked on; never tuned on,
like blind3: report it, never list its misses), and bench/blind10.yaml (written blind in the eleventh
session, weighted to paraphrase and colloquial questions; its first untouched run is on record, then used
like the devset) and bench/blind11.yaml (written blind in the eleventh session, 20 questions in each of the
ten styles and 100 negatives; never tuned on, like blind3: report it, never list its misses), and
bench/blind12.yaml (written blind in the eleventh session: English-mixed, traditional-script and
numbers-in-words questions; its first untouched run is on record, then used like the devset), and
bench/blind13.yaml (written blind at the end of the eleventh session: English-mixed and Slack questions;
never tuned on, like blind3: report it, never list its misses), and bench/blind14.yaml (written blind
in the eleventh session: English-mixed questions; its first untouched run is on record, then used like
the devset), and bench/blind15.yaml (written blind in the twelfth session from the seeds alone, 20 questions
in each of the ten styles and 100 negatives; never tuned on, like blind3: report it, never list its misses),
and bench/blind16.yaml (written blind in the fourteenth session from the seeds alone, weighted to paraphrase;
its first untouched run is on record, then used like the devset), and bench/blind17.yaml (written blind
in the fifteenth session from the seeds alone, 20 questions in each of the ten styles and 100 negatives; never
tuned on, like blind3: report it, never list its misses), and bench/blind18.yaml (written blind in the sixteenth
session the same way; never tuned on, like blind3: report it, never list its misses), and bench/blind19.yaml
(written blind in the eighteenth session, weighted to paraphrase and English-mixed questions; its first
untouched run is in the README, then used like the devset), and bench/blind20.yaml (written blind in the
eighteenth session, 20 questions in each of the ten styles and 100 negatives; never tuned on, like blind3:
report it, never list its misses), and bench/blind21.yaml (written blind in the nineteenth session, 150
paraphrase, 45 colloquial and 45 English-mixed questions and 120 negatives; its first untouched run is in
the README, then used like the devset), and bench/blind22.yaml (written blind in the nineteenth session, 20
questions in each of the ten styles and 100 negatives; never tuned on, like blind3: report it, never list its
misses), and bench/blind23.yaml (written blind in the twentieth session, 120 paraphrase and 40 each colloquial,
English-mixed and relative-time questions and 120 negatives; its first untouched run is on record, then
used like the devset), and bench/blind24.yaml (written blind in the twentieth session, 20 questions in each of
the ten styles and 100 negatives; never tuned on, like blind3: report it, never list its misses), and
bench/blind25.yaml (written blind in the twenty-first session, paraphrase-heavy; never tuned on, like blind3),
and bench/blind26.yaml, bench/blind27.yaml and bench/blind28.yaml (written blind in the twenty-third session,
each shaped like the independent held-out set: 10 questions in each of the ten styles, 50 negatives of which 30
hard; never tuned on, like blind3), and bench/blind29.yaml (written blind in the twenty-fifth session, 90
paraphrase, 40 colloquial and 70 in the other styles, 80 negatives of which 60 hard; first untouched run 89.0% /
98.8% / 7 wrong, relative time 5/10, then used like the devset), and bench/blind30.yaml (written blind in the
twenty-fifth session, 60 paraphrase, 40 relative-time, 30 colloquial and 14 in each other style, 80 negatives of
which 70 hard; never tuned on, like blind3: report it, never list its misses), and bench/blind31.yaml and
bench/blind32.yaml (written blind in the twenty-fifth session in the independent held-out set's shape, like
blind26; never tuned on, like blind3), and bench/blind33.yaml (written blind in the twenty-sixth session, 60
paraphrase, 25 colloquial and 115 in the other styles, 100 negatives of which 70 hard; first untouched run 91.0% /
100% / 3 wrong, then used like the devset), and bench/blind34.yaml, bench/blind35.yaml and
bench/blind36.yaml (written blind in the twenty-sixth session in the same shape; never tuned on, like blind3), and
bench/blind37.yaml (written blind in the twenty-seventh session, 80 paraphrase, 40 colloquial and 80 in the other
styles, 100 negatives of which 70 hard; first untouched run 90.0% / 100% / 7 wrong, then used like the devset),
and bench/blind38.yaml (written blind in the twenty-seventh session in the held-out set's shape; never tuned on,
like blind3), and bench/blind39.yaml (written blind in the twenty-seventh session, 110 paraphrase and 40
colloquial questions, 50 hard negatives; first untouched run 86.0% / 100% / 6 wrong, then used like the devset),
and bench/blind40.yaml (written blind in the twenty-eighth session, 120 paraphrase and 40 colloquial questions, 60
negatives of which 50 hard; first untouched run 91.9% / 100% / 4 wrong, then used like the devset), and
bench/blind41.yaml (written blind in the twenty-eighth session in the held-out set's shape; never tuned on, like
blind3), and bench/blind42.yaml (written blind in the twenty-ninth session, 150 paraphrase and 30 colloquial
questions, 60 negatives of which 50 hard; first untouched run 92.2% / 98.3% / 2 wrong, then used like the devset),
and bench/blind43.yaml (written blind in the twenty-ninth session in the held-out set's shape; never tuned on), and
bench/blind44.yaml (written blind in the twenty-ninth session, 150 paraphrase questions from every part of the
documents, 40 negatives of which 30 hard; first untouched run 86.0% / 100% / 2 wrong, then used like the devset),
and bench/blind45.yaml (written blind in the twenty-ninth session in the held-out set's shape; never tuned on), and
bench/blind46.yaml (written blind in the twenty-ninth session, 160 questions each asking one kind of fact and 60
hard negatives asking one the documents leave out; first untouched run 96.2% / 98.3% / 3 wrong, then used like
the devset), and bench/blind47.yaml (the same, asked in English-mixed, colloquial, Slack and traditional-script
messages; first untouched run 96.2% / 100% / 1 wrong, then used like the devset), and bench/blind48.yaml
(written blind at the end of the twenty-ninth session in the held-out set's shape; never tuned on), and
bench/blind49.yaml (written blind in the thirtieth session, 200 paraphrases from every part of the documents and
50 hard negatives; first untouched run 88.0% / 100% / 6 wrong, then used like the devset), bench/blind50.yaml (200
paraphrases wrapped as colloquial, Slack, English-mixed, traditional and typo messages, 50 negatives; 93.0% /
96.0% / 4), bench/blind52.yaml and bench/blind54.yaml (documents 000-002 and 003-004, each question asking one
kind of fact, 88 hard negatives; 92.5% / 97.9% / 3 and 87.0% / 97.5% / 4), bench/blind53.yaml (100 colloquial
and paraphrase questions, 150 negatives of which 90 everyday; 90.0% / 98.0% / 5), all then used like the
devset; and bench/blind51.yaml and bench/blind55.yaml (written blind in the thirtieth session in the held-out
set's shape; never tuned on), and bench/blind56.yaml (the same shape, thirty-first session; never tuned on), and
bench/blind57.yaml (thirty-first session, 150 paraphrases and 50 hard negatives; first untouched run 82.0% / 100% /
6 wrong, then used like the devset), and bench/blind58.yaml (the held-out set's shape, thirty-second session; first
run 98.0% / 100% / 0; never tuned on), and bench/blind59.yaml (thirty-third session, 100 paraphrases, 50 colloquial
questions and 50 hard negatives; first run 93.3% / 100% / 2; never tuned on).
First runs on record: the README's list of sets (*Measuring*) and docs/measurements.md. Which sets are tuned on
and which never are is bench/datasets.py's TUNED_ON and NEVER_TUNED; `--misses` lists the former's only.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datasets import (  # noqa: E402
    BLIND_SETS,
    TUNED_ON,
    Item,
    bench_set,
    is_confident_wrong,
    is_correct,
    load,
    realistic,
)
from bot.answer import Answer, Outcome  # noqa: E402
from bot.kb.loader import KnowledgeBase  # noqa: E402
from bot.kb.store import build_answerer  # noqa: E402
from bot.match.params import MatchParams  # noqa: E402

AnswerFn = Callable[[str], Answer]
SETS: dict[str, Callable[[], list[Item]]] = {
    "tune": lambda: realistic("tune"),
    "test": lambda: realistic("test"),
    **{name: partial(load, bench_set(name)) for name in ("devset", "heldout", *BLIND_SETS)},
}


def group_of(item: Item) -> str:
    if item.in_scope:
        return f"in  {item.style}"
    return f"out {item.kind}{' (hard)' if item.hard else ''}"


def evaluate(answer: AnswerFn, items: list[Item]) -> tuple[Counter, Counter, int, list[str]]:
    right: Counter = Counter()
    total: Counter = Counter()
    wrong = 0
    misses = []
    for item in items:
        reply = answer(item.question)
        ok = is_correct(item, reply)
        for key in (group_of(item), "in" if item.in_scope else "out"):
            total[key] += 1
            right[key] += ok
        wrong += is_confident_wrong(item, reply)
        if not ok:
            chosen = reply.entry_shown or ""
            facts = f" facts={list(item.facts)}" if item.in_scope else ""
            misses.append(f"{group_of(item):<24} {reply.outcome.value:<10} {chosen:<30} {item.question!r}{facts}")
    return right, total, wrong, misses


def baseline(kb: KnowledgeBase, cutoff: float) -> AnswerFn:
    """The naive approach: closest canonical question by WRatio, refuse below `cutoff`."""
    questions = [entry.question for entry in kb.entries]

    def answer(question: str) -> Answer:
        found = process.extractOne(question, questions, scorer=fuzz.WRatio, score_cutoff=cutoff)
        if found is None:
            return Answer(Outcome.REFUSED)
        entry = kb.entries[found[2]]
        return Answer(Outcome.ANSWERED, entry_id=entry.id, text=entry.answer)

    return answer


def rates(right: Counter, total: Counter) -> str:
    return (
        f"in-scope {right['in']:>3}/{total['in']:<3} {right['in'] / max(1, total['in']):6.1%}   "
        f"out-of-scope {right['out']:>3}/{total['out']:<3} {right['out'] / max(1, total['out']):6.1%}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", nargs="+", choices=sorted(SETS), default=["tune", "test", "devset", "heldout"])
    parser.add_argument("--kb", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--misses", action="store_true", help="list every miss (of the sets tuned on only)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the extractOne comparison")
    args = parser.parse_args()
    answerer, issues = build_answerer(args.kb, args.seeds, MatchParams())
    if answerer is None:
        print("\n".join(map(str, issues)), file=sys.stderr)
        return 1
    for name in args.set:
        items = SETS[name]()
        if not items:
            print(f"\n== {name}: no questions")
            continue
        right, total, wrong, misses = evaluate(answerer.ask, items)
        print(f"\n== {name}: {len(items)} questions")
        print(f"  {'ours':<28} {rates(right, total)}   confident-wrong {wrong}")
        if not args.no_baseline:
            for label, cutoff in (("extractOne, no cutoff", 0), ("extractOne, cutoff 80", 80)):
                b_right, b_total, b_wrong, _ = evaluate(baseline(answerer.kb, cutoff), items)
                print(f"  {label:<28} {rates(b_right, b_total)}   confident-wrong {b_wrong}")
        groups = sorted(key for key in total if key not in ("in", "out"))
        for key in groups:
            print(f"    {key:<26} {right[key]:>3}/{total[key]:<3} {right[key] / total[key]:6.1%}")
        if args.misses and name in TUNED_ON:
            print("\n".join("    " + line for line in misses))
        elif args.misses:  # looking at them is how a set stops being one never tuned on
            print(f"    ({name} is never tuned on: its misses are not listed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
