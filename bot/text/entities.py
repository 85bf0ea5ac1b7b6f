"""Words that name a specific thing (a place, a year or figure).

A question that names such a thing is about it: an entry that never mentions it cannot answer it,
however similar the rest of the wording (深圳 vs 天津, 2030 vs 2027).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.text.lexicon import lexicon

# Proper nouns are jieba's place names (tag ns, bot/text/lexicon.py) that also have an administrative form
# (武汉市): ns alone also tags 城市, 深度 and 各县区. Its other proper-noun tags (nz, nt, nr) cover ordinary
# words such as 申报 or 智能化, which must not be hard requirements; places.yaml lists what ns misses and
# the ordinary words that pass anyway (新建).
_NUMBER = re.compile(r"\d")


def city_level_pattern(places: frozenset[str]) -> re.Pattern[str] | None:
    """`X市里` for the listed places X: see `city_level_apart`."""
    names = sorted((place for place in places if not place.endswith("市")), key=len, reverse=True)
    return re.compile(f"({'|'.join(map(re.escape, names))})市里") if names else None


def city_level_apart(text: str, pattern: re.Pattern[str] | None) -> str:
    """天津市里 is 天津 + 市里 (the city's own government, as against the state's), not 天津市 + 里:
    the dictionary's longest word would drop the level the question asks about."""
    return pattern.sub(r"\1 市里", text) if pattern is not None else text


def is_number_anchor(word: str) -> bool:
    """Whether an anchor (`is_anchor`) is a number (2019年, 100户) rather than a place: it holds a digit."""
    return _NUMBER.search(word) is not None


def is_anchor(word: str, places: frozenset[str] = frozenset(), not_places: frozenset[str] = frozenset()) -> bool:
    """A number, a listed place, or a place name of jieba's dictionary (also with an administrative suffix:
    深圳市), unless places.yaml says the word is an ordinary one."""
    if is_number_anchor(word):
        return True
    bare = word[:-1] if len(word) > 2 and word[-1] in "市省县区" else word
    if word in places or bare in places:
        return True
    if word in not_places or bare in not_places:
        return False
    names = lexicon()
    return names.is_place_name(word) or names.is_place_name(bare)


_YEAR = re.compile(r"(?:19|20)\d{2}年?")
# A year right after 比/较 (较2023年增长25%, 比2023年涨多少) is the baseline of a comparison, not the
# year the figures are about.
_BASELINE_MARKERS = "比较"
# A question says it in more ways: 与2023年相比, 跟2023年比, 相对2023年, 同2023年同期.
_ASKED_AS_BASELINE = re.compile(r"(?:比|较|与|跟|和|同|相对于?|对比)$")
_FOLLOWED_AS_BASELINE = re.compile(r"^(?:相比|比较|对比|比|同期)")


def is_year(word: str) -> bool:
    return _YEAR.fullmatch(word) is not None


def asked_years(compact_question: str, anchors: list[str]) -> list[str]:
    """The years a question asks figures for: with a single year named, unless it is the baseline of a
    comparison. A question naming two years (2027年比2023年) compares them and asks for neither's own
    figures."""
    years = [word for word in anchors if is_year(word)]
    if len({word.rstrip("年") for word in years}) != 1:
        return []
    year = years[0]
    for match in re.finditer(re.escape(year), compact_question):
        before, after = compact_question[: match.start()], compact_question[match.end() :]
        if not (_ASKED_AS_BASELINE.search(before) or _FOLLOWED_AS_BASELINE.match(after)):
            return [year]
    return []


def only_as_baseline(text: str, year: str) -> bool:
    """Whether `text` mentions `year` and every mention is a comparison's baseline: a text saying
    到2027年较2023年增长25% gives no figure for 2023, so it cannot answer a question about 2023."""
    starts = [match.start() for match in re.finditer(re.escape(year), text)]
    return bool(starts) and all(start > 0 and text[start - 1] in _BASELINE_MARKERS for start in starts)


_MAX_QUALIFIERS = 3
# How far before a programme's head its qualifier may stand in an entry's text: 先进制造业发展专项资金
# is named by 制造业 专项资金, and so is 省、市先进制造业发展专项资金.
_QUALIFIER_REACH = 10


def programme_names(
    words: Sequence[str], heads: frozenset[str], is_qualifier: Callable[[str], bool]
) -> list[tuple[str, tuple[str, ...]]]:
    """Programmes a question names: each head word (专项资金) with the nouns right before it (中小企业,
    发展), which say which programme among several it is. A head with no such noun names none."""
    named = []
    for position, word in enumerate(words):
        if word not in heads:
            continue
        qualifiers: list[str] = []
        for before in reversed(words[max(0, position - _MAX_QUALIFIERS) : position]):
            if not is_qualifier(before):
                break
            qualifiers.insert(0, before)
        if qualifiers:
            named.append((word, tuple(qualifiers)))
    return named


def names_programme(text: str, head: str, qualifiers: tuple[str, ...]) -> bool:
    """Whether `text` names a programme with this head and every one of these qualifiers before it."""
    return all(_before(text, qualifier, head) for qualifier in qualifiers)


_HAN = re.compile("[\u4e00-\u9fff]*")


def _before(text: str, qualifier: str, head: str) -> bool:
    """Whether `text` has `qualifier`, up to _QUALIFIER_REACH Chinese characters, then `head`. String
    searches: a pattern per qualifier and head cost a question that named a new programme a millisecond
    to compile. A head's first place after the qualifier is the one to check: a later one has every
    character between of the first's and more."""
    at = text.find(qualifier)
    while at != -1:
        start = at + len(qualifier)
        found = text.find(head, start, start + _QUALIFIER_REACH + len(head))
        if found != -1 and _HAN.fullmatch(text, start, found):
            return True
        at = text.find(qualifier, at + 1)
    return False
