"""Knowledge-base helpers for tests: the shipped folders, and small throwaway knowledge folders."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

from bot.config import DEFAULT_KB_DIR, DEFAULT_SEEDS_DIR
from bot.engine import Answerer
from bot.kb.store import build_answerer

SEED_000 = "000-shangqiu-smart-transformation-speech.txt"


@lru_cache(maxsize=1)
def shipped_answerer() -> Answerer:
    """Built once per test session: indexing the real KB takes about a second."""
    answerer, issues = build_answerer(DEFAULT_KB_DIR, DEFAULT_SEEDS_DIR)
    assert answerer is not None, "\n".join(map(str, issues))
    return answerer


def copy_knowledge(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge folder with the seeds beside it."""
    kb_dir = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KB_DIR, kb_dir)
    shutil.copytree(DEFAULT_SEEDS_DIR, tmp_path / "seeds")
    return kb_dir


def write_faq(kb_dir: Path, name: str, text: str) -> Path:
    path = kb_dir / "faq" / name
    path.write_text(text, encoding="utf-8")
    return path
