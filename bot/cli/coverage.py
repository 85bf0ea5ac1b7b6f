"""`python -m bot coverage`: which fact-carrying sentences of each document no FAQ entry quotes."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace

from bot.cli.common import add_kb_option, open_store, settings_from
from bot.kb.coverage import coverage_report
from bot.kb.loader import load_faq_files
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
        type=ratio,
        default=0.0,
        metavar="RATIO",
        help="exit non-zero if any document is below this ratio (e.g. 0.9)",
    )
    parser.add_argument(
        "--drafts",
        action="store_true",
        help="count the entries in <kb>/drafts/ too (what a draft file would leave out once reviewed)",
    )
    add_kb_option(parser)
    parser.set_defaults(func=run)


def ratio(raw: str) -> float:
    """--min: a share between 0 and 1 (0.9 means 90%)."""
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number between 0 and 1, got {raw!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (0.9 means 90%), got {raw!r}")
    return value


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    kb = open_store(settings).answerer().kb
    seeds = SeedLibrary.load(settings.seeds_dir)
    if args.drafts:
        drafts, _ = load_faq_files(sorted((settings.kb_dir / "drafts").glob("*.yaml")), seeds, [])
        kb = replace(kb, entries=(*kb.entries, *drafts))
    report = coverage_report(kb, seeds)
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
    short = [r for r in report if r.ratio < args.min]
    for r in short:
        print(
            f"error: {r.seed}: {r.ratio:.1%} of its fact-carrying sentences are quoted, below --min {args.min:.1%} "
            f"({r.fact_sentences - r.covered} not quoted)",
            file=sys.stderr,
        )
    return 1 if short else 0
