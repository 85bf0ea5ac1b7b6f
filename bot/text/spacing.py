"""Spaces typed inside a word (科技部 门, 三 千亿元) are taken out before a question is segmented.

A space between two Chinese characters separates keywords (商丘 三换) far more often than it splits a
word, so it is kept, unless the characters on either side of it together spell a dictionary word: then
the writer's space fell inside that word, and keeping it would make two unknown halves of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SPACE_IN_CHINESE = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")
# The Chinese characters on each side of such a space, at most three: words of up to six are mended.
_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,3}$")
_AFTER = re.compile(r"[\u4e00-\u9fff]{1,3}")


def join_split_words(text: str, is_word: Callable[[str], bool]) -> str:
    """`text` without the spaces that fall inside a word `is_word` knows."""
    pieces, start = [], 0
    for space in _SPACE_IN_CHINESE.finditer(text):
        left = _BEFORE.search(text, 0, space.start()).group()
        right = _AFTER.match(text, space.end()).group()
        if any(is_word(left[-k:] + right[:m]) for k in range(1, len(left) + 1) for m in range(1, len(right) + 1)):
            pieces.append(text[start : space.start()])
            start = space.end()
    pieces.append(text[start:])
    return "".join(pieces)
