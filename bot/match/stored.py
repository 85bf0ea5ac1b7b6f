"""Each entry's index data in a form the index cache can hold, so a restart segments and normalises
nothing: a fresh build's costly part (jieba, OpenCC, bigrams) is per entry, and so is what it yields.

An entry's data is filed under a key that hashes everything it was derived from (the entry's texts and
its document's context); the cache file's name covers the rest (the tokenizer's signature, this code).
Words recur across entries, so the file lists each once and entries refer to them by position; lists
of integers (positions, counts) are packed into one string each (base64 of int32s): read as JSON lists
they were two million integer objects at 10,000 entries, freed between the index's own strings, and a
restarted process kept the gaps.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from bot.kb.schema import FaqEntry

FORMAT = 2
_INT32 = np.dtype("<i4")
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

    def ids(items: Any) -> str:
        return _packed(words.setdefault(item, len(words)) for item in items)

    rows = {
        key: [
            list(d.phrasings),
            list(d.phrasing_words),
            ids(sorted(d.vocabulary)),
            d.full_text,
            d.answer_plain,
            ids(d.terms),
            _packed(d.tf),
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
    # Words by position, as an array: picking an entry's words makes no integer objects.
    table = np.array([sys.intern(word) for word in words], dtype=object)
    count = len(words)
    entries: dict[str, Derived] = {}
    for key, row in rows.items():
        if not (isinstance(row, list) and len(row) == 7):
            return None
        phrasings, phrasing_words, vocabulary, full_text, answer_plain, terms, tf = row
        vocabulary, terms, tf = _unpacked(vocabulary, count), _unpacked(terms, count), _unpacked(tf, 2**31 - 1)
        if not (
            _strings(phrasings)
            and _strings(phrasing_words)
            and len(phrasing_words) == len(phrasings)
            and isinstance(full_text, str)
            and isinstance(answer_plain, str)
            and vocabulary is not None
            and terms is not None
            and tf is not None
            and len(tf) == len(terms)
            and (not len(tf) or tf.min() > 0)
        ):
            return None
        entries[key] = Derived(
            tuple(phrasings),
            tuple(phrasing_words),
            tuple(sorted(table[vocabulary])),  # written sorted: Timsort checks in one pass
            full_text,
            answer_plain,
            tuple(table[terms]),
            tuple(tf.tolist()),  # small counts: Python's shared small integers
        )
    return entries


def _packed(numbers: Iterable[int]) -> str:
    """Integers (each in int32) as base64 of their little-endian int32 bytes."""
    return base64.b64encode(np.fromiter(numbers, dtype=_INT32).tobytes()).decode("ascii")


def _unpacked(value: Any, count: int) -> np.ndarray | None:
    """What `_packed` wrote, if each integer is in range(count); else None."""
    if not isinstance(value, str):
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) % _INT32.itemsize:
        return None
    numbers = np.frombuffer(raw, dtype=_INT32)
    return numbers if not len(numbers) or (numbers.min() >= 0 and numbers.max() < count) else None


def _strings(value: Any) -> bool:
    return isinstance(value, list) and set(map(type, value)) <= {str}  # checked in C: 100,000s of items
