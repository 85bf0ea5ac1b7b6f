"""Probe sets (bench/probes/*.yaml): questions written from the seeds and the FAQ, each with the entry
expected to answer it, or `none` where the documents do not say. They find gaps (an English word the
glossary lacks, a paraphrase no synonym covers) and guard what was fixed; they are not the evaluation
sets (bench/*.yaml: facts, never entry ids), and their writers saw the knowledge base, so no figure of
them is a result. A probe is right when it is answered with the expected entry, or (expect: none) when
it is not answered.

    python bench/probes.py [--misses] [FILE.yaml ...]     (default: every file in bench/probes/)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answer import Outcome  # noqa: E402
from bot.engine import Answerer  # noqa: E402
from bot.kb.store import build_answerer  # noqa: E402


def run(answerer: Answerer, path: Path, misses: bool) -> None:
    probes = yaml.safe_load(path.read_text(encoding="utf-8"))
    right = {True: 0, False: 0}
    total = {True: 0, False: 0}
    for probe in probes:
        expected = str(probe["expect"])
        in_scope = expected != "none"
        answer = answerer.ask(str(probe["q"]))
        answered = answer.outcome is Outcome.ANSWERED
        ok = answered and answer.entry_id == expected if in_scope else not answered
        total[in_scope] += 1
        right[in_scope] += ok
        if misses and not ok:
            got = answer.entry_shown or ""
            print(f"  miss  {expected:32} {answer.outcome.value:10} {got:32} {probe['q']}")
    print(f"{path.name}: in scope {right[True]}/{total[True]}, out of scope {right[False]}/{total[False]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, default=sorted((ROOT / "bench" / "probes").glob("*.yaml")))
    parser.add_argument("--misses", action="store_true", help="list every probe not right")
    args = parser.parse_args()
    answerer, issues = build_answerer(ROOT / "knowledge", ROOT / "seeds")
    if answerer is None:
        print("\n".join(map(str, issues)), file=sys.stderr)
        return 1
    for path in args.files:
        run(answerer, path, args.misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
