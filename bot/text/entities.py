"""Words that name a specific thing (a place, a year or figure).

A question that names such a thing is about it: an entry that never mentions it cannot answer it,
however similar the rest of the wording (深圳 vs 天津, 2030 vs 2027).
"""

from __future__ import annotations

import re

from bot.text.lexicon import lexicon

# Proper nouns are jieba's place names (tag ns, bot/text/lexicon.py) that also have an administrative form
# (武汉市): ns alone also tags 城市, 深度 and 各县区. Its other proper-noun tags (nz, nt, nr) cover ordinary
# words such as 申报 or 智能化, which must not be hard requirements; places.yaml lists what ns misses and
# the ordinary words that pass anyway (新建).
_NUMBER = re.compile(r"\d")


def is_anchor(word: str, places: frozenset[str] = frozenset(), not_places: frozenset[str] = frozenset()) -> bool:
    """A number, a listed place, or a place name of jieba's dictionary (also with an administrative suffix:
    深圳市), unless places.yaml says the word is an ordinary one."""
    if _NUMBER.search(word):
        return True
    bare = word[:-1] if len(word) > 2 and word[-1] in "市省县区" else word
    if word in places or bare in places:
        return True
    if word in not_places or bare in not_places:
        return False
    names = lexicon()
    return names.is_place_name(word) or names.is_place_name(bare)
