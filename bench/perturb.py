"""How often an answer changes when a question the bot gets right is written the way chat messages are.

    python bench/perturb.py [--set tune devset] [--rounds 3] [--seed 0] [--show 10]

Takes every in-scope tuning question the bot answers right and rewrites it, at random, as people do in
Slack: a mention, greeting or politeness before it, thanks, urgency or purpose after it, a link or an
emoji, a bold phrase, traditional script, full-width punctuation, spaces between words, a domain term
in English (from knowledge/glossary.yaml), figures in Chinese words (2019年 -> 二〇一九年). Reports, per
kind of rewrite, how many answers stopped being right. The questions' meaning is unchanged, so every
change is a fault of the message cleaning or the matcher; nothing here is tuned on the test split.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datasets import Item, bench_set, is_correct, load, realistic  # noqa: E402
from bot.kb.store import build_answerer  # noqa: E402
from bot.text.normalize import to_traditional  # noqa: E402

SETS: dict[str, Callable[[], list[Item]]] = {
    "tune": lambda: realistic("tune"),
    "devset": partial(load, bench_set("devset")),
}
BEFORE = [
    "<@U0123ABC> ",
    "<@U0123ABC|政策助手> ",
    "@政策助手 ",
    "大家好，",
    "各位领导好！",
    "早上好～",
    "麻烦问下，",
    "请教一下：",
    "打扰了，想问下",
    "hi bot，",
    "您好 ",
    "<@U0123ABC> 在吗？\n",
    "【求助】",
    "急！！",
    ":wave: ",
    "> 转发：\n",
]
AFTER = [
    "，谢谢！",
    " 写汇报材料要用，感谢🙏",
    "？周五前要，急",
    " 多谢~",
    "\n<https://example.gov.cn/doc.html|原文链接>",
    " https://example.gov.cn/a/b?id=3",
    " :pray:",
    "，在线等",
    "？？",
    " 辛苦了",
    "\n感谢感谢",
    " 👍",
]


def wrapped(question: str, rng: random.Random) -> str:
    return rng.choice(BEFORE) + question + rng.choice(AFTER)


def bold_phrase(question: str, rng: random.Random) -> str:
    """Bold a run of Chinese characters, as someone stressing the topic would."""
    runs = [i for i, char in enumerate(question) if "\u4e00" <= char <= "\u9fff"]
    if len(runs) < 4:
        return question
    start = rng.choice(runs[: len(runs) - 3])
    length = rng.randint(2, 4)
    return f"{question[:start]}*{question[start : start + length]}*{question[start + length :]}"


def full_width(question: str, rng: random.Random) -> str:
    return question.translate(str.maketrans({"?": "？", ",": "，", ":": "：", "(": "（", ")": "）", "!": "！"}))


def spaced(question: str, rng: random.Random) -> str:
    """Spaces where a phone keyboard or a hurried writer puts them."""
    chars = list(question)
    for _ in range(2):
        at = rng.randrange(1, max(2, len(chars)))
        chars.insert(at, " ")
    return "".join(chars)


def traditional(question: str, rng: random.Random) -> str:
    return to_traditional(question)


_CHINESE_DIGITS = "〇一二三四五六七八九"


def _in_words(number: int) -> str:
    """1 <= number < 10,000 in Chinese words, as people say it (三千五百, 十五)."""
    words, rest = "", number
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        digit, rest = divmod(rest, value)
        if digit:
            spoken = "两" if digit == 2 and unit in "千百" and not words else _CHINESE_DIGITS[digit]
            words += ("" if (unit == "十" and digit == 1 and not words) else spoken) + unit
        elif words and rest:
            words += "" if words.endswith("零") else "零"
    return words + (_CHINESE_DIGITS[rest] if rest else "")


def _decimals(digits: str | None) -> str:
    return "点" + "".join(_CHINESE_DIGITS[int(digit)] for digit in digits) if digits else ""


def chinese_numbers(question: str, rng: random.Random) -> str:
    """Years digit by digit (二〇一九年), percentages and amounts or counts with a unit in words (五百万元,
    百分之十, 三十家)."""
    question = re.sub(
        r"((?:19|20)\d\d)年", lambda m: "".join(_CHINESE_DIGITS[int(d)] for d in m.group(1)) + "年", question
    )
    question = re.sub(
        r"(?<![\d.])(\d{1,3})(?:\.(\d+))?%",
        lambda m: "百分之" + _in_words(int(m.group(1))) + _decimals(m.group(2)),
        question,
    )
    return re.sub(
        r"(?<![\d.])([1-9]\d{0,3})(?=万|亿|元|家|个|项|户|台|条|名|人)", lambda m: _in_words(int(m.group(1))), question
    )


@lru_cache(maxsize=1)
def _english_terms() -> list[tuple[str, list[str]]]:
    data = yaml.safe_load((ROOT / "knowledge" / "glossary.yaml").read_text(encoding="utf-8"))
    terms = [(str(term["chinese"]), [str(word) for word in term["english"]]) for term in data["terms"]]
    return sorted(terms, key=lambda term: len(term[0]), reverse=True)


def english_term(question: str, rng: random.Random) -> str:
    """One Chinese term the glossary knows, written in English as a bilingual writer would."""
    present = [(chinese, english) for chinese, english in _english_terms() if chinese in question]
    if not present:
        return question
    chinese, english = rng.choice(present)
    return question.replace(chinese, f" {rng.choice(english)} ", 1)


@lru_cache(maxsize=1)
def _homophones() -> dict[str, list[str]]:
    """Characters of the seed documents by their toneless pinyin: what a pinyin keyboard offers."""
    from pypinyin import lazy_pinyin

    text = "".join(path.read_text("utf-8") for path in (ROOT / "seeds").glob("*.txt"))
    chars = sorted({char for char in text if "\u4e00" <= char <= "\u9fff"})
    by_sound: dict[str, list[str]] = {}
    for char, sound in zip(chars, lazy_pinyin(chars), strict=True):
        by_sound.setdefault(sound, []).append(char)
    return by_sound


def homophone_typo(question: str, rng: random.Random) -> str:
    """One character swapped for another of the same sound, as a pinyin keyboard's wrong pick."""
    from pypinyin import lazy_pinyin

    positions = [i for i, c in enumerate(question) if "\u4e00" <= c <= "\u9fff"]
    rng.shuffle(positions)
    for at in positions:
        options = [c for c in _homophones().get(lazy_pinyin(question[at])[0], []) if c != question[at]]
        if options:
            return question[:at] + rng.choice(options) + question[at + 1 :]
    return question


