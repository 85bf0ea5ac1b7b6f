"""pypinyin with its tables read only for the characters in use.

Imported as it is, pypinyin decodes its whole phrase table (47,000 phrases, a 2.5 MB JSON file) into
lists of lists and copies it: about 50 MB in every process, 120 MB at peak while the JSON is decoded.
A text's pinyin depends only on the phrases that start with one of its characters: pypinyin cuts a run
of Chinese characters by forward maximum matching (`pypinyin.seg.mmseg`), and from a position it only
looks up substrings that start there, in the phrase table and the set of the phrases' prefixes. So
pypinyin is imported without its phrases, and the phrases starting with a character, and the
character's own readings (its table of 41,000 characters is 6 MB more), are added to its tables when a
text first has that character: every text then reads as with the whole tables
(tests/match/test_pinyin.py compares with pypinyin as shipped).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import sys
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable, Mapping
from itertools import accumulate, compress
from operator import itemgetter, ne
from pathlib import Path
from typing import Any

# A key of the phrase table: "一丁不识": [ ... ]. Values hold only pinyin strings, never a colon.
_KEY = re.compile(rb'"([^"\\]+)"\s*:\s*\[')
# The file as shipped is pretty-printed: each entry's readings end with a line "]", then ",", and the next
# key starts a line. Split there, the entries are found without a regex search over the file's half a
# million lines (0.035 s of a cold `ask` against 0.07 s); a file laid out otherwise is read with `_KEY`.
_BETWEEN_ENTRIES = b'\n],\n"'
_KEY_END = b'": ['
_ENV_KNOBS = {"PYPINYIN_NO_PHRASES": "1", "PYPINYIN_NO_DICT_COPY": "1"}


class PhraseGroups:
    """The phrase table file's entries grouped by the phrase's first character, decoded on demand.
    Holds the file's bytes (2.5 MB) and where each entry is, not 47,000 decoded phrases."""

    def __init__(self, path: Path) -> None:
        self._data = data = path.read_bytes()
        end_of_table = data.rindex(b"}")
        # A character's phrases are neighbours in the (sorted) file: kept as runs of entries, (start, end),
        # a run ending where the next character's first phrase starts.
        self._spans: dict[str, list[tuple[int, int]]] = {}
        runs = _runs_between_entries(data) or _runs_of_keys(data)
        for (first, start), (_, end) in zip(runs, [*runs[1:], ("", end_of_table)], strict=True):
            self._spans.setdefault(first, []).append((start, end))

    def phrases(self, firsts: set[str]) -> dict[str, list[list[str]]]:
        """The entries of the phrases that start with these characters, as pypinyin's table has them."""
        data = self._data
        parts = [data[start:end].rstrip().rstrip(b",") for first in firsts for start, end in self._spans.get(first, ())]
        table: dict[str, list[list[str]]] = json.loads(b"{" + b",".join(parts) + b"}")
        return _shared(table)


def _runs_of_keys(data: bytes) -> list[tuple[str, int]]:
    """Where each run of keys with the same first character starts (the key's opening quote), found by
    searching for every key."""
    runs: list[tuple[str, int]] = []
    for key in _KEY.finditer(data):
        first = key.group(1)[:4].decode("utf-8", "ignore")[:1]  # a character is at most 4 bytes
        if not runs or runs[-1][0] != first:
            runs.append((first, key.start()))
    return runs


def _runs_between_entries(data: bytes) -> list[tuple[str, int]] | None:
    """`_runs_of_keys` for the file as shipped (`_BETWEEN_ENTRIES`); None if the file is laid out
    otherwise (then some key does not follow that separator, and the pieces are fewer than the keys),
    or if a phrase starts with a character that is not three bytes long (every one as shipped is)."""
    opening = data.find(b'"')
    if opening < 0:
        return None
    pieces = data[opening + 1 :].split(_BETWEEN_ENTRIES)  # each starts with its key, less the opening quote
    if len(pieces) != data.count(_KEY_END):
        return None
    heads = list(map(itemgetter(slice(0, 3)), pieces))
    before = list(accumulate(map(len, pieces), initial=0))  # the bytes of the pieces before each one
    runs = []
    for at in compress(range(len(heads)), map(ne, heads, [None, *heads])):
        first = heads[at].decode("utf-8", "ignore")
        if len(first) != 1:
            return None
        runs.append((first, opening + before[at] + at * len(_BETWEEN_ENTRIES)))
    return runs


def _shared(table: dict[str, list[list[str]]]) -> dict[str, list[list[str]]]:
    """The table with equal readings as one object: a few thousand distinct ones serve every phrase
    (pypinyin deep-copies a phrase's readings before using them)."""
    readings: dict[tuple[str, ...], list[str]] = {}
    return {
        phrase: [readings.setdefault(tuple(reading), reading) for reading in value] for phrase, value in table.items()
    }


