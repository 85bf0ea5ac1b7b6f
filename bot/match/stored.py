"""Each entry's index data in a form the index cache can hold, so a restart segments and normalises
nothing: a fresh build's costly part (jieba, OpenCC, bigrams) is per entry, and so is what it yields.

An entry's data is filed under a key that hashes everything it was derived from (the entry's texts and
its document's context); the cache file's name covers the rest (the tokenizer's signature, this code).
Words recur across entries, so the file lists each once and entries refer to them by position.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.kb.schema import FaqEntry

FORMAT = 1
# The code an entry's data depends on besides the tokenizer (which has its own signature).
_SOURCES = [Path(__file__).parent / name for name in ("index.py", "stored.py", "bm25.py")] + [
    Path(__file__).parent.parent / "text" / name for name in ("normalize.py", "numbers.py")
]


@dataclass(frozen=True)
class Derived:
    """What indexing makes of one entry, apart from the entry itself."""

    phrasings: tuple[str, ...]
    phrasing_words: tuple[str, ...]
    vocabulary: tuple[str, ...]  # sorted
    full_text: str
    answer_plain: str
    terms: tuple[str, ...]  # distinct BM25 terms, in order of first occurrence
    tf: tuple[int, ...]  # how often each occurs


def entry_key(entry: FaqEntry, context: str) -> str:
    """A digest of every input of the entry's index data."""
    inputs = [entry.phrasings, entry.keywords, entry.answer, entry.source.quotes, context]
    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode()).hexdigest()[:32]


def cache_name(tokenizer_signature: str) -> str:
    """The cache file for data made by this tokenizer and this code (OpenCC's and Unicode's tables too)."""
    import unicodedata

    import opencc

    versions = f"opencc {getattr(opencc, '__version__', '?')} unicode {unicodedata.unidata_version}"
    digest = hashlib.sha256(f"{tokenizer_signature}\n{versions}\n".encode())
    for source in _SOURCES:
        digest.update(source.read_bytes())
    return f"index-{digest.hexdigest()[:40]}"


def to_json(entries: Mapping[str, Derived]) -> dict[str, Any]:
    words: dict[str, int] = {}

    def ids(items: Any) -> list[int]:
        return [words.setdefault(item, len(words)) for item in items]

    rows = {
        key: [
            list(d.phrasings),
            list(d.phrasing_words),
            ids(sorted(d.vocabulary)),
            d.full_text,
            d.answer_plain,
            ids(d.terms),
            list(d.tf),
        ]
        for key, d in entries.items()
    }
    return {"format": FORMAT, "words": list(words), "entries": rows}


def from_json(value: Any) -> dict[str, Derived] | None:
    """The entries of a cache file's value; None unless every part has exactly the expected shape."""
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        return None
    words, rows = value.get("words"), value.get("entries")
    if not (_strings(words) and isinstance(rows, dict)):
        return None
    words = [sys.intern(word) for word in words]
    count = len(words)
    entries: dict[str, Derived] = {}
    for key, row in rows.items():
        if not (isinstance(row, list) and len(row) == 7):
            return None
        phrasings, phrasing_words, vocabulary, full_text, answer_plain, terms, tf = row
        if not (
            _strings(phrasings)
            and _strings(phrasing_words)
            and len(phrasing_words) == len(phrasings)
            and isinstance(full_text, str)
            and isinstance(answer_plain, str)
            and _positions(vocabulary, count)
            and _positions(terms, count)
            and _positions(tf, sys.maxsize)
            and len(tf) == len(terms)
            and (not tf or min(tf) > 0)
        ):
            return None
        entries[key] = Derived(
            tuple(phrasings),
            tuple(phrasing_words),
            tuple(sorted(words[i] for i in vocabulary)),  # written sorted: Timsort checks in one pass
            full_text,
            answer_plain,
            tuple(words[i] for i in terms),
            tuple(tf),
        )
    return entries


def _strings(value: Any) -> bool:
    return isinstance(value, list) and set(map(type, value)) <= {str}  # checked in C: 100,000s of items


def _positions(value: Any, count: int) -> bool:
    """A list of integers in range(count)."""
    return (
        isinstance(value, list)
        and set(map(type, value)) <= {int}
        and (not value or 0 <= min(value) <= max(value) < count)
    )
