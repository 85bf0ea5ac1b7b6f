"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.kb.issues import KnowledgeError
from bot.kb.store import KnowledgeStore


def add_kb_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kb",
        type=Path,
        metavar="DIR",
        help="knowledge folder to use (default: the shipped knowledge/, or $BOT_KB_DIR)",
    )
    parser.add_argument(
        "--seeds",
        type=Path,
        metavar="DIR",
        help="folder of source documents the quotes are checked against (default: the shipped seeds/)",
    )


def settings_from(args: argparse.Namespace) -> Settings:
    """Environment settings with the command line's --kb/--seeds on top; exits cleanly on bad settings."""
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        fail(str(exc))
    kb_dir = getattr(args, "kb", None) or settings.kb_dir
    if not kb_dir.is_dir():
        where = "--kb" if getattr(args, "kb", None) else "BOT_KB_DIR"
        fail(f"knowledge folder not found: {kb_dir} ({where} must name a folder with faq/*.yaml)")
    seeds = getattr(args, "seeds", None)
    if seeds is not None and not seeds.is_dir():
        fail(f"seeds folder not found: {seeds} (--seeds must name a folder of *.txt documents)")
    seeds_dir = getattr(args, "seeds", None) or _seeds_beside(kb_dir) or settings.seeds_dir
    return replace(settings, kb_dir=kb_dir, seeds_dir=seeds_dir)


def _seeds_beside(kb_dir: Path) -> Path | None:
    """A knowledge folder with its own `seeds/` next to it quotes those documents."""
    candidate = kb_dir.parent / "seeds"
    return candidate if candidate.is_dir() and any(candidate.glob("*.txt")) else None


def open_store(settings: Settings) -> KnowledgeStore:
    """Load the knowledge base or exit with its errors (file:line), never a traceback."""
    try:
        return KnowledgeStore(settings.kb_dir, settings.seeds_dir)
    except KnowledgeError as exc:
        print(f"error: the knowledge base in {settings.kb_dir} is invalid:", file=sys.stderr)
        for issue in exc.issues:
            print(f"  {issue}", file=sys.stderr)
        raise SystemExit(1) from None


def fail(message: str, code: int = 2) -> None:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(code)
