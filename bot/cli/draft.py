"""`python -m bot draft seeds/NEW.txt`: a draft FAQ file for a new document, one entry per fact-bearing
passage (figures, dates, named programmes, responsible departments), each with its verbatim quote, a
question and keywords, marked `draft: true` so `validate` reports it until a curator has reviewed it."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from bot.cli.common import add_kb_option, fail, settings_from
from bot.kb.coverage import seed_coverage
from bot.kb.loader import KnowledgeBase
from bot.kb.schema import FaqEntry
from bot.kb.seeds import SeedLibrary
from bot.review.draft import draft_entries, entry_yaml
from bot.review.yaml_edit import append_entries

DRAFTS_DIR = "drafts"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "draft",
        help="write a draft FAQ file for a new document (one entry per fact-bearing passage)",
        description="Read a new source document and write <kb>/drafts/<name>.yaml: one draft entry per "
        "sentence that carries a figure, a date, a named programme or a responsible department, with the "
        "sentence as its verbatim quote, a question and keywords. Review each entry (rewrite the question "
        "and answer, merge or drop entries), delete `draft: true`, move the file into faq/, and run validate.",
    )
    parser.add_argument("seed", type=Path, metavar="SEED.txt", help="the new document (put it in seeds/ first)")
    parser.add_argument("-o", "--out", type=Path, metavar="FILE", help="draft file (default <kb>/drafts/<name>.yaml)")
    parser.add_argument("--prefix", help="id prefix of the entries (default: from the file name)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing draft file")
    add_kb_option(parser)
    parser.set_defaults(func=run)


def id_prefix(stem: str) -> str:
    """005-harbin-digital-notice -> harbin-digital-notice (ids are lowercase letters, digits and '-')."""
    words = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    words = re.sub(r"^\d+-", "", words)
    return (words or "draft")[:40].strip("-") or "draft"


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    path: Path = args.seed
    if not path.is_file():
        fail(f"document not found: {path}")
    seeds_dir = settings.seeds_dir
    if path.resolve().parent != seeds_dir.resolve():
        fail(f"{path} is not in the seeds folder {seeds_dir}: copy it there first (quotes are checked against it)")
    seeds = SeedLibrary.load(seeds_dir)
    seed = path.name
    out = args.out or settings.kb_dir / DRAFTS_DIR / f"{path.stem}.yaml"
    if out.exists() and not args.force:
        fail(f"{out} exists: review it, or pass --force to overwrite it", code=1)
    drafts = draft_entries(seeds.texts[seed], seed, args.prefix or id_prefix(path.stem))
    if not drafts:
        fail(f"no fact-bearing sentence found in {path}", code=1)
    if out.exists():
        out.unlink()
    header = (
        f"# Draft FAQ entries for seeds/{seed}, written by `python -m bot draft`.\n"
        "# Review each: rewrite the question and answer in plain words, merge or drop entries, delete\n"
        "# `draft: true`, then move this file into faq/ and run `python -m bot validate`.\n"
    )
    append_entries(out, [entry_yaml(**draft.as_yaml_args()) for draft in drafts], header=header)
    entries = tuple(
        FaqEntry.model_validate({"id": d.id, "question": d.question, "answer": d.answer,
                                 "source": {"seed": seed, "quotes": [d.quote]}})
        for d in drafts
    )  # fmt: skip
    report = seed_coverage(KnowledgeBase(entries=entries), seeds, seed)
    print(f"{out}: {len(drafts)} draft entries for {seed}")
    print(f"they quote {report.covered} of {report.fact_sentences} fact-bearing sentences ({report.ratio:.0%})")
    for sentence in report.uncovered:
        print(f"    not quoted: {sentence[:100]}")
    print("next: review the drafts, delete `draft: true`, move the file into faq/, python -m bot validate")
    return 0
