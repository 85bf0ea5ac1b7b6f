"""Check evaluation sets: every required fact is a verbatim passage of the seed it names.

    python bench/check_sets.py [FILE.yaml ...]     (default: bench/realistic/*.yaml, devset, heldout, blind, blind2)

Facts are compared modulo width, script, whitespace and punctuation (bench.datasets.fact_form), so a fact written
in simplified Chinese matches the traditional-script Tianjin document. Prints one line per problem
and per-file counts by style and kind; exits 1 on any problem.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datasets import BLIND_SETS, REALISTIC, Item, bench_set, fact_form, load  # noqa: E402


def seed_texts() -> dict[str, str]:
    """Seed number ("000") → its text in comparison form."""
    return {
        path.name[:3]: fact_form(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "seeds").glob("*.txt"))
    }


def problems(items: list[Item], seeds: dict[str, str]) -> list[str]:
    found: list[str] = []
    seen: set[str] = set()
    for item in items:
        if item.question in seen:
            found.append(f"duplicate question: {item.question!r}")
        seen.add(item.question)
        if not item.in_scope:
            continue
        if item.seed not in seeds:
            found.append(f"unknown seed {item.seed!r}: {item.question!r}")
            continue
        if not item.facts:
            found.append(f"no facts: {item.question!r}")
        for fact in item.facts:
            if fact_form(fact) not in seeds[item.seed]:
                found.append(f"fact not in seed {item.seed}: {fact!r} ({item.question!r})")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    files = args.files or [
        *sorted(REALISTIC.glob("*.yaml")),
        *(bench_set(name) for name in ("devset", "heldout", *BLIND_SETS)),
    ]
    seeds = seed_texts()
    failed = False
    for path in files:
        items = load(path)
        found = problems(items, seeds)
        failed |= bool(found)
        for line in found:
            print(f"{path}: {line}")
        styles = Counter(item.style for item in items if item.in_scope)
        kinds = Counter(item.kind for item in items if not item.in_scope)
        hard = sum(item.hard for item in items if not item.in_scope)
        print(f"{path.name}: {sum(styles.values())} in scope {dict(sorted(styles.items()))}")
        print(f"{path.name}: {sum(kinds.values())} out of scope ({hard} hard) {dict(sorted(kinds.items()))}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
