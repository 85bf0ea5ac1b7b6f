"""jieba's bundled dictionary, read only for the characters in use.

jieba loads all 349,000 words (and every prefix of them: 498,000 keys) before its first cut: about
0.6 s of CPU and 90 MB in every process, although a question or a knowledge base uses a few thousand
distinct characters. Segmenting a text only ever looks up its own substrings, and a substring is a word,
or a prefix of one, only if some word starts with its first character. So the dictionary's lines are
grouped by first character, and a group is read when a text first has that character: a tokenizer
that merges the groups of a text's characters sees, for every substring of the text, what jieba's own
table holds (a word's frequency, 0 for a prefix of a word, nothing else).
"""

from __future__ import annotations

import bisect
import hashlib
import importlib.util
import itertools
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from pathlib import Path

_PLACE_TAG = "ns"  # jieba's part-of-speech tag for place names
# The sum of the frequencies of jieba 0.42.1's dict.txt, by the file's SHA-256: summing 349,000 lines
# costs a tenth of a cold start. Any other file is summed.
_KNOWN_TOTALS = {"7197c3211ddd98962b036cdf40324d1ea2bfaa12bd028e68faa70111a88e12a8": 60101967}


def dictionary_path() -> Path:
    """jieba's dict.txt, found without importing jieba (whose import pulls in pkg_resources)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jieba")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


class Lexicon:
    """The lines of a jieba dictionary file ("word frequency tag"), loaded by first character.

    Loaded groups are kept as batches, in the order loaded: a tokenizer merges the batches it has not
    merged yet (`batches_since`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        data = path.read_bytes()
        text = data.decode("utf-8")
        self.total = _KNOWN_TOTALS.get(hashlib.sha256(data).hexdigest()) or _total(text)
        lines = list(filter(None, text.splitlines()))
        lines.sort(key=itemgetter(0))  # stable: a word's lines keep their order (the last one wins)
        self._groups = {first: "\n".join(group) for first, group in itertools.groupby(lines, itemgetter(0))}
        self._batches: list[Batch] = []
        self._tags: dict[str, str] = {}
        self._places: set[str] = set()
        self._lock = threading.Lock()

    def ensure(self, chars: Iterable[str]) -> None:
        """Load the words that start with any of these characters."""
        groups = self._groups
        if not any(char in groups for char in chars):
            return
        with self._lock:
            pieces = [groups.pop(char) for char in set(chars) if char in groups]
            if not pieces:
                return
            tokens = "\n".join(pieces).split()
            if len(tokens) % 3:
                raise ValueError(f"{self.path}: every line must read 'word frequency tag'")
            words, tags = tokens[0::3], list(map(sys.intern, tokens[2::3]))
            self._tags.update(zip(words, tags, strict=True))  # the last line of a word wins, as in jieba
            self._places.update(word for word, tag in zip(words, tags, strict=True) if tag == _PLACE_TAG)
            self._batches.append(Batch(dict(zip(words, map(int, tokens[1::3]), strict=True)), _prefixes(words)))

    def batches_since(self, start: int) -> list[Batch]:
        """The batches loaded after the first `start`."""
        with self._lock:
            return self._batches[start:]

    def tag(self, word: str) -> str | None:
        """The word's part of speech (its last line's), or None if the dictionary lacks it."""
        self.ensure(word[:1])
        return self._tags.get(word)

    def is_place(self, word: str) -> bool:
        """Whether some line of the dictionary tags the word as a place name."""
        self.ensure(word[:1])
        return word in self._places


@dataclass(frozen=True)
class Batch:
    """Words loaded together: word -> frequency (a word's last line), and every proper prefix of them
    (a few whole words too: that changes nothing, a word is in the table anyway)."""

    frequencies: dict[str, int]
    prefixes: frozenset[str]


def _prefixes(words: list[str]) -> frozenset[str]:
    """The words' first k characters for every k shorter than some word, a pass (in C) per length."""
    by_length = sorted(words, key=len)
    lengths = list(map(len, by_length))
    found: set[str] = set()
    for size in range(1, lengths[-1] if lengths else 0):
        found.update(map(itemgetter(slice(0, size)), by_length[bisect.bisect_right(lengths, size) :]))
    return frozenset(found)


def _total(text: str) -> int:
    """jieba's `total`: the sum of every line's frequency (a word listed twice counts twice)."""
    return sum(map(int, text.split()[1::3]))


@cache
def lexicon() -> Lexicon:
    """The process's view of jieba's bundled dictionary (shared by every tokenizer)."""
    return Lexicon(dictionary_path())