_SPOKEN = [
    ("什么", "啥"),
    ("怎么", "咋"),
    ("是否", "是不是"),
    ("有哪些", "都有啥"),
    ("哪些", "哪几个"),
    ("多少", "多少啊"),
    ("企业", "厂子"),
    ("要求", "要"),
    ("如何", "咋"),
]


def spoken(question: str, rng: random.Random) -> str:
    """Written question words as spoken ones (什么 -> 啥, 怎么 -> 咋), and a particle at the end."""
    for written, said in _SPOKEN:
        if written in question and rng.random() < 0.7:
            question = question.replace(written, said, 1)
    return question.rstrip("？?") + rng.choice(["啊？", "呢？", "呀", "哈", "？"])


REWRITES: dict[str, Callable[[str, random.Random], str]] = {
    "wrapping": wrapped,
    "bold": bold_phrase,
    "full_width": full_width,
    "spaces": spaced,
    "traditional": traditional,
    "english": english_term,
    "typo": homophone_typo,
    "numbers_cn": chinese_numbers,
    "spoken": spoken,
    "all": lambda q, rng: wrapped(traditional(bold_phrase(q, rng), rng), rng),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--rounds", type=int, default=3, help="rewrites of each question per kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=10, help="changed answers to print per kind")
    parser.add_argument("--kinds", nargs="+", default=list(REWRITES), choices=list(REWRITES))
    args = parser.parse_args()
    answerer, issues = build_answerer(ROOT / "knowledge", ROOT / "seeds")
    if answerer is None:
        print("\n".join(str(issue) for issue in issues), file=sys.stderr)
        return 1
    items = [item for name in args.set for item in SETS[name]() if item.in_scope]
    right = [item for item in items if is_correct(item, answerer.ask(item.question))]
    print(f"{len(right)} of {len(items)} in-scope questions answered right; each rewritten {args.rounds} times")
    rng = random.Random(args.seed)
    for kind in args.kinds:
        rewrite = REWRITES[kind]
        changed: Counter[str] = Counter()
        shown: list[str] = []
        for item in right:
            for _ in range(args.rounds):
                message = rewrite(item.question, rng)
                if not is_correct(item, answerer.ask(message)):
                    changed[item.question] += 1
                    if len(shown) < args.show:
                        shown.append(message)
        total = len(right) * args.rounds
        lost = sum(changed.values())
        print(f"  {kind:<12} {lost:>4} of {total} answers changed ({100 * lost / total:.1f}%)")
        for message in shown:
            print(f"      {message!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
