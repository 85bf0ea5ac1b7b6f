"""The source documents, and the check that a quote really is in one of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_WHITESPACE = re.compile(r"\s+")


def squash_whitespace(text: str) -> str:
    """Quotes are verbatim modulo whitespace: line breaks and spaces in seeds are layout, not text."""
    return _WHITESPACE.sub("", text)


@dataclass(frozen=True)
class SeedLibrary:
    """Seed texts by file name, each also kept without whitespace for quote lookups."""

    texts: dict[str, str]
    squashed: dict[str, str]

    @classmethod
    def load(cls, seeds_dir: Path) -> SeedLibrary:
        texts = {
            path.name: path.read_text(encoding="utf-8") for path in sorted(seeds_dir.glob("*.txt")) if path.is_file()
        }
        return cls(texts=texts, squashed={name: squash_whitespace(text) for name, text in texts.items()})

    def has(self, seed: str) -> bool:
        return seed in self.texts

    def contains(self, seed: str, quote: str) -> bool:
        return squash_whitespace(quote) in self.squashed.get(seed, "")

    def names(self) -> list[str]:
        return sorted(self.texts)
