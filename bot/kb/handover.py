"""A build worker's entries on their way to the process that asked for the build, through a pipe from a
process it forked: never a file, which gets the index cache's JSON (bot/match/stored.py) instead.

At 100,000 entries the two workers' JSON parts were 640 MB: 4.5 s to make in each worker and 2.9 s to
read in the serving process, on the build's critical path. Marshal of plain tuples is made and read in
a fraction of that; the cache file's JSON is made afterwards by the build child, while the serving
process reads these (kb/store.py).
"""

from __future__ import annotations

import marshal
import sys
from collections.abc import Iterable

from bot.match.stored import Derived

_FIELDS = 8  # the entry's key, then Derived's fields in order
_LENGTH_BYTES = 8


def share_bytes(entries: Iterable[tuple[str, Derived]]) -> bytes:
    """A share's entries for `share_entries`. Terms are interned, so a bigram that every entry has is
    written once and read back as one string, interned (as the cache's word list gives them)."""
    rows = [
        (key, d.phrasings, d.phrasing_words, d.vocabulary, d.full_text, d.answer_plain, _interned(d.terms), d.tf)
        for key, d in entries
    ]
    return marshal.dumps(rows, 4)


def _interned(terms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(map(sys.intern, terms))


def share_entries(data: bytes | bytearray | memoryview) -> list[tuple[str, Derived]] | None:
    """The entries `share_bytes` wrote, in order; None unless the data has exactly their shape."""
    try:
        rows = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if type(rows) is not list or not all(type(row) is tuple and len(row) == _FIELDS for row in rows):
        return None
    columns = list(zip(*rows, strict=True)) if rows else [()] * _FIELDS
    texts = (columns[0], columns[1], columns[2], columns[4], columns[5])
    tuples = (columns[3], columns[6], columns[7])
    if not all(set(map(type, column)) <= {str} for column in texts):
        return None
    if not all(set(map(type, column)) <= {tuple} for column in tuples):
        return None
    if not all(len(terms) == len(tf) for terms, tf in zip(columns[6], columns[7], strict=True)):
        return None
    return [(row[0], Derived(*row[1:])) for row in rows]


def pieces(shares: Iterable[bytes | bytearray]) -> list[bytes | bytearray]:
    """Shares made by `share_bytes`, each after its length, to be sent one after the other (not joined:
    a copy of hundreds of megabytes)."""
    sent: list[bytes | bytearray] = []
    for share in shares:
        sent += (len(share).to_bytes(_LENGTH_BYTES, "little"), share)
    return sent


def entries_of(data: bytes | bytearray) -> tuple[dict[str, Derived], list[list[str]]] | None:
    """Every entry of `pieces` as received joined, and each share's keys in its order (an entry's key is
    not computed again, see `MatchIndex`); None unless every share is whole and well formed."""
    view, entries, keys, at = memoryview(data), {}, [], 0
    while at < len(view):
        size = int.from_bytes(view[at : at + _LENGTH_BYTES], "little")
        end = at + _LENGTH_BYTES + size
        share = share_entries(view[at + _LENGTH_BYTES : end]) if end <= len(view) else None
        if share is None:
            return None
        entries.update(share)
        keys.append([key for key, _ in share])
        at = end
    return entries, keys
