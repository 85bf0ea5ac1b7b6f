"""jieba's bundled dictionary, read only for the words a text can contain.

jieba loads all 349,000 words (and every prefix of them: 498,000 keys) before its first cut: about
0.6 s of CPU and 90 MB in every process, although a question or a knowledge base uses a few thousand
distinct characters. Segmenting a text only ever looks up its own substrings, and a substring of two or
more characters is a word, or a prefix of one, only if some word starts with its first two characters.
The file is sorted, so the words that start with two given characters are one stretch of lines, found
by a search in the lines of their first character: a tokenizer reads the stretches of the pairs of
neighbouring characters a text has (and the line of each of its characters), and its table then holds,
for every substring of the texts it has seen, what jieba's own table holds (a word's frequency, 0 for a
prefix of a word, nothing else). tests/text/test_tokenize.py checks that. The shipped knowledge base
reads 25,000 lines this way, where reading every word of its characters read 224,000.
"""

from __future__ import annotations

import bisect
import hashlib
import importlib.util
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from operator import itemgetter
from pathlib import Path

_RUN = re.compile(r"^(.)[^\n]*\n(?:\1[^\n]*\n)*", re.MULTILINE)  # lines that start with one character
_PLACE_TAG = "ns"  # jieba's part-of-speech tag for place names
ADMINISTRATIVE_SUFFIXES = "市县省区州镇乡旗"
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
    """The lines of a jieba dictionary file ("word frequency tag"), grouped by the word's first character
    in file order (so where a word has two lines, the last still wins)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        data = path.read_bytes()
        text = data.decode("utf-8")
        self.total = _KNOWN_TOTALS.get(hashlib.sha256(data).hexdigest()) or _total(text)
        self._text = "\n" + (text if text.endswith("\n") else text + "\n")  # every line after a line break
        # The file is nearly grouped already (11,783 runs of lines for 11,772 first characters).
        self._runs: dict[str, list[tuple[int, int]]] = {}
        for run in _RUN.finditer(self._text):
            self._runs.setdefault(run.group(1), []).append(run.span())

    def starts_a_word(self, char: str) -> bool:
        """Whether some word of the dictionary starts with this character."""
        return char in self._runs

    def words(self, keys: Iterable[str]) -> tuple[list[str], list[int]]:
        """The words that start with these two-character keys, and the words that are these one-character
        keys, with their frequencies; each key's lines in file order (where a word has two lines, the
        last still wins)."""
        tokens = "".join(map(self._lines, keys)).split()
        if len(tokens) % 3:
            raise ValueError(f"{self.path}: every line must read 'word frequency tag'")
        return tokens[0::3], list(map(int, tokens[1::3]))

    def _lines(self, key: str) -> str:
        """The lines of one key: within its first character's lines, from the first line that starts with
        the key to the last (lines of other words between them, if the file is out of order there, are
        left out)."""
        text = self._text
        needle = "\n" + key if len(key) > 1 else f"\n{key} "
        found = []
        for start, end in self._runs.get(key[:1], ()):
            first = text.find(needle, start - 1, end)
            if first < 0:
                continue
            last = text.find("\n", text.rfind(needle, first, end) + 1)
            lines = text[first + 1 : last + 1]
            if lines.count("\n") != text.count(needle, first, last):  # not one stretch
                lines = "".join(line for line in lines.splitlines(keepends=True) if ("\n" + line).startswith(needle))
            found.append(lines)
        return "".join(found)

    @lru_cache(maxsize=65536)  # noqa: B019 (one lexicon per process)
    def tags(self, word: str) -> tuple[str, ...]:
        """The part-of-speech tags of the word's lines, in file order (none if the dictionary lacks it).
        Plain searches in the lines of its first character, where they are: a question's first unknown
        word should not cost a millisecond, nor a copy of those lines (tens of kB for a common character)."""
        text = self._text
        needle = f"\n{word} "
        tags = []
        for start, end in self._runs.get(word[:1], ()):
            at = text.find(needle, start - 1, end)  # the line break before the run's first line, too
            while at >= 0:
                tags.append(text[at + 1 : text.find("\n", at + 1)].split()[-1])
                at = text.find(needle, at + 1, end)
        return tuple(tags)

    def tag(self, word: str) -> str | None:
        """The word's part of speech (its last line's, as jieba keeps it), None if the dictionary lacks it."""
        tags = self.tags(word)
        return tags[-1] if tags else None

    def is_place(self, word: str) -> bool:
        """Whether some line of the dictionary tags the word as a place name."""
        return _PLACE_TAG in self.tags(word)

    def is_place_name(self, word: str) -> bool:
        """A word tagged as a place that has an administrative form (武汉 and 武汉市 are both in the dictionary).
        jieba tags many ordinary words as places (城市, 深度, 东西, 福利, 各县区); a real place is named
        with 市, 县, 省 ... somewhere in the dictionary."""
        if not self.is_place(word):
            return False
        if len(word) >= 3 and word[-1] in ADMINISTRATIVE_SUFFIXES:  # 石首市, 洪山区
            return True
        return any(self.tags(word + suffix) for suffix in ADMINISTRATIVE_SUFFIXES)


def prefixes(words: list[str]) -> set[str]:
    """Every proper prefix of the words: one pass in C per length."""
    by_length = sorted(words, key=len)
    lengths = list(map(len, by_length))
    found: set[str] = set()
    for size in range(1, lengths[-1] if lengths else 0):
        found.update(map(itemgetter(slice(0, size)), by_length[bisect.bisect_right(lengths, size) :]))
    return found


def _total(text: str) -> int:
    """jieba's `total`: the sum of every line's frequency (a word listed twice counts twice)."""
    return sum(map(int, text.split()[1::3]))


@cache
def lexicon() -> Lexicon:
    """The process's view of jieba's bundled dictionary (shared by every tokenizer)."""
    return Lexicon(dictionary_path())
