"""How often an answer changes when a question the bot gets right is written the way chat messages are.

    python bench/perturb.py [--set tune devset] [--rounds 3] [--seed 0] [--show 10]

Takes every in-scope tuning question the bot answers right and rewrites it, at random, as people do in
Slack: a mention, greeting or politeness before it, thanks, urgency or purpose after it, a link or an
emoji, a bold phrase, traditional script, full-width punctuation, spaces between words. Reports, per
kind of rewrite, how many answers stopped being right. The questions' meaning is unchanged, so every
change is a fault of the message cleaning or the matcher; nothing here is tuned on the test split.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datasets import Item, is_correct, load, realistic  # noqa: E402
from bot.kb.store import build_answerer  # noqa: E402
from bot.text.normalize import to_traditional  # noqa: E402

SETS: dict[str, Callable[[], list[Item]]] = {
    "tune": lambda: realistic("tune"),
    "devset": lambda: load(ROOT / "bench" / "devset.yaml"),
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


REWRITES: dict[str, Callable[[str, random.Random], str]] = {
    "wrapping": wrapped,
    "bold": bold_phrase,
    "full_width": full_width,
    "spaces": spaced,
    "traditional": traditional,
    "all": lambda q, rng: wrapped(traditional(bold_phrase(q, rng), rng), rng),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--rounds", type=int, default=3, help="rewrites of each question per kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=10, help="changed answers to print per kind")
    args = parser.parse_args()
    answerer, issues = build_answerer(ROOT / "knowledge", ROOT / "seeds")
    if answerer is None:
        print("\n".join(str(issue) for issue in issues), file=sys.stderr)
        return 1
    items = [item for name in args.set for item in SETS[name]() if item.in_scope]
    right = [item for item in items if is_correct(item, answerer.ask(item.question))]
    print(f"{len(right)} of {len(items)} in-scope questions answered right; each rewritten {args.rounds} times")
    rng = random.Random(args.seed)
    for kind, rewrite in REWRITES.items():
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
