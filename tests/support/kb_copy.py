"""A private copy of the shipped knowledge base and seeds, for tests that edit or break it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.config import DEFAULT_KB_DIR, DEFAULT_SEEDS_DIR


def copy_kb(dest: Path) -> tuple[Path, Path]:
    """Copy knowledge/ and seeds/ under `dest`; returns (kb_dir, seeds_dir)."""
    kb_dir, seeds_dir = dest / "knowledge", dest / "seeds"
    shutil.copytree(DEFAULT_KB_DIR, kb_dir)
    shutil.copytree(DEFAULT_SEEDS_DIR, seeds_dir)
    return kb_dir, seeds_dir


def first_faq_file(kb_dir: Path) -> Path:
    return sorted((kb_dir / "faq").glob("*.yaml"))[0]


def edit_yaml(path: Path, edit: Callable[[Any], None]) -> None:
    """Load, edit in place, write back (comments are lost; the content is what matters here)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