class CharReadings:
    """pypinyin's table of single characters' readings (41,000 characters, 6 MB as a dict) packed into
    one string and two arrays; a character's readings go back into the table when a text has it."""

    def __init__(self, table: Mapping[int, str]) -> None:
        codes = sorted(table)
        self._codes = array("I", codes)
        self._text = "".join(table[code] for code in codes)
        self._ends = array("I", accumulate(len(table[code]) for code in codes))

    def readings(self, chars: set[str]) -> dict[int, str]:
        """The table's entries for these characters (those it has)."""
        codes, ends, found = self._codes, self._ends, {}
        for code in map(ord, chars):
            at = bisect_left(codes, code)
            if at < len(codes) and codes[at] == code:
                found[code] = self._text[ends[at - 1] if at else 0 : ends[at]]
        return found


class LazyTables:
    """Fills pypinyin's tables of phrases and of characters as texts come (thread-safe)."""

    def __init__(
        self,
        sources: tuple[PhraseGroups, CharReadings] | None,
        tables: tuple[dict[str, Any], dict[int, str]],
        train: Callable[[Any], None],
    ) -> None:
        """`sources`: None when pypinyin already holds its whole tables (nothing to add)."""
        self._sources = sources
        self._phrases, self._chars = tables
        self._train = train
        self._loaded: set[str] = set()
        self._lock = threading.Lock()

    def load(self, text: str) -> None:
        """Make pypinyin read `text` as with its whole tables."""
        if self._sources is None or self._loaded.issuperset(text):
            return
        with self._lock:
            new = set(text).difference(self._loaded)
            if not new:
                return
            groups, readings = self._sources
            phrases = groups.phrases(new)
            self._phrases.update(phrases)
            self._train(phrases)  # the segmenter's prefixes of the new phrases
            self._chars.update(readings.readings(new))
            self._loaded.update(new)

    def readings_alone(self, chars: set[str]) -> dict[int, str]:
        """pypinyin's readings of each character alone (those it has), without loading anything."""
        if self._sources is None:
            return {code: self._chars[code] for code in map(ord, chars) if code in self._chars}
        return self._sources[1].readings(chars)


_lazy: LazyTables | None = None
_lazy_lock = threading.Lock()


def _tables() -> LazyTables:
    """Import pypinyin without its phrase table and empty its table of characters (unless something
    imported it whole already). pypinyin is then for `toneless` only: other code would read it partly
    filled."""
    global _lazy
    with _lazy_lock:
        if _lazy is None:
            saved = {name: os.environ.get(name) for name in _ENV_KNOBS}
            os.environ.update(_ENV_KNOBS)  # read once, by pypinyin.constants, on import
            try:
                from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
                from pypinyin.seg import mmseg
            finally:
                for name, value in saved.items():
                    if value is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = value
            whole = "pypinyin.phrases_dict" in sys.modules  # imported only to read the whole table
            sources = None if whole else (PhraseGroups(_table_path()), CharReadings(PINYIN_DICT))
            if sources is not None:
                PINYIN_DICT.clear()
            _lazy = LazyTables(sources, (PHRASES_DICT, PINYIN_DICT), mmseg.seg.train)
        return _lazy


def _table_path() -> Path:
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pypinyin")
    return Path(next(iter(spec.submodule_search_locations))) / "phrases_dict.json"


def toneless(text: str) -> list[str]:
    """pypinyin's `lazy_pinyin(text, Style.NORMAL)`, a character without pinyin kept as it is.

    As lazy_pinyin does: the text cut into words (runs of Chinese by its phrases), each word read on
    its own; a word's reading is remembered (`_word`): converting it is most of what pypinyin costs, and
    questions are made of the same few thousand words."""
    _tables().load(text)
    cut, _ = _reader()
    return [syllable for word in cut(text) for syllable in _word(word)]


def syllables_alone(chars: set[str]) -> dict[str, frozenset[str]]:
    """Every toneless reading of each character alone (pypinyin's table of characters); a character
    without one reads as itself. A word's first syllable is one of its first character's, but for the
    odd phrase that reads it otherwise (乐亭, lào tíng: 1 of pypinyin's 47,000 phrases)."""
    readings = _tables().readings_alone(chars)  # first: it imports pypinyin without its phrase table
    from pypinyin import Style
    from pypinyin.style import convert

    return {
        char: frozenset(convert(reading, Style.NORMAL, strict=True) for reading in readings[ord(char)].split(","))
        if ord(char) in readings
        else frozenset(char)
        for char in chars
    }


@functools.lru_cache(maxsize=1 << 16)
def _word(word: str) -> tuple[str, ...]:
    """One word's syllables, as lazy_pinyin reads it within a text. Its characters' readings and the phrases
    starting with them are in pypinyin's tables by now (`toneless` loads them first), and what is added
    later starts with other characters: the reading never changes."""
    from pypinyin import Style

    _, converter = _reader()
    converted = converter.convert(word, Style.NORMAL, False, _as_is, True)
    return tuple(syllable for syllables in converted for syllable in syllables)


@functools.cache
def _reader() -> tuple[Callable[[str], list[str]], Any]:
    """What `lazy_pinyin` makes at each call: a Pinyin over an UltimateConverter with no option; its cut
    into words and the converter."""
    _tables()
    from pypinyin.converter import UltimateConverter
    from pypinyin.core import Pinyin

    converter = UltimateConverter()
    return Pinyin(converter).seg, converter


def _as_is(chars: str) -> list[str]:
    """What a character without pinyin reads as: itself."""
    return list(chars)
