"""Quantities in Chinese words become digits; ordinary words and names stay."""

from __future__ import annotations

import pytest

from bot.text.numbers import arabic_numbers, english_numbers, large_amounts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("投资一千万以上", "投资1000万以上"),
        ("补贴百分之十", "补贴10%"),
        ("百分之一点五", "1.5%"),
        ("利率一点七五", "利率1.75"),
        ("三成的企业", "30%的企业"),
        ("两成", "20%"),
        ("三成五的企业", "35%的企业"),  # not 30%五
        ("九成九", "99%"),
        # a digit right after 千/百 is the next unit down, as people say it
        ("两千五", "2500"),
        ("一千二", "1200"),
        ("一百零八", "108"),
        ("清偿一半以上欠款", "清偿50%以上欠款"),
        ("两千亿", "2000亿"),
        ("十一个产业集聚区", "11个产业集聚区"),
        ("二〇二七年", "2027年"),
        ("投资上一千万的", "投资上1000万的"),
        ("十二月十九日", "12月19日"),
        ("三月二十九号", "3月29日"),
        ("一千六百", "1600"),
        ("世界五百强", "世界500强"),
        # a magnitude with more after it, as the documents write it
        ("一天能产两万七千多套", "一天能产2.7万多套"),
        ("三万五", "3.5万"),
        ("一亿二千万", "1.2亿"),
        ("一万零五百元", "1.05万元"),
        # 亿 counted like a thing; 余 as the documents give round figures
        ("上缴税收超过一个亿", "上缴税收超过1亿"),
        ("完成四百余家企业的诊断", "完成400余家企业的诊断"),
        # digits with a Chinese unit: 1 and 千万 must not read as 11000万
        ("投资1千万以上", "投资1000万以上"),
        ("3百万元", "300万元"),
        ("1.5千亿", "1500亿"),
        ("1234567千万", "1234567000万"),  # exact, not 1.23457e+09
        ("0.5千万", "500万"),
        ("七十六%", "76%"),
        ("百分之10", "10%"),
        ("百分之1.75", "1.75%"),
        ("投资百万以上", "投资100万以上"),
        ("百亿级", "100亿级"),
        ("百分之十就行", "10%就行"),
    ],
)
def test_quantities_become_digits(text, expected):
    assert arabic_numbers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        *("一个企业", "两家公司", "十四五规划", "成功", "一点点", "一些", "几十个", "数百万元", "上千家"),
        *("十几个", "三个月", "十三月", "正月", "一百多家", "七千多套", "几十%", "1千", "几个亿", "几百余家"),
        # 千万/百万/十万 as adverbs and idioms, and doubled units, are words
        *("千万不要错过", "百万富翁", "十万火急", "千千万万"),
        # a rough range of tenths, an idiom, a member
        *("七八成", "六七成的企业", "一成不变", "两成员"),
        # two digits in a row are a rough range (not 200万, 60家, 3000万), and so is a share with 几
        *("一两百万", "五六十家", "两三千万", "百分之五十几"),
        # the other half of a pair is no share
        *("请进来，另外一半是啥", "另一半是什么"),
        "园区税收翻一倍",  # doubled (翻番), not the figure 1
    ],
)
def test_words_and_names_stay(text):
    assert arabic_numbers(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tax over 100 million", "tax 1亿以上"),
        ("projects above 30m, above 200m", "projects 3000万以上, 2亿以上"),
        ("1.5 billion yuan", "15亿 yuan"),
        ("below 500万", "500万以下"),
        ("ranks no.1 in the province", "ranks 第一 in the province"),
        ("subsidy of 10 percent, rate 1.75 per cent", "subsidy of 10%, rate 1.75%"),
        ("dtmm level 4, grade-3", "dtmm 4级, 3级"),
        ("sea level 40m", "sea level 4000万"),  # the level rule leaves a magnitude alone (no 4000级万)
        # number words and look-alikes stay: three-year action, the one who, 5g, someone
        ("three-year action", "three-year action"),
        ("the one who 5g someone", "the one who 5g someone"),
        ("10m高的厂房 5m2", "10m高的厂房 5m2"),  # metres, not millions
    ],
)
def test_english_figures_are_written_as_the_documents_write_them(text, expected):
    assert english_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("clear by june 30", "clear by 6月30日"),
        ("by 30th of june", "by 6月30日"),
        ("deadline dec. 31st", "deadline 12月31日"),
        ("by the end of june", "by 6月底"),
        ("issued in march 2020", "issued in 2020年3月"),
        # a month needs a day, a year or "end of": may is a modal verb, march a verb
        ("may i ask", "may i ask"),
        ("march forward", "march forward"),
        ("june 10 million", "june 1000万"),  # a figure after a month is no day
    ],
)
def test_english_dates_are_written_as_the_documents_write_them(text, expected):
    assert english_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("拿出10000000元", "拿出1000万元"),
        ("subsidy of 5000000 yuan", "subsidy of 500万 yuan"),
        ("贷款160000000000元", "贷款1600亿元"),
        # not a round amount, or no unit after it: a count, a year or a telephone number stays
        ("12345元", "12345元"),
        ("2019年 13800138000", "2019年 13800138000"),
    ],
)
def test_large_amounts_in_digits_are_written_as_the_documents_write_them(text, expected):
    assert large_amounts(text) == expected
