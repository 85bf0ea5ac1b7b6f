"""A question that asks for the word in a sentence it quotes: 智能化改造是制造业高质量发展的什么?

People often copy a sentence of the document and put 什么 where the word they want stands. Among
entries that explain the question equally well, the one whose text holds that sentence with some
word in the gap is the one that answers it.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A gap: what the asker puts where the wanted word stands.
_GAP = re.compile(r"什么样的?|什么|啥样的?|啥|哪一?[个些种条项句]")
_PARTICLES = "呀呢啊吗吧哈嘛啦哦呗"  # what a spoken question ends with after the gap (…的什么呀)
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_CJK_TAIL = re.compile(r"[\u3400-\u9fff]+$")
_MIN_CONTEXT = 3  # characters of the sentence before the gap that must be found as written
_MAX_CONTEXT = 12
_MAX_FILL = 30  # characters the wanted word may take (a list of names takes many)
_MAX_GAPS = 3  # a question asks for a few things at most; a pasted wall of 什么 must not cost a search each


@lru_cache(maxsize=1024)
def gaps(compact_question: str) -> tuple[tuple[str, str], ...]:
    """(the words before the gap, up to two after it) for each gap of the question."""
    found = []
    previous_end = 0  # the sentence before a gap starts after the gap before it
    for match in _GAP.finditer(compact_question):
        before = _CJK_TAIL.search(compact_question[previous_end : match.start()])
        after = _CJK_RUN.match(_GAP.split(compact_question[match.end() :], maxsplit=1)[0].lstrip(_PARTICLES))
        previous_end = match.end()
        if before is not None and len(before.group(0)) >= _MIN_CONTEXT:
            found.append((before.group(0)[-_MAX_CONTEXT:], after.group(0)[:2] if after is not None else ""))
    first = {}  # a context repeated (a pasted question, twice) is read once, with its first words after
    for before, after in found:
        first.setdefault(before, after)
    return tuple(first.items())[:_MAX_GAPS]


def filled(text: str, question_gaps: tuple[tuple[str, str], ...]) -> int:
    """The longest context before a gap that `text` holds with a word in the gap (and the words after
    it, when the question has some): 0 when it holds none.

    Every context ends with the last `_MIN_CONTEXT` characters before the gap, so each place of those
    in `text` whose gap is filled is read once, and the context there is as long as `text` goes on to
    agree with the question backwards from it (a search per context length read the common short ones
    over and over: milliseconds at 10,000 entries)."""
    best = 0
    for before, after in question_gaps:
        tail = before[-_MIN_CONTEXT:]
        at = text.find(tail)
        while at != -1:
            gap = at + _MIN_CONTEXT
            if _filled_at(text, gap, after):
                length = _MIN_CONTEXT
                limit = min(len(before), gap)
                while length < limit and text[gap - length - 1] == before[-length - 1]:
                    length += 1
                best = max(best, length)
            at = text.find(tail, at + 1)
    return best


def _filled_at(text: str, gap: int, after: str) -> bool:
    """Whether 1 to _MAX_FILL CJK characters stand at `gap` in `text`, then `after`: the gap filled by a
    word rather than by what a question writes there (an entry's phrasing holds 还到什么程度 as a question
    does). String searches only: a pattern compiled per context and question cost milliseconds at the tail."""
    if _GAP.match(text, gap):  # the entry asks the same (a phrasing: 还到什么程度): no word fills it
        return False
    if not after:
        return _CJK_RUN.match(text, gap) is not None
    found = text.find(after, gap + 1, gap + _MAX_FILL + len(after))
    return found != -1 and _CJK_RUN.fullmatch(text, gap, found) is not None
