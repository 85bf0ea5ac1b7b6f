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
    it, when the question has some): 0 when it holds none."""
    best = 0
    for before, after in question_gaps:
        if before[-_MIN_CONTEXT:] not in text:  # every longer context ends with it
            continue
        for start in range(len(before) - _MIN_CONTEXT + 1):
            context = before[start:]
            if len(context) <= best:
                break
            if _holds(text, context, after):
                best = len(context)
                break
    return best


def _holds(text: str, context: str, after: str) -> bool:
    """Whether `text` has `context`, then 1 to _MAX_FILL CJK characters, then `after`, the gap filled by
    a word rather than by what a question writes there (an entry's phrasing holds 还到什么程度 as a
    question does). String searches only: a pattern compiled per context and question cost milliseconds
    at the tail."""
    at = text.find(context)
    while at != -1:
        gap = at + len(context)
        if _GAP.match(text, gap):  # the entry asks the same (a phrasing: 还到什么程度): no word fills it
            at = text.find(context, at + 1)
            continue
        if not after:
            if _CJK_RUN.match(text, gap):
                return True
        else:
            found = text.find(after, gap + 1, gap + _MAX_FILL + len(after))
            if found != -1 and _CJK_RUN.fullmatch(text, gap, found):
                return True
        at = text.find(context, at + 1)
    return False
