"""Numbers written in Chinese words (一千万, 百分之十, 一点七五, 三成, 一半) as the digits the documents use.

Only forms that are clearly quantities are rewritten: a percentage, a number with a magnitude unit
(万/亿/元/倍), a count of ten or more, a date, a number in the thousands. A rough size (几十个,
数百万, 上千家) stays in words, and so do "一个", "两家" and "十四五": they are
ordinary words or names, and as digits they would become anchors an entry must mention.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from itertools import pairwise

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?"

_PERCENT = re.compile(f"百分之({_NUMERAL})(?![几零〇一二两三四五六七八九十百千点])")  # 百分之五十几 is rough
_PERCENT_OF_DIGITS = re.compile(r"百分之(\d+(?:\.\d+)?)")  # 百分之10
# 一半以上 is 50%以上; 两个一半, 十一半 or 另(外)一半 (the other half of a pair) is not
_HALF = re.compile("(?<![一两三四五六七八九十另])(?<!另外)一半")
# 三成 is 30%, 两成 20%, 三成五 35%; 七八成 is a rough range and stays in words
_TENTHS = re.compile(
    "(?<![完零〇一二两三四五六七八九十])([一二两三四五六七八九])成([一二三四五六七八九](?![零〇一二两三四五六七八九十]))?"
    "(?![不功立为果本员绩零〇一二两三四五六七八九十])"
)
_MAGNITUDE = re.compile(f"({_NUMERAL})(万亿|万元|亿元|万|亿|元|倍)")
# 两万七千 (27,000), 三万五 (35,000 as people say it), 一亿二千万: a magnitude with more after it; the documents
# write 2.7万, and read as 2万 + 7000 it made two anchors no entry states.
_COMPOUND_MAGNITUDE = re.compile(
    "(?<![几数上零〇一二两三四五六七八九十百千])([一二两三四五六七八九十百千]+)(万|亿)(零?)([一二两三四五六七八九][一二两三四五六七八九十百千]*)(万)?(?![零〇一二两三四五六七八九十百千万亿])"
)
_MAGNITUDE_SIZE = {"万": 10_000, "亿": 100_000_000}
# 一个亿, 三十个亿: people count 亿 like a thing; the documents write 1亿, 30亿.
_COUNTED_YI = re.compile("(?<=[零一二两三四五六七八九十百千])个(?=亿)")
# 四百余家: 余 is how the documents give their own round figures (400余家, 2.7万余套), so a figure with 余
# written in words is that figure; 多 and 来 (七千多, 六百来万) stay a rough size in words.
_ABOUT = re.compile(
    "(?<![几数上零〇一二两三四五六七八九十百千])([一二两三四五六七八九十][零一二两三四五六七八九十百千]*[十百千])余"
)
_COUNT = re.compile(
    "([零一二两三四五六七八九]*[十百千][零一二三四五六七八九十百千]*)(家|个|户|项|批|条|名|人|所|座|台|强)"
)
# 一千六百, 七千; not 七千多 (a rough size: as digits it would be an anchor no entry states)
_LARGE = re.compile(
    "(?<![零〇一二两三四五六七八九十百千])([一二两三四五六七八九][千百][零一二三四五六七八九十百千]*)"
    "(?![零一二三四五六七八九十百千多余来])"
)
_MONTH_DAY = re.compile("([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})[日号])?")
_DECIMAL = re.compile("([零一二两三四五六七八九十]+点[零〇一二三四五六七八九]+)")
_YEAR = re.compile("([零〇一二三四五六七八九]{4})年")
_AFTER_BARE_MAGNITUDE = frozenset("元级以左上下多余的吨台套家户个人项 ,，。？?！!、")
# 1千万, 3百万, 1.5千亿: digits with a Chinese unit before a magnitude; read digit by digit as a numeral
# they became 11000万 (1 and 千万).
_DIGITS_WITH_UNIT = re.compile(r"(\d+(?:\.\d+)?)([十百千])(?=[万亿元])")
# 七十六%: a numeral before a per cent sign (％ is % by then)
_NUMERAL_PERCENT = re.compile(f"(?<![几数上])({_NUMERAL})%")


def digit_value(character: str) -> int:
    """The value of one Chinese digit (三 is 3, 两 is 2)."""
    return _DIGITS[character]


def _integer(text: str) -> int | None:
    """一千二百 -> 1200, 十五 -> 15, 二〇二七 -> 2027 (digit by digit when there are no units)."""
    if not text:
        return None
    if all(char in _DIGITS for char in text):
        return int("".join(str(_DIGITS[char]) for char in text))
    total, current, previous = 0, 0, ""
    for char in text:
        if char in _DIGITS:
            if previous in _DIGITS and previous not in "零〇":
                return None  # 两三千, 五六十: a rough range, not a figure
            current = _DIGITS[char]
        elif char in _SMALL_UNITS:
            total += (current or 1) * _SMALL_UNITS[char]
            current = 0
        else:
            return None
        previous = char
    if len(text) > 1 and text[-1] in _DIGITS and text[-2] in _SMALL_UNITS:
        return total + current * _SMALL_UNITS[text[-2]] // 10  # 两千五 is 2500, 一百二 120 (十五 stays 15)
    return total + current


def _number(text: str) -> str | None:
    whole, _, fraction = text.partition("点")
    value = _integer(whole)
    if value is None:
        return None
    if fraction:
        return f"{value}.{''.join(str(_DIGITS[char]) for char in fraction)}"
    return str(value)


def _vague(match: re.Match[str]) -> bool:
    """几十个, 数百万, 上千家: a rough size, not a figure; as digits it would be an anchor no entry has."""
    before = match.string[match.start() - 1 : match.start()]
    return before in ("几", "数") or (before == "上" and match.group(1)[0] in "百千万")


def _adverb(match: re.Match[str]) -> bool:
    """千万不要, 百万富翁, 十万火急, 千千万万: a bare 千/百/十 before 万 or 亿 is a figure only before a unit
    or a limit (百万元, 百亿级, 千万以上) or at the end of a clause."""
    numeral = match.group(1)
    if any(a in _SMALL_UNITS and b in _SMALL_UNITS for a, b in pairwise(numeral)):
        return True  # 千千万万: doubled units are a word, not a figure
    after = match.string[match.end() : match.end() + 1]
    if numeral == "一" and match.group(2) == "倍":
        return True  # 翻一倍, 增长一倍: doubled, as the documents write it (翻番), not the figure 1
    return numeral in _SMALL_UNITS and after != "" and after not in _AFTER_BARE_MAGNITUDE


def _replace(match: re.Match[str], template: str) -> str:
    number = None if _vague(match) else _number(match.group(1))
    if number is None:
        return match.group(0)
    return template.format(number=number, unit=match.group(2) if match.lastindex and match.lastindex > 1 else "")


def arabic_numbers(text: str) -> str:
    """Rewrite clear quantities in Chinese words as digits; leave every other word alone."""
    for needs, pattern, replacement in _REWRITES:
        if any(need in text for need in needs):
            text = pattern.sub(replacement, text)
    return text


def _plain(value: Decimal) -> str:
    """A decimal as the documents write it: exact, never 1e+09, no trailing zeros (2.7, not 2.70)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _digits_with_unit(match: re.Match[str]) -> str:
    return _plain(Decimal(match.group(1)) * _SMALL_UNITS[match.group(2)])


