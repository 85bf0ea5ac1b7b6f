"""Spaces typed inside a word (科技部 门, 三 千亿元) are taken out before a question is segmented.

A space between two Chinese characters separates keywords (商丘 三换) far more often than it splits a
word, so it is kept, unless the characters on either side of it together spell a dictionary word: then
the writer's space fell inside that word, and keeping it would make two unknown halves of it. Not when a
word ends at the space and another starts there: punctuation is a space by now, and 上设备，商丘 is no 设备商.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# (NFKC makes an ideographic space a plain one: a `BOUNDARY` mark of \u3000 is left alone here.)
_SPACE_IN_CHINESE = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]+(?=[\u4e00-\u9fff])")
BOUNDARY = "\u3000"
# The Chinese characters on each side of such a space, at most three: words of up to six are mended.
_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,3}$")
_AFTER = re.compile(r"[\u4e00-\u9fff]{1,3}")


def join_split_words(text: str, is_word: Callable[[str], bool], is_term: Callable[[str], bool] | None = None) -> str:
    """`text` without the spaces that fall inside a word `is_word` knows. Given `is_term` (the knowledge
    base's own words), a space between two words of two or more characters stays, marked `BOUNDARY` so that
    later calls leave it too, unless the two make one of those terms (数字化 转型, 绿色 工厂): the first call
    sees the writer's spaces and punctuation (规划、设计 is no 规划设计), later ones the spaces around English
    made Chinese (支持 政策)."""
    pieces, start = [], 0
    for space in _SPACE_IN_CHINESE.finditer(text):
        left = _BEFORE.search(text, 0, space.start()).group()
        right = _AFTER.match(text, space.end()).group()
        if is_term is not None and _both_sides_words(left, right, is_word):
            joined = _term_of_two(left, right, is_word, is_term)
            pieces.append(text[start : space.start()] + ("" if joined else BOUNDARY))
            start = space.end()
        elif any(is_word(left[-k:] + right[:m]) for k in range(1, len(left) + 1) for m in range(1, len(right) + 1)):
            pieces.append(text[start : space.start()])
            start = space.end()
    pieces.append(text[start:])
    return "".join(pieces)


def _both_sides_words(left: str, right: str, is_word: Callable[[str], bool]) -> bool:
    """Whether a word of two or more characters ends at the space and another starts there."""
    return any(is_word(left[-k:]) for k in range(2, len(left) + 1)) and any(
        is_word(right[:m]) for m in range(2, len(right) + 1)
    )


def _term_of_two(left: str, right: str, is_word: Callable[[str], bool], is_term: Callable[[str], bool]) -> bool:
    """Whether two whole words either side of the space make a term of the knowledge base's: a term typed
    in its parts, which 设备商 of 上设备 商丘 is not (it takes one character of 商丘)."""
    return any(
        is_word(left[-k:]) and is_word(right[:m]) and is_term(left[-k:] + right[:m])
        for k in range(2, len(left) + 1)
        for m in range(2, len(right) + 1)
    )


# A space inside a figure: no figure starts with 0 (50 0万, 2 019年), and a year's digits split apart
# are still a year (20 19年, 201 9年).
_SPLIT_BEFORE_ZERO = re.compile(r"(?<![\d.])(\d+) (0\d*)(?![\d.])")
_SPLIT_YEAR = re.compile(r"(?<![\d.])(\d{1,3}) (\d{1,3})(?=\s?年)")


def join_split_figures(text: str) -> str:
    """`text` without the spaces typed inside a figure, which made two figures no entry states."""
    if " " not in text or not any(char.isdigit() for char in text):
        return text
    text = _SPLIT_BEFORE_ZERO.sub(r"\1\2", text)
    return _SPLIT_YEAR.sub(lambda m: _year(m) or m.group(0), text)


def _year(match: re.Match[str]) -> str | None:
    joined = match.group(1) + match.group(2)
    return joined if len(joined) == 4 and joined[:2] in ("19", "20") else None
