"""Evaluation sets: loading, the tuning/test split of bench/realistic/, and what counts as correct.

In scope, a reply is correct when it is answered and holds every required fact. Out of scope, it is
correct when the bot refuses or says the documents do not state the fact (or answers with an entry
that itself says the document leaves that fact out: 原文未给出...).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.answer import Answer, Outcome
from bot.text.normalize import to_simplified

ROOT = Path(__file__).resolve().parent.parent
REALISTIC = ROOT / "bench" / "realistic"
# The sets written blind from the documents (bench/blind.yaml, blind2.yaml ...), in the order they were written,
# read from the files so a new set needs no edit here; which ones are never tuned on is said in
# bench/evaluate.py and the README.
_BLIND_FILE = re.compile(r"blind(\d*)")
BLIND_SETS = tuple(
    sorted(
        (path.stem for path in (ROOT / "bench").glob("blind*.yaml") if _BLIND_FILE.fullmatch(path.stem)),
        key=lambda name: int(name[len("blind") :] or 1),
    )
)
TEST_SHARE = 40  # percent of bench/realistic/ held back as the test split, never tuned on
# Which sets may be tuned on (their misses are looked at) and which are only ever reported: a set written blind
# is run once untouched, then joins one of the two for good (bench/evaluate.py's docstring says which and why).
TUNED_ON = (
    *("tune", "devset", "blind", "blind2", "blind4", "blind5", "blind6", "blind8", "blind10", "blind12"),
    *("blind14", "blind16", "blind19", "blind21", "blind23", "blind29", "blind33", "blind37", "blind39"),
    *("blind40", "blind42", "blind44", "blind46", "blind47", "blind49", "blind50", "blind52", "blind53", "blind54"),
    *("blind57",),
)
NEVER_TUNED = (
    *("test", "heldout", "blind3", "blind7", "blind9", "blind11", "blind13", "blind15", "blind17", "blind18"),
    *("blind20", "blind22", "blind24", "blind25", "blind26", "blind27", "blind28", "blind30", "blind31"),
    *("blind32", "blind34", "blind35", "blind36", "blind38", "blind41", "blind43", "blind45", "blind48"),
    *("blind51", "blind55", "blind56", "blind58", "blind59"),
)
_SAYS_UNSTATED = ("原文未给出", "原文隐去", "未给出具体", "没有给出具体", "未写明", "没有写明", "未说明")


def bench_set(name: str) -> Path:
    """The file of an evaluation set kept in bench/ (devset, heldout, blind ...)."""
    return ROOT / "bench" / f"{name}.yaml"


@dataclass(frozen=True)
class Item:
    question: str
    in_scope: bool
    facts: tuple[str, ...] = ()
    style: str = "?"
    kind: str = "?"
    hard: bool = False
    seed: str = "?"
    source: str = ""


def fact_form(text: str) -> str:
    """Compare facts modulo width, script, whitespace and punctuation: an answer that lists 事事有回音、件件有着落
    or quotes “一部手机”系列运用 gives the fact the document writes as 事事有回音，件件有着落 or 一部手机系列运用."""
    simplified = to_simplified(unicodedata.normalize("NFKC", text))
    return "".join(char for char in simplified if not char.isspace() and not _separator(char))


def _separator(char: str) -> bool:
    """Punctuation between clauses or around a quotation, not a figure's own (1.75%, 2/3 keep theirs)."""
    return unicodedata.category(char).startswith("P") and char not in "%./"


def split_of(question: str) -> str:
    """A fixed split by hash, so nobody picks which questions are hard to get right."""
    return "test" if int(hashlib.sha256(question.encode()).hexdigest(), 16) % 100 < TEST_SHARE else "tune"


def load(path: Path) -> list[Item]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = [
        Item(
            str(raw["q"]),
            True,
            tuple(str(fact) for fact in raw["facts"]),
            style=str(raw.get("style", "?")),
            seed=str(raw.get("seed", "?")),
            source=path.name,
        )
        for raw in data.get("in_scope") or []
    ]
    items += [
        Item(
            str(raw["q"]),
            False,
            kind=str(raw.get("kind", "?")),
            hard=bool(raw.get("hard", False)),
            seed=str(raw.get("seed", "?")),
            source=path.name,
        )
        for raw in data.get("out_of_scope") or []
    ]
    return items


def realistic(split: str | None = None) -> list[Item]:
    """bench/realistic/*.yaml, optionally only its "tune" or "test" part."""
    items = [item for path in sorted(REALISTIC.glob("*.yaml")) for item in load(path)]
    return [item for item in items if split is None or split_of(item.question) == split]


def is_correct(item: Item, answer: Answer) -> bool:
    parts = answer.all_parts
    if item.in_scope:
        text = fact_form(" ".join(part.text or "" for part in parts if part.matched))
        return any(part.matched for part in parts) and all(fact_form(fact) in text for fact in item.facts)
    return all(part.outcome is not Outcome.ANSWERED or says_unstated(part.text or "") for part in parts)


def says_unstated(text: str) -> bool:
    """The reply says the document leaves the fact out (a traditional-script reply says it in traditional)."""
    simplified = to_simplified(text)
    return any(marker in simplified for marker in _SAYS_UNSTATED)


def is_confident_wrong(item: Item, answer: Answer) -> bool:
    """Answered, and wrong: the worst outcome."""
    return answer.matched and not is_correct(item, answer)
