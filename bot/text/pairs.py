"""The characters of many texts and their pairs of neighbouring non-space characters, found with numpy.

A tokenizer reads jieba's words by these keys (bot/text/lexicon.py). A build asks for the keys of tens of
thousands of texts: found pair by pair with a regex, they were a million short strings made and hashed
for some fifteen thousand distinct ones (half a second of a build worker's five at 10,000 entries).
Here each text's code points go into one array, and only the distinct characters and pairs become strings.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

_CHUNK_CHARS = 1 << 18  # code points put in one array at once: bounds a large build's temporaries
_SEPARATOR = " "  # whitespace: no pair crosses from one text into the next


def characters_and_pairs(texts: Iterable[str]) -> set[str]:
    """Every character of the texts and every pair of neighbouring characters neither of which is
    whitespace (what `re.findall(r"(?=(\\S\\S))", text)` finds, text by text)."""
    keys: set[str] = set()
    chunk: list[str] = []
    size = 0
    spaced = False
    for text in texts:
        chunk.append(text)
        size += len(text) + 1
        if size >= _CHUNK_CHARS:
            spaced |= _add_keys(chunk, keys)
            chunk, size = [], 0
    if chunk:
        spaced |= _add_keys(chunk, keys)
    if not spaced:
        keys.discard(_SEPARATOR)  # only the join had it
    return keys


def _add_keys(texts: list[str], keys: set[str]) -> bool:
    """Add these texts' keys (the separator's too); True if a text itself holds the separator."""
    spaced = any(_SEPARATOR in text for text in texts)
    joined = _SEPARATOR.join(texts)
    if not joined:
        return spaced
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    characters = _distinct(codes)
    keys.update(map(chr, characters.tolist()))
    is_space = np.zeros(int(characters[-1]) + 1, dtype=bool)  # whitespace as `\s` reads it: str.isspace
    is_space[[code for code in characters.tolist() if chr(code).isspace()]] = True
    spaces = is_space[codes]
    both = ~(spaces[:-1] | spaces[1:])
    pairs = _distinct((codes[:-1][both].astype(np.uint64) << np.uint64(32)) | codes[1:][both])
    firsts, seconds = (pairs >> np.uint64(32)).tolist(), (pairs & np.uint64(0xFFFFFFFF)).tolist()
    keys.update(chr(first) + chr(second) for first, second in zip(firsts, seconds, strict=True))
    return spaced


def _distinct(values: np.ndarray) -> np.ndarray:
    """np.unique's sorted distinct values, without its check for masked arrays, which imports numpy.ma
    (10 ms of a cold `ask`, in each process that builds)."""
    ordered = np.sort(values)
    if ordered.size == 0:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
