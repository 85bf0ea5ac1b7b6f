"""Spaces typed inside a word (科技部 门, 三 千亿元) are taken out before a question is segmented.

A space between two Chinese characters separates keywords (商丘 三换) far more often than it splits a
word, so it is kept, unless the characters on either side of it together spell a dictionary word: then
the writer's space fell inside that word, and keeping it would make two unknown halves of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SPACE_IN_CHINESE = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")
_MAX_PART = 3  # characters taken from each side: words of up to six characters are mended


def join_split_words(text: str, is_word: Callable[[str], bool]) -> str:
    """`text` without the spaces that fall inside a word `is_word` knows."""
    pieces, start = [], 0
    for space in _SPACE_IN_CHINESE.finditer(text):
        left = text[max(0, space.start() - _MAX_PART) : space.start()]
        right = text[space.end() : space.end() + _MAX_PART]
        if _spans_a_word(left, right, is_word):
            pieces.append(text[start : space.start()])
            start = space.end()
    pieces.append(text[start:])
    return "".join(pieces)


def _spans_a_word(left: str, right: str, is_word: Callable[[str], bool]) -> bool:
    return any(
        is_word(left[-k:] + right[:m])
        for k in range(1, len(left) + 1)
        if _is_chinese(left[-k:])
        for m in range(1, len(right) + 1)
        if _is_chinese(right[:m])
    )


def _is_chinese(text: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" for char in text)
