"""Words that name a specific thing (a place, a year or figure).

A question that names such a thing is about it: an entry that never mentions it cannot answer it,
however similar the rest of the wording (深圳 vs 天津, 2030 vs 2027).
"""

from __future__ import annotations

import re
from functools import lru_cache

import jieba

# jieba's tag for place names. Its other proper-noun tags (nz, nt, nr) also cover ordinary words
# such as 申报 or 智能化, which must not be hard requirements; places.yaml lists what ns misses.
PROPER_NOUN_TAGS = frozenset({"ns"})
_NUMBER = re.compile(r"\d")


@lru_cache(maxsize=1)
def _proper_nouns() -> frozenset[str]:
    """Read once, lazily: only questions with a word the candidate lacks ever need it."""
    words = set()
    with open(jieba.get_dict_file().name, encoding="utf-8") as handle:  # type: ignore[union-attr]
        for line in handle:
            parts = line.split()
            if len(parts) == 3 and parts[2] in PROPER_NOUN_TAGS:
                words.add(parts[0])
    return frozenset(words)


def is_anchor(word: str, places: frozenset[str] = frozenset()) -> bool:
    """A number, a listed place, or a proper noun (also with an administrative suffix: 深圳市)."""
    if _NUMBER.search(word):
        return True
    bare = word[:-1] if len(word) > 2 and word[-1] in "市省县区" else word
    if word in places or bare in places:
        return True
    nouns = _proper_nouns()
    return word in nouns or bare in nouns
