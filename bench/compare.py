"""Every reply of every evaluation set, saved, and two such runs compared: what a change to the matcher, the
knowledge or a knob does, question by question, without looking at the sets never tuned on.

    python bench/compare.py dump OUT.json [--kb DIR] [--param NAME=VALUE ...]
    python bench/compare.py diff BEFORE.json AFTER.json

`dump` asks every question of the sets tuned on and of those never tuned on (bench/datasets.py TUNED_ON,
NEVER_TUNED) and prints each group's totals: in scope answered with the facts, out of scope refused or not
stated, confident wrong. `--param` overrides a MatchParams field for the run (coverage_weight=0.45). `diff`
lists every reply of a tuned-on set whose verdict or entry changed, and only counts those of the sets never
tuned on (gained, lost, newly wrong, no longer wrong): reading their questions would make them tuning data.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datasets import NEVER_TUNED, TUNED_ON, Item, is_confident_wrong, is_correct  # noqa: E402
from bench.evaluate import SETS  # noqa: E402
from bot.kb.store import build_answerer  # noqa: E402
from bot.match.params import MatchParams  # noqa: E402

GROUPS = {"tuned": TUNED_ON, "never-tuned": NEVER_TUNED}


@dataclass(frozen=True)
class Reply:
    """One question's reply as `diff` compares it."""

    group: str
    in_scope: bool
    correct: bool
    wrong: bool
    outcome: str
    entry: str  # the entry answered, or the related one of a not-stated reply
    label: str  # the item's style (in scope) or kind of negative


def params_of(overrides: list[str]) -> MatchParams:
    """MatchParams with NAME=VALUE overrides, each VALUE a Python literal of the field's kind."""
    known = {field.name for field in fields(MatchParams)}
    values = {}
    for override in overrides:
        name, _, text = override.partition("=")
        if name not in known or not text:
            raise SystemExit(f"--param {override!r}: expected NAME=VALUE with NAME one of MatchParams' fields")
        try:
            values[name] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            raise SystemExit(f"--param {override!r}: {text!r} is not a number, string or tuple") from None
    return MatchParams(**values)


def dump(out: Path, kb_dir: Path, params: MatchParams) -> dict[str, Reply]:
    answerer, issues = build_answerer(kb_dir, ROOT / "seeds", params, use_cache=False)
    if answerer is None:
        raise SystemExit("\n".join(map(str, issues)))
    replies: dict[str, Reply] = {}
    for group, names in GROUPS.items():
        totals = [0, 0, 0, 0, 0]  # in right, in, out right, out, wrong
        for name in names:
            items = SETS[name]()
            for key, item in zip(keys_of(name, items), items, strict=True):
                reply = answerer.ask(item.question)
                correct, wrong = bool(is_correct(item, reply)), bool(is_confident_wrong(item, reply))
                entry = reply.entry_shown or ""
                label = item.style if item.in_scope else item.kind
                replies[key] = Reply(group, item.in_scope, correct, wrong, reply.outcome.value, entry, label)
                totals[0 if item.in_scope else 2] += correct
                totals[1 if item.in_scope else 3] += 1
                totals[4] += wrong
        print(f"{group:<12} in scope {totals[0]}/{totals[1]}  out of scope {totals[2]}/{totals[3]}  wrong {totals[4]}")
    out.write_text(json.dumps({key: reply.__dict__ for key, reply in replies.items()}, ensure_ascii=False))
    return replies


def keys_of(name: str, items: list[Item]) -> list[str]:
    """Each item's key in a dump: its set and question, and for a question the set asks again (the realistic
    test split has one twice) the time it is asked, so that no reply overwrites another and the saved
    replies are the ones the totals count."""
    seen: Counter[str] = Counter()
    keys = []
    for item in items:
        key = f"{name}|{item.question}"
        seen[key] += 1
        keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return keys


def read(path: Path) -> dict[str, Reply]:
    return {key: Reply(**value) for key, value in json.loads(path.read_text(encoding="utf-8")).items()}


def diff(before: dict[str, Reply], after: dict[str, Reply]) -> list[str]:
    """Lines for the changed replies of tuned-on sets, then one line counting the never-tuned sets' changes."""
    lines = []
    counts = {"gained": 0, "lost": 0, "newly wrong": 0, "no longer wrong": 0}
    for key, new in after.items():
        old = before.get(key)
        if old is None or _verdict(old) == _verdict(new):
            continue
        if new.group != "tuned":
            counts["gained"] += new.correct and not old.correct
            counts["lost"] += old.correct and not new.correct
            counts["newly wrong"] += new.wrong and not old.wrong
            counts["no longer wrong"] += old.wrong and not new.wrong
            continue
        tag = "GAIN" if new.correct and not old.correct else "LOSS" if old.correct and not new.correct else "same"
        tag += "+WRONG" if new.wrong and not old.wrong else "-WRONG" if old.wrong and not new.wrong else ""
        scope = "in " if new.in_scope else "out"
        lines.append(f"{tag:<11} {scope} {old.outcome}:{old.entry} -> {new.outcome}:{new.entry}  {key}")
    lines.append("never tuned: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    return lines


def _verdict(reply: Reply) -> tuple[bool, bool, str, str]:
    return reply.correct, reply.wrong, reply.outcome, reply.entry


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump", help="ask every question; save the replies, print the totals")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("--kb", type=Path, default=ROOT / "knowledge")
    dumping.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    comparing = commands.add_parser("diff", help="compare two dumps (the sets never tuned on are only counted)")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.kb, params_of(args.param))
    else:
        print("\n".join(diff(read(args.before), read(args.after))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
