"""`python -m bot validate [PATH ...]`: check the knowledge YAML; every error names file:line."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from bot.cli.common import add_kb_option, settings_from
from bot.kb.issues import Issue
from bot.kb.loader import (
    CHAT_WRAPPING_FILE,
    DOCUMENTS_FILE,
    GLOSSARY_FILE,
    PLACES_FILE,
    QUESTION_TYPES_FILE,
    SPECIAL_FILES,
    SYNONYMS_FILE,
    faq_paths,
    load_chat_wrapping,
    load_documents,
    load_faq_files,
    load_glossary,
    load_knowledge,
    load_places,
    load_question_types,
    load_synonyms,
)
from bot.kb.seeds import SeedLibrary

DEADLINES_FILE = "deadlines.yaml"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check the knowledge YAML (schema, unique ids, quotes verbatim in the seeds)",
        description="Check knowledge files against the schema: required fields and types, unknown keys, "
        "unique ids across files, a phrasing under two entries, and every quote verbatim in its seed. "
        "PATH may be knowledge folders or single YAML files; default: the shipped knowledge/.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="knowledge folders or YAML files")
    add_kb_option(parser)
    parser.set_defaults(func=run)


def _load_deadlines(path: Path, seeds: SeedLibrary, issues: list[Issue]) -> int | None:
    """Deadlines are validated by the digest feature's own loader; None when it is not installed."""
    try:
        module = importlib.import_module("bot.schedule.deadlines_file")
    except ModuleNotFoundError:
        return None
    deadlines = module.load_deadlines(path, seeds, issues)
    return len(getattr(deadlines, "deadlines", []) or []) if deadlines is not None else 0


DRAFTS_DIR = "drafts"


def _validate_drafts(kb_dir: Path, seeds: SeedLibrary, issues: list[Issue], summary: list[str]) -> None:
    """Draft files (from `draft` and `review --draft`) beside faq/: every error, and each draft mark."""
    paths = sorted((kb_dir / DRAFTS_DIR).glob("*.yaml"))
    if not paths:
        return
    entries, _ = load_faq_files([*faq_paths(kb_dir), *paths], seeds, found := [])
    issues.extend(issue for issue in found if issue.path in paths)
    drafts = [entry for entry in entries if entry.draft]
    summary.append(f"  {len(drafts):>4}  draft entries in {kb_dir / DRAFTS_DIR}")


def _validate_folder(kb_dir: Path, seeds: SeedLibrary, issues: list[Issue], summary: list[str]) -> None:
    kb, found = load_knowledge(kb_dir, seeds)
    issues.extend(found)
    _validate_drafts(kb_dir, seeds, issues, summary)
    deadlines_path = kb_dir / DEADLINES_FILE
    count = _load_deadlines(deadlines_path, seeds, issues) if deadlines_path.exists() else None
    if kb is not None:
        summary.append(f"{kb_dir}: {len(kb.entries)} FAQ entries")
        for seed, n in kb.entries_per_seed().items():
            summary.append(f"  {n:>4}  {kb.document_title(seed)}  ({seed})")
        summary.append(
            f"  {len(kb.synonym_groups):>4}  synonym groups; {len(kb.question_types)} question kinds; "
            f"{len(kb.places)} places; {len(kb.glossary)} glossary terms; "
            f"{len(kb.chat_wrapping)} chat-wrapping groups"
        )
    if count is not None:
        summary.append(f"  {count:>4}  deadlines ({deadlines_path.name})")


def _validate_file(path: Path, seeds: SeedLibrary, issues: list[Issue], summary: list[str]) -> None:
    name = path.name
    if name == SYNONYMS_FILE:
        summary.append(f"{path}: {len(load_synonyms(path, issues))} synonym groups")
    elif name == DOCUMENTS_FILE:
        summary.append(f"{path}: {len(load_documents(path, seeds, issues))} documents")
    elif name == PLACES_FILE:
        places, not_places, heads = load_places(path, issues)
        summary.append(
            f"{path}: {len(places)} places, {len(not_places)} words that are not, {len(heads)} programme heads"
        )
    elif name == QUESTION_TYPES_FILE:
        summary.append(f"{path}: {len(load_question_types(path, issues))} question kinds")
    elif name == CHAT_WRAPPING_FILE:
        summary.append(f"{path}: {len(load_chat_wrapping(path, issues))} chat-wrapping groups")
    elif name == GLOSSARY_FILE:
        summary.append(f"{path}: {len(load_glossary(path, issues))} glossary terms")
    elif name.startswith("deadlines"):
        count = _load_deadlines(path, seeds, issues)
        summary.append(f"{path}: {count} deadlines" if count is not None else f"{path}: deadlines not checked")
    else:
        entries, _ = load_faq_files([path], seeds, issues)
        summary.append(f"{path}: {len(entries)} FAQ entries")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    seeds = SeedLibrary.load(settings.seeds_dir)
    issues: list[Issue] = []
    summary: list[str] = []
    faq_files = [p for p in args.paths if p.is_file() and not _is_special(p)]
    if len(faq_files) > 1:  # check ids and phrasings across the files given together
        entries, _ = load_faq_files(faq_files, seeds, issues)
        summary.append(f"{len(faq_files)} FAQ files: {len(entries)} entries")
    for path in args.paths or [settings.kb_dir]:
        if path.is_dir():
            _validate_folder(path, seeds, issues, summary)
        elif not path.exists():
            issues.append(Issue(path, 1, "no such file or folder"))
        elif len(faq_files) <= 1 or _is_special(path):
            _validate_file(path, seeds, issues, summary)
    if issues:
        for issue in issues:
            print(issue, file=sys.stderr)
        print(f"{len(issues)} error(s)", file=sys.stderr)
        return 1
    print("\n".join(summary))
    print("OK")
    return 0


def _is_special(path: Path) -> bool:
    return path.name in SPECIAL_FILES or path.name.startswith("deadlines")
