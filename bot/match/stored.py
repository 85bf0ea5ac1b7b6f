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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from bot.kb.schema import FaqEntry

FORMAT = 4
_INT32 = np.dtype("<i4")
# The code an entry's data depends on besides the tokenizer (which has its own signature).
_SOURCES = [Path(__file__).parent / name for name in ("index.py", "stored.py", "bm25.py")] + [
    Path(__file__).parent.parent / "text" / name for name in ("normalize.py", "numbers.py")
]


@dataclass(frozen=True)
class Derived:
    """What indexing makes of one entry, apart from the entry itself."""

    phrasings: str  # packed (`pack`)
    phrasing_words: str  # packed, one per phrasing
    vocabulary: tuple[str, ...]  # sorted
    full_text: str
    answer_plain: str
    terms: tuple[str, ...]  # distinct BM25 terms, in order of first occurrence
    tf: tuple[int, ...]  # how often each occurs


_SEPARATOR = "\x1f"  # between packed texts: a control character, which canonical text never keeps


def pack(texts: Sequence[str]) -> str:
    """Texts as one string: an entry's phrasings as 250,000 strings of their own took 33 MB of a serving
    process at 10,000 entries, packed they take 15 MB (and the cache file reads them as 20,000)."""
    return _SEPARATOR.join(text.replace(_SEPARATOR, " ") for text in texts)


def unpack(packed: str) -> list[str]:
    return packed.split(_SEPARATOR)


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
    """The cache file's value for these entries (one part; see `encode_part`)."""
    return {"format": FORMAT, "parts": [encode_part(entries.items())]}


def encode_part(entries: Iterable[tuple[str, Derived]]) -> dict[str, Any]:
    """Entries as one part of a cache file: each word listed once, the entries' strings in one list, their
    integers in three packed arrays (per entry: how many phrasings, vocabulary words and terms it has; the
    vocabulary's then the terms' positions in the word list; the terms' counts). Parts are independent,
    so build workers each encode their own and the file joins them as they are."""
    words: dict[str, int] = {}
    keys: list[str] = []
    strings: list[str] = []
    shape: list[int] = []
    ids: list[int] = []
    tf: list[int] = []
    number = words.setdefault
    for key, d in entries:
        keys.append(key)
        strings += (d.phrasings, d.phrasing_words, d.full_text, d.answer_plain)
        vocabulary = sorted(d.vocabulary)
        shape += (d.phrasings.count(_SEPARATOR) + 1, len(vocabulary), len(d.terms))
        ids += [number(word, len(words)) for word in vocabulary]
        ids += [number(term, len(words)) for term in d.terms]
        tf += d.tf
    return {
        "words": list(words),
        "keys": keys,
        "strings": strings,
        "shape": _packed(shape),
        "ids": _packed(ids),
        "tf": _packed(tf),
    }


def encode_part_bytes(entries: Iterable[tuple[str, Derived]]) -> bytes:
    """`encode_part` as the JSON text the cache file holds (see `file_pieces`)."""
    return json.dumps(encode_part(entries), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def file_pieces(parts: Iterable[bytes | bytearray]) -> list[bytes | bytearray]:
    """The JSON text of a cache file's value made of parts (`encode_part_bytes`), in pieces to be written
    one after the other: neither decoded nor joined (a copy of 60 MB at 10,000 entries)."""
    pieces: list[bytes | bytearray] = [b'{"format":%d,"parts":[' % FORMAT]
    for number, part in enumerate(parts):
        pieces += (b",", part) if number else (part,)
    return [*pieces, b"]}"]


def from_json_text(text: bytes | bytearray) -> dict[str, Derived] | None:
    """The entries of a cache file's JSON text as a build hands it over (`file_pieces`), see `from_json`."""
    return from_json(json.loads(text))


def from_json(value: Any) -> dict[str, Derived] | None:
    """The entries of a cache file's value; None unless every part has exactly the expected shape."""
    if not isinstance(value, dict) or value.get("format") != FORMAT or not isinstance(value.get("parts"), list):
        return None
    entries: dict[str, Derived] = {}
    for part in value["parts"]:
        decoded = _decoded(part)
        if decoded is None:
            return None
        entries.update(decoded)
    return entries


def _decoded(part: Any) -> dict[str, Derived] | None:
    """One part's entries (see `encode_part`), or None unless it has exactly the expected shape."""
    if not isinstance(part, dict):
        return None
    words, keys, strings = part.get("words"), part.get("keys"), part.get("strings")
    if not (_strings(words) and _strings(keys) and _strings(strings)):
        return None
    shape = _unpacked(part.get("shape"), 2**31 - 1)
    ids = _unpacked(part.get("ids"), len(words))
    tf = _unpacked(part.get("tf"), 2**31 - 1)
    if shape is None or ids is None or tf is None or len(shape) != 3 * len(keys):
        return None
    phrasing_counts, vocabulary_sizes, term_counts = shape[0::3], shape[1::3], shape[2::3]
    if not (
        4 * len(keys) == len(strings)
        and int(vocabulary_sizes.sum(dtype=np.int64) + term_counts.sum(dtype=np.int64)) == len(ids)
        and int(term_counts.sum(dtype=np.int64)) == len(tf)
        and (not len(tf) or tf.min() > 0)
    ):
        return None
    # Words by position, as an array: picking an entry's words makes no integer objects.
    table = np.array([sys.intern(word) for word in words], dtype=object)
    entries: dict[str, Derived] = {}
    at = at_id = at_tf = 0
    counts = zip(phrasing_counts.tolist(), vocabulary_sizes.tolist(), term_counts.tolist(), strict=True)
    for key, (phrasings, size, terms) in zip(keys, counts, strict=True):
        packed_phrasings, packed_words = strings[at], strings[at + 1]
        if packed_phrasings.count(_SEPARATOR) + 1 != phrasings or packed_words.count(_SEPARATOR) + 1 != phrasings:
            return None
        vocabulary = ids[at_id : at_id + size]
        at_id += size
        entries[key] = Derived(
            packed_phrasings,
            packed_words,
            tuple(sorted(table[vocabulary])),  # written sorted: Timsort checks in one pass
            strings[at + 2],
            strings[at + 3],
            tuple(table[ids[at_id : at_id + terms]]),
            tuple(tf[at_tf : at_tf + terms].tolist()),  # small counts: Python's shared small integers
        )
        at += 4
        at_id += terms
        at_tf += terms
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