def _compound_magnitude(match: re.Match[str]) -> str:
    """两万七千 -> 2.7万, 三万五 -> 3.5万, 一亿二千万 -> 1.2亿, 一万零五百 -> 1.05万; anything else stays."""
    head, magnitude, zero, rest, rest_magnitude = match.groups()
    size = _MAGNITUDE_SIZE[magnitude]
    whole, part = _integer(head), _integer(rest)
    if whole is None or part is None or (rest_magnitude and magnitude == "万"):
        return match.group(0)
    if rest_magnitude:
        part *= 10_000
    elif len(rest) == 1 and not zero:  # 三万五: the next unit down is meant (3.5万)
        part *= size // 10
    if part >= size:
        return match.group(0)
    return _plain(Decimal(whole) + Decimal(part) / size) + magnitude


def _month_day(match: re.Match[str]) -> str:
    """十二月十九日 -> 12月19日, as the documents write dates; 十三月 or 三十五日 are not dates."""
    month = _integer(match.group(1))
    day = _integer(match.group(2)) if match.group(2) else None
    if month is None or not 1 <= month <= 12 or (match.group(2) and (day is None or not 1 <= day <= 31)):
        return match.group(0)
    return f"{month}月{day}日" if day else f"{month}月"


# The rewrites in order, each with what a text must contain for its pattern to match at all: a substring
# test costs less than the regex's scan of a long text (an entry's full text, thousands of characters).
_REWRITES: tuple[tuple[tuple[str, ...], re.Pattern[str], Callable[[re.Match[str]], str] | str], ...] = (
    (("十", "百", "千"), _DIGITS_WITH_UNIT, _digits_with_unit),
    (("百分之",), _PERCENT, lambda m: _replace(m, "{number}%")),
    (("百分之",), _PERCENT_OF_DIGITS, r"\1%"),
    (("%",), _NUMERAL_PERCENT, lambda m: _replace(m, "{number}%")),
    (("成",), _TENTHS, lambda m: f"{_DIGITS[m.group(1)]}{_DIGITS[m.group(2)] if m.group(2) else 0}%"),
    (("一半",), _HALF, "50%"),
    (("个亿",), _COUNTED_YI, ""),
    (("余",), _ABOUT, lambda m: _replace(m, "{number}余")),
    (("万", "亿"), _COMPOUND_MAGNITUDE, _compound_magnitude),
    (("万", "亿", "元", "倍"), _MAGNITUDE, lambda m: m.group(0) if _adverb(m) else _replace(m, "{number}{unit}")),
    (("十", "百", "千"), _COUNT, lambda m: _replace(m, "{number}{unit}")),
    (("点",), _DECIMAL, lambda m: _replace(m, "{number}")),
    (("年",), _YEAR, lambda m: _replace(m, "{number}年")),
    (("月",), _MONTH_DAY, _month_day),
    (("千", "百"), _LARGE, lambda m: _replace(m, "{number}")),
)


