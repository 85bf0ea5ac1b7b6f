"""`python -m bot coverage`: which fact-carrying sentences of each document no FAQ entry quotes."""

from __future__ import annotations

import argparse
import json

from bot.cli.common import add_kb_option, open_store, settings_from
from bot.kb.coverage import coverage_report
from bot.kb.seeds import SeedLibrary


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "coverage",
        help="report how much of each source document the FAQ quotes",
        description="Per document: the share of sentences carrying figures, dates, names or targets that "
        "some FAQ entry quotes, and the list of those no entry quotes (boilerplate excluded).",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--min",
        type=float,
        default=0.0,
        metavar="RATIO",
        help="exit non-zero if any document is below this ratio (e.g. 0.9)",
    )
    add_kb_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    kb = open_store(settings).answerer().kb
    report = coverage_report(kb, SeedLibrary.load(settings.seeds_dir))
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "seed": r.seed,
                        "fact_sentences": r.fact_sentences,
                        "covered": r.covered,
                        "ratio": round(r.ratio, 4),
                        "uncovered": r.uncovered,
                    }
                    for r in report
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for r in report:
            print(f"{r.seed:<52} {r.covered:>4}/{r.fact_sentences:<4} {r.ratio:6.1%}")
            for sentence in r.uncovered:
                print(f"    not quoted: {sentence[:100]}")
    return 1 if any(r.ratio < args.min for r in report) else 0