# English figures in a question: 100 million and 30m are 1亿 and 3000万 as the documents write them, over
# 1亿 is 1亿以上, no.1 is 第一. Number words stay words: three in three-year action or three brands (三张牌)
# is no figure to find in an entry (as 3 it was an anchor no entry wrote: seven dev replies lost).
# 30m but not 10m高 (ten metres high) nor 5m2: the unit ends the word
_EN_MAGNITUDE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(million|mn|m|billion|bn)(?!\w)")
_EN_ABOVE = re.compile(r"(?<![a-z])(?:over|above|more than|at least)\s+(\d+(?:\.\d+)?(?:万|亿)?)")
_EN_BELOW = re.compile(r"(?<![a-z])(?:below|under|less than)\s+(\d+(?:\.\d+)?(?:万|亿)?)")
_EN_NUMBER_ONE = re.compile(r"(?<![a-z])(?:no\.?\s*1|number one)(?!\d)")
# 10 percent, 1.75 per cent: the documents write 10%
_EN_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:per\s*cent|percent|pct)(?![a-z])")
# DTMM level 4, grade-3, tier 2: the documents write a level as 4级
_EN_LEVEL = re.compile(r"(?<![a-z])(?:level|grade|tier)[\s-]*(\d+)(?![\d.万亿])")


# English dates as the documents write them: june 30 and 30th june are 6月30日, end of june is 6月底 (a
# deadline's usual form), june 2020 is 2020年6月. A month needs a day, a year or "end of" beside it: may is
# mostly a modal verb, march a verb.
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"([12]?\d|3[01])(?:st|nd|rd|th)?"
_EN_MONTH_DAY = re.compile(rf"(?<![a-z]){_MONTH}\s+{_DAY}(?![\d.a-z])(?!\s*(?:million|m|billion|bn|万|亿|%))")
_EN_DAY_MONTH = re.compile(rf"(?<![\w.]){_DAY}\s+(?:of\s+)?{_MONTH}(?![a-z])")
_EN_MONTH_END = re.compile(rf"(?<![a-z])(?:the\s+)?end\s+of\s+{_MONTH}(?![a-z])")
_EN_MONTH_YEAR = re.compile(rf"(?<![a-z]){_MONTH}\s+((?:19|20)\d\d)(?!\d)")


def _month_day(month: str, day: str) -> str:
    return f"{_MONTHS[month]}月{int(day)}日" if 1 <= int(day) <= 31 else f"{month} {day}"


def english_dates(normalised_text: str) -> str:
    """June 30, 30th of June, end of June and June 2020 as the documents write dates."""
    if not any(char.isascii() and char.isalpha() for char in normalised_text):
        return normalised_text
    text = _EN_MONTH_END.sub(lambda m: f"{_MONTHS[m.group(1)]}月底", normalised_text)
    text = _EN_MONTH_YEAR.sub(lambda m: f"{m.group(2)}年{_MONTHS[m.group(1)]}月", text)
    text = _EN_MONTH_DAY.sub(lambda m: _month_day(m.group(1), m.group(2)), text)
    return _EN_DAY_MONTH.sub(lambda m: _month_day(m.group(2), m.group(1)), text)


# A figure in digits of ten thousand or more, as an amount: the documents write 10000元 as 1万元 and
# 160000000000 as 1600亿. Only a round figure followed by its unit: a year, a telephone number or a count of
# 12345 is left as written.
_LARGE_AMOUNT = re.compile(r"(?<![\d.])([1-9]\d{4,12})(?=\s*(?:元|块|yuan|rmb|cny)(?![a-z]))")


def _in_magnitude(match: re.Match[str]) -> str:
    number = Decimal(match.group(1))
    if number % 1000:
        return match.group(0)
    return f"{_plain(number / 100_000_000)}亿" if number >= 100_000_000 else f"{_plain(number / 10_000)}万"


def large_amounts(normalised_text: str) -> str:
    """10000元 -> 1万元, 5000000 yuan -> 500万 yuan, as the documents write amounts."""
    return (
        _LARGE_AMOUNT.sub(_in_magnitude, normalised_text)
        if any(c.isdigit() for c in normalised_text)
        else normalised_text
    )


def english_numbers(normalised_text: str) -> str:
    """Figures written in English (lower case, as normalised) as the documents write them."""
    if not any(char.isascii() and char.isalpha() for char in normalised_text):
        return normalised_text
    text = _EN_MAGNITUDE.sub(_english_magnitude, english_dates(normalised_text))
    text = _EN_NUMBER_ONE.sub("第一", text)
    text = _EN_PERCENT.sub(r"\1%", text)
    text = _EN_LEVEL.sub(r"\1级", text)
    text = _EN_ABOVE.sub(r"\1以上", text)
    return _EN_BELOW.sub(r"\1以下", text)


def _english_magnitude(match: re.Match[str]) -> str:
    """30 million -> 3000万, 100 million -> 1亿, 1.5 billion -> 15亿."""
    number = Decimal(match.group(1))
    in_wan = number * (100 if match.group(2) in ("million", "mn", "m") else 100_000)
    return f"{_plain(in_wan / 10_000)}亿" if in_wan >= 10_000 else f"{_plain(in_wan)}万"
